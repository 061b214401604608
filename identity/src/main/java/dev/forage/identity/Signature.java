package dev.forage.identity;

import java.math.BigInteger;
import org.web3j.utils.Numeric;

/**
 * A secp256k1 ECDSA signature in Ethereum's form.
 *
 * @param r the r value, 32 bytes
 * @param s the s value, 32 bytes, in the lower half of the curve order (EIP-2)
 * @param v the recovery id plus 27: 27 or 28
 */
public record Signature(BigInteger r, BigInteger s, int v) {

    public Signature {
        if (r == null || r.signum() <= 0 || r.bitLength() > 256) {
            throw new IllegalArgumentException("signature r " + r + " must be a positive 256-bit number");
        }
        if (s == null || s.signum() <= 0 || s.bitLength() > 256) {
            throw new IllegalArgumentException("signature s " + s + " must be a positive 256-bit number");
        }
        if (v != 27 && v != 28) {
            throw new IllegalArgumentException("signature v " + v + " must be 27 or 28");
        }
    }

    /**
     * Parses the 65-byte {@code r || s || v} form; v may be 0/1 or 27/28.
     */
    public static Signature of(byte[] rsv) {
        if (rsv.length != 65) {
            throw new IllegalArgumentException("a signature has 65 bytes (r || s || v), got " + rsv.length);
        }
        int v = rsv[64] & 0xff;
        return new Signature(
                new BigInteger(1, java.util.Arrays.copyOfRange(rsv, 0, 32)),
                new BigInteger(1, java.util.Arrays.copyOfRange(rsv, 32, 64)),
                v < 27 ? v + 27 : v);
    }

    /** The 65-byte {@code r || s || v} form that Solidity's ECDSA.recover takes. */
    public byte[] bytes() {
        byte[] out = new byte[65];
        System.arraycopy(Numeric.toBytesPadded(r, 32), 0, out, 0, 32);
        System.arraycopy(Numeric.toBytesPadded(s, 32), 0, out, 32, 32);
        out[64] = (byte) v;
        return out;
    }

    /** The 65-byte form as {@code 0x}-prefixed hex. */
    public String hex() {
        return Numeric.toHexString(bytes());
    }

    @Override
    public String toString() {
        return hex();
    }
}
