package dev.forage.identity;

import java.util.regex.Pattern;

/**
 * A CAIP-2 blockchain id, {@code namespace:reference}, e.g. {@code eip155:8453} for Base.
 *
 * @param namespace the chain family, 3 to 8 of {@code [-a-z0-9]}
 * @param reference the chain within the family, 1 to 32 of {@code [-_a-zA-Z0-9]}
 */
public record ChainId(String namespace, String reference) {

    /** The namespace of EVM chains, whose reference is the decimal EIP-155 chain id. */
    public static final String EIP155 = "eip155";

    private static final Pattern NAMESPACE = Pattern.compile("[-a-z0-9]{3,8}");
    private static final Pattern REFERENCE = Pattern.compile("[-_a-zA-Z0-9]{1,32}");
    private static final Pattern DECIMAL = Pattern.compile("0|[1-9][0-9]{0,18}");

    public ChainId {
        if (namespace == null || !NAMESPACE.matcher(namespace).matches()) {
            throw new InvalidIdentifierException("CAIP-2 namespace " + Address.quoted(namespace)
                    + " must be 3 to 8 characters of [-a-z0-9], e.g. 'eip155'");
        }
        if (reference == null || !REFERENCE.matcher(reference).matches()) {
            throw new InvalidIdentifierException("CAIP-2 reference " + Address.quoted(reference)
                    + " must be 1 to 32 characters of [-_a-zA-Z0-9], e.g. '8453'");
        }
        if (EIP155.equals(namespace) && !DECIMAL.matcher(reference).matches()) {
            throw new InvalidIdentifierException("eip155 chain reference " + Address.quoted(reference)
                    + " must be a decimal chain id without leading zeros, e.g. 'eip155:8453'");
        }
    }

    /** The CAIP-2 id of an EVM chain. */
    public static ChainId eip155(long chainId) {
        if (chainId <= 0) {
            throw new InvalidIdentifierException("EVM chain id " + chainId + " must be positive");
        }
        return new ChainId(EIP155, Long.toString(chainId));
    }

    /**
     * Parses {@code namespace:reference}.
     *
     * @throws InvalidIdentifierException naming the bad part
     */
    public static ChainId parse(String text) {
        if (text == null) {
            throw new InvalidIdentifierException("CAIP-2 chain id is missing; expected namespace:reference, e.g. eip155:8453");
        }
        int colon = text.indexOf(':');
        if (colon < 0 || text.indexOf(':', colon + 1) >= 0) {
            throw new InvalidIdentifierException("CAIP-2 chain id '" + text
                    + "' must have exactly one ':' between namespace and reference, e.g. eip155:8453");
        }
        return new ChainId(text.substring(0, colon), text.substring(colon + 1));
    }

    /** Whether this is an EVM chain ({@code eip155}). */
    public boolean isEvm() {
        return EIP155.equals(namespace);
    }

    /**
     * The EIP-155 chain id.
     *
     * @throws InvalidIdentifierException if this is not an {@code eip155} chain
     */
    public long evmChainId() {
        if (!isEvm()) {
            throw new InvalidIdentifierException("chain " + this + " is not an EVM (eip155) chain");
        }
        try {
            return Long.parseLong(reference);
        } catch (NumberFormatException e) {
            throw new InvalidIdentifierException("eip155 chain reference '" + reference + "' does not fit in 64 bits");
        }
    }

    @Override
    public String toString() {
        return namespace + ":" + reference;
    }
}
