package dev.forage.identity.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.forage.identity.Address;
import java.io.IOException;
import java.io.InputStream;

/**
 * A compiled contract as committed under {@code src/main/resources/.../contracts/}: its ABI and
 * creation code, written by {@code scripts/compile-contracts.mjs}.
 *
 * @param name the contract name
 * @param abi the JSON ABI array
 * @param bytecode the creation code, {@code 0x}-prefixed hex
 */
public record ContractArtifact(String name, JsonNode abi, String bytecode) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Loads {@code <folder>/<name>.json} from the class path of {@code anchor}.
     *
     * @param folder the resource folder, e.g. {@code /dev/forage/identity/contracts}
     * @throws IllegalStateException if the artifact is missing or malformed (a build problem)
     */
    public static ContractArtifact load(Class<?> anchor, String folder, String name) {
        String path = folder + "/" + name + ".json";
        try (InputStream in = anchor.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("contract artifact " + path + " is not on the class path; "
                        + "run `node scripts/compile-contracts.mjs <module>` and rebuild");
            }
            JsonNode root = JSON.readTree(in);
            String bytecode = root.path("bytecode").asText("");
            if (!root.path("abi").isArray() || !bytecode.startsWith("0x")) {
                throw new IllegalStateException("contract artifact " + path + " lacks an abi array or 0x bytecode");
            }
            return new ContractArtifact(root.path("contractName").asText(name), root.get("abi"), bytecode);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read contract artifact " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Deploys the contract from {@code sender} and waits for it.
     *
     * @param constructorArgs the ABI-encoded constructor arguments, hex without {@code 0x}
     *     (empty for none), e.g. from {@link Abi#encodeArguments}
     * @return the new contract's address
     */
    public Address deploy(TransactionSender sender, EvmChain chain, String constructorArgs) {
        chain.learnErrors(abi);
        TxReceipt receipt = sender.sendAndWait(TxRequest.deploy(bytecode + constructorArgs));
        return receipt.contractAddress().orElseThrow(() -> new IllegalStateException(
                "deploying " + name + " in " + receipt.txHash() + " produced no contract address"));
    }

    @Override
    public String toString() {
        return "ContractArtifact[" + name + "]";
    }
}
