package dev.forage.tools.x402;

import dev.forage.identity.Signature;
import dev.forage.tools.settle.TransferAuthorization;
import java.util.Objects;

/**
 * The {@code payload} of an {@code exact} EVM payment: the EIP-3009 authorization and its
 * EIP-712 signature.
 *
 * @param signature the 65-byte signature, {@code 0x}-prefixed hex
 * @param authorization the signed {@code TransferWithAuthorization} message
 */
public record ExactEvmPayload(String signature, TransferAuthorization authorization) {

    public ExactEvmPayload {
        if (signature == null || !signature.matches("0[xX][0-9a-fA-F]+") || signature.length() % 2 != 0) {
            throw new IllegalArgumentException("signature must be 0x-prefixed even-length hex, got " + signature);
        }
        Objects.requireNonNull(authorization, "authorization");
    }

    /** A payload from a signature. */
    public static ExactEvmPayload of(Signature signature, TransferAuthorization authorization) {
        return new ExactEvmPayload(signature.hex(), authorization);
    }
}
