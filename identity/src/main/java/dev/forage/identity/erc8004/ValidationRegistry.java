package dev.forage.identity.erc8004;

import dev.forage.identity.Address;
import dev.forage.identity.Signer;
import dev.forage.identity.chain.Abi;
import dev.forage.identity.chain.EvmChain;
import dev.forage.identity.chain.TxReceipt;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Uint8;

/**
 * Client of an ERC-8004 Validation Registry: an agent's owner asks a validator to check a piece
 * of work (identified by a request hash); the validator answers 0–100, possibly several times.
 */
public final class ValidationRegistry extends RegistryClient {

    /**
     * {@code getValidationStatus}'s answer.
     *
     * @param validator the validator asked
     * @param agentId the agent whose work it is
     * @param response the latest response, 0–100
     * @param responseHash the hash of the latest response file
     * @param tag the latest response's tag
     * @param lastUpdate when the request was last answered (or made)
     */
    public record Status(Address validator, BigInteger agentId, int response, byte[] responseHash, String tag, Instant lastUpdate) {}

    /**
     * {@code getSummary}'s answer.
     *
     * @param count how many answered requests were counted
     * @param averageResponse their average response, 0–100
     */
    public record Summary(long count, int averageResponse) {}

    private ValidationRegistry(EvmChain chain, Address address) {
        super(chain, address, "ValidationRegistry", "IdentityRegistry");
    }

    /**
     * A client for the registry at {@code address}; from now on {@code chain} decodes the
     * registry's custom errors in reverts by name.
     */
    public static ValidationRegistry at(EvmChain chain, Address address) {
        return new ValidationRegistry(chain, address);
    }

    /** Asks {@code validator} to validate work of agent {@code agentId} (owner or operator only). */
    public TxReceipt request(Signer owner, Address validator, BigInteger agentId, String requestUri, byte[] requestHash) {
        return send(owner, Abi.encodeCall("validationRequest(address,uint256,string,bytes32)", addr(validator),
                uint(agentId), new Utf8String(requestUri), bytes32(requestHash)));
    }

    /** Answers a request (the named validator only), 0–100; may be called again. */
    public TxReceipt respond(Signer validator, byte[] requestHash, int response, String responseUri, byte[] responseHash,
            String tag) {
        if (response < 0 || response > 100) {
            throw new IllegalArgumentException("validation response " + response + " must be 0 to 100");
        }
        return send(validator, Abi.encodeCall("validationResponse(bytes32,uint8,string,bytes32,string)",
                bytes32(requestHash), new Uint8(response), new Utf8String(responseUri), bytes32(responseHash),
                new Utf8String(tag)));
    }

    /** The state of a request. */
    @SuppressWarnings("rawtypes")
    public Status status(byte[] requestHash) {
        List<Type> v = call(Abi.encodeCall("getValidationStatus(bytes32)", bytes32(requestHash)),
                "address", "uint256", "uint8", "bytes32", "string", "uint256");
        return new Status(address(v.get(0)), number(v.get(1)), number(v.get(2)).intValueExact(), bytes(v.get(3)),
                text(v.get(4)), Instant.ofEpochSecond(number(v.get(5)).longValueExact()));
    }

    /** The summary of the agent's answered requests from {@code validators} (all when empty) with {@code tag}. */
    @SuppressWarnings("rawtypes")
    public Summary summary(BigInteger agentId, List<Address> validators, String tag) {
        List<Type> v = call(Abi.encodeCall("getSummary(uint256,address[],string)", uint(agentId),
                ReputationRegistry.addresses(validators), new Utf8String(tag)), "uint64", "uint8");
        return new Summary(number(v.get(0)).longValueExact(), number(v.get(1)).intValueExact());
    }

    /** The request hashes made for the agent. */
    public List<byte[]> agentValidations(BigInteger agentId) {
        return hashes(Abi.encodeCall("getAgentValidations(uint256)", uint(agentId)));
    }

    /** The request hashes addressed to {@code validator}. */
    public List<byte[]> validatorRequests(Address validator) {
        return hashes(Abi.encodeCall("getValidatorRequests(address)", addr(validator)));
    }

    /** The identity registry this validation registry serves. */
    public Address identityRegistry() {
        return address(call(Abi.encodeCall("getIdentityRegistry()"), "address").get(0));
    }

    /** The implementation's version string. */
    public String version() {
        return text(call(Abi.encodeCall("getVersion()"), "string").get(0));
    }

    private List<byte[]> hashes(String data) {
        return list(call(data, "bytes32[]").get(0)).stream().map(RegistryClient::bytes).toList();
    }
}
