package dev.forage.identity.erc8004;

import dev.forage.identity.Address;
import dev.forage.identity.Signer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.forage.identity.chain.Abi;
import dev.forage.identity.chain.ContractArtifact;
import dev.forage.identity.chain.EvmChain;
import dev.forage.identity.chain.TxReceipt;
import dev.forage.identity.chain.TxRequest;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;

/** What the three registry clients share: the chain, the contract, sending and calling. */
abstract class RegistryClient {

    /** The ABIs of our compiled registries, read once per artifact name. */
    private static final Map<String, JsonNode> ABIS = new ConcurrentHashMap<>();

    final EvmChain chain;
    final Address address;

    /**
     * Teaches {@code chain} the custom errors of the named registry artifacts, so that a revert
     * decodes to its error name (e.g. {@code ERC721NonexistentToken(7)}) also when this process did
     * not deploy the registry itself, which is the only other place the errors are learnt.
     *
     * @param errorsOf the artifacts whose errors this registry's calls can revert with: its own,
     *     and for Reputation and Validation also the IdentityRegistry's, whose reverts they bubble up
     */
    RegistryClient(EvmChain chain, Address address, String... errorsOf) {
        this.chain = chain;
        this.address = address;
        for (String artifact : errorsOf) {
            chain.learnErrors(ABIS.computeIfAbsent(artifact,
                    name -> ContractArtifact.load(RegistryClient.class, Erc8004Registries.ARTIFACTS, name).abi()));
        }
    }

    /** The registry contract's address. */
    public Address address() {
        return address;
    }

    TxReceipt send(Signer from, String data) {
        return chain.sender(from).sendAndWait(TxRequest.call(address, data));
    }

    @SuppressWarnings("rawtypes")
    List<Type> call(String data, String... outputs) {
        return Abi.decode(chain.call(address, data), outputs);
    }

    static Uint256 uint(BigInteger n) {
        return new Uint256(n);
    }

    static Bytes32 bytes32(byte[] b) {
        if (b == null || b.length != 32) {
            throw new IllegalArgumentException("a bytes32 value has 32 bytes, got " + (b == null ? "none" : b.length));
        }
        return new Bytes32(b);
    }

    static org.web3j.abi.datatypes.Address addr(Address a) {
        return new org.web3j.abi.datatypes.Address(a.value());
    }

    @SuppressWarnings("rawtypes")
    static Address address(Type t) {
        return Address.parse(((org.web3j.abi.datatypes.Address) t).getValue());
    }

    @SuppressWarnings("rawtypes")
    static BigInteger number(Type t) {
        return (BigInteger) t.getValue();
    }

    @SuppressWarnings("rawtypes")
    static String text(Type t) {
        return (String) t.getValue();
    }

    @SuppressWarnings("rawtypes")
    static byte[] bytes(Type t) {
        return (byte[]) t.getValue();
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    static List<Type> list(Type t) {
        return (List<Type>) t.getValue();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + address + " on " + chain.chainId() + "]";
    }
}
