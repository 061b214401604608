package dev.forage.identity;

import dev.forage.identity.eip712.Eip712;
import dev.forage.identity.eip712.TypedData;

/**
 * Holds one secp256k1 key and signs with it, without ever exposing it: no method returns
 * key material, and implementations keep it out of {@code toString}, logs, exceptions and
 * serialized forms. Everything that pays or proves identity goes through a signer.
 */
public interface Signer {

    /** The address of the key. */
    Address address();

    /**
     * Signs a 32-byte digest as is (no prefix is added).
     *
     * @param digest exactly 32 bytes, usually a Keccak-256 hash
     * @throws IllegalArgumentException if the digest is not 32 bytes
     */
    Signature sign(byte[] digest);

    /**
     * Signs EIP-712 typed data: the digest {@code keccak256(0x1901 || domainSeparator ||
     * hashStruct(message))}.
     */
    default Signature signTypedData(TypedData data) {
        return sign(Eip712.digest(data));
    }
}
