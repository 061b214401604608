package dev.forage.identity;

import java.util.Locale;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * A 20-byte EVM account address, always held in its EIP-55 checksummed form.
 *
 * @param value the checksummed address, {@code 0x} followed by 40 hex digits
 */
public record Address(String value) implements Comparable<Address> {

    /** The zero address, used by contracts to mean "none". */
    public static final Address ZERO = new Address("0x0000000000000000000000000000000000000000");

    public Address {
        if (value == null || !value.matches("0x[0-9a-fA-F]{40}")) {
            throw new InvalidIdentifierException(
                    "address " + quoted(value) + " is not 0x followed by 40 hex digits; pass a 20-byte EVM address");
        }
        String checksummed = checksum(value);
        if (!value.equals(checksummed)) {
            throw new InvalidIdentifierException("address " + value
                    + " is not in EIP-55 checksummed form; use Address.parse to accept any case, expected "
                    + checksummed);
        }
    }

    /**
     * Parses an address. All-lowercase and all-uppercase input is accepted as is; mixed case
     * must carry a valid EIP-55 checksum, since a wrong mixed case usually means a typo.
     *
     * @throws InvalidIdentifierException naming the bad input
     */
    public static Address parse(String text) {
        if (text == null || !text.matches("0x[0-9a-fA-F]{40}")) {
            throw new InvalidIdentifierException(
                    "address " + quoted(text) + " is not 0x followed by 40 hex digits; pass a 20-byte EVM address");
        }
        String hex = text.substring(2);
        boolean mixed = !hex.equals(hex.toLowerCase(Locale.ROOT)) && !hex.equals(hex.toUpperCase(Locale.ROOT));
        String checksummed = checksum(text);
        if (mixed && !checksummed.equals(text)) {
            throw new InvalidIdentifierException("address " + text + " has a wrong EIP-55 checksum (expected "
                    + checksummed + "); check it for a typo");
        }
        return new Address(checksummed);
    }

    /** The address for 20 raw bytes. */
    public static Address of(byte[] bytes) {
        if (bytes.length != 20) {
            throw new InvalidIdentifierException("an address has 20 bytes, got " + bytes.length);
        }
        return new Address(checksum(Numeric.toHexString(bytes)));
    }

    /** The 20 raw bytes. */
    public byte[] bytes() {
        return Numeric.hexStringToByteArray(value);
    }

    /** The lowercase hex form, as some JSON-RPC payloads expect. */
    public String lowercase() {
        return value.toLowerCase(Locale.ROOT);
    }

    @Override
    public int compareTo(Address other) {
        return lowercase().compareTo(other.lowercase());
    }

    @Override
    public String toString() {
        return value;
    }

    static String checksum(String address) {
        String lower = address.substring(2).toLowerCase(Locale.ROOT);
        String hash = Numeric.toHexStringNoPrefix(Hash.sha3(lower.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        StringBuilder out = new StringBuilder("0x");
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            out.append(Character.digit(hash.charAt(i), 16) >= 8 ? Character.toUpperCase(c) : c);
        }
        return out.toString();
    }

    static String quoted(String s) {
        return s == null ? "(none)" : "'" + s + "'";
    }
}
