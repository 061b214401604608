package dev.forage.identity.chain;

import dev.forage.identity.Address;
import java.math.BigInteger;
import java.util.Optional;

/**
 * A transaction to send: a call to a contract (or a transfer), or a contract creation.
 *
 * @param to the recipient; empty for a contract creation
 * @param data the calldata (or creation code), {@code 0x}-prefixed hex
 * @param value wei to send along
 * @param gasLimit the gas limit, or 0 to estimate it (with a 20% margin)
 */
public record TxRequest(Optional<Address> to, String data, BigInteger value, long gasLimit) {

    public TxRequest {
        if (to == null) {
            throw new IllegalArgumentException("transaction recipient must be given (empty for a contract creation)");
        }
        if (data == null || !data.matches("0x([0-9a-fA-F]{2})*")) {
            throw new IllegalArgumentException("transaction data must be 0x-prefixed even-length hex, got "
                    + (data == null ? "none" : "'" + abbreviate(data) + "'"));
        }
        if (value == null || value.signum() < 0) {
            throw new IllegalArgumentException("transaction value must be zero or more wei, got " + value);
        }
        if (gasLimit < 0) {
            throw new IllegalArgumentException("gas limit must be zero (estimate) or positive, got " + gasLimit);
        }
        if (to.isEmpty() && data.length() <= 2) {
            throw new IllegalArgumentException("a contract creation needs creation code in data");
        }
    }

    /** A call to {@code to} with {@code data}, no value, gas estimated. */
    public static TxRequest call(Address to, String data) {
        return new TxRequest(Optional.of(to), data, BigInteger.ZERO, 0);
    }

    /** A plain value transfer. */
    public static TxRequest transfer(Address to, BigInteger wei) {
        return new TxRequest(Optional.of(to), "0x", wei, 21_000);
    }

    /** A contract creation with creation code (constructor arguments appended). */
    public static TxRequest deploy(String creationCode) {
        return new TxRequest(Optional.empty(), creationCode, BigInteger.ZERO, 0);
    }

    /** The same request with a fixed gas limit. */
    public TxRequest withGasLimit(long limit) {
        return new TxRequest(to, data, value, limit);
    }

    /** The same request sending {@code wei} along. */
    public TxRequest withValue(BigInteger wei) {
        return new TxRequest(to, data, wei, gasLimit);
    }

    private static String abbreviate(String s) {
        return s.length() > 20 ? s.substring(0, 20) + "…" : s;
    }
}
