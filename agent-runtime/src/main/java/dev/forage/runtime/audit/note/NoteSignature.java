package dev.forage.runtime.audit.note;

import java.util.Arrays;
import java.util.Base64;

/**
 * One signature line of a signed note: {@code — <key name> <base64(key id || signature)>}.
 *
 * @param keyName the signing key's name
 * @param keyId the 32-bit key id (the first four bytes of the decoded base64, big-endian)
 * @param signature the signature bytes after the key id
 */
public record NoteSignature(String keyName, int keyId, byte[] signature) {

    /** Validates and copies. */
    public NoteSignature {
        if (!KeyNames.isValidName(keyName)) {
            throw new IllegalArgumentException("key name '" + keyName + "' is empty or holds a space or '+'");
        }
        signature = signature.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /** The signature line, without its newline. */
    public String line() {
        byte[] payload = new byte[4 + signature.length];
        payload[0] = (byte) (keyId >>> 24);
        payload[1] = (byte) (keyId >>> 16);
        payload[2] = (byte) (keyId >>> 8);
        payload[3] = (byte) keyId;
        System.arraycopy(signature, 0, payload, 4, signature.length);
        return SignedNote.SIGNATURE_PREFIX + keyName + " " + Base64.getEncoder().encodeToString(payload);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NoteSignature other && keyName.equals(other.keyName) && keyId == other.keyId
                && Arrays.equals(signature, other.signature);
    }

    @Override
    public int hashCode() {
        return (keyName.hashCode() * 31 + keyId) * 31 + Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return line();
    }
}
