package dev.forage.identity.keys;

import java.math.BigInteger;
import java.security.InvalidAlgorithmParameterException;
import java.security.NoSuchAlgorithmException;
import java.security.NoSuchProviderException;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;

/**
 * A signer whose key lives only in this process's memory: for tests and the devnet, where
 * keys are generated at run time and thrown away. Production agents use {@link KeystoreSigner}.
 */
public final class InMemorySigner extends EcKeySigner {

    private InMemorySigner(ECKeyPair keyPair) {
        super(keyPair);
    }

    /** A signer for a fresh key from a strong random source. */
    public static InMemorySigner generate() {
        try {
            return new InMemorySigner(Keys.createEcKeyPair());
        } catch (InvalidAlgorithmParameterException | NoSuchAlgorithmException | NoSuchProviderException e) {
            throw new IllegalStateException("this JVM cannot generate secp256k1 keys: " + e.getClass().getSimpleName(), e);
        }
    }

    /**
     * A signer for an existing 32-byte private key. The caller should wipe its array afterwards.
     *
     * @throws IllegalArgumentException if the key is not 32 bytes or out of range
     */
    public static InMemorySigner fromPrivateKey(byte[] privateKey) {
        if (privateKey == null || privateKey.length != 32) {
            throw new IllegalArgumentException("a secp256k1 private key has 32 bytes, got "
                    + (privateKey == null ? "none" : privateKey.length));
        }
        BigInteger d = new BigInteger(1, privateKey);
        if (d.signum() == 0 || d.compareTo(org.web3j.crypto.Sign.CURVE_PARAMS.getN()) >= 0) {
            throw new IllegalArgumentException("the private key is not in the secp256k1 range [1, n-1]");
        }
        return new InMemorySigner(ECKeyPair.create(d));
    }

    @Override
    public String toString() {
        return "InMemorySigner[" + address() + "]";
    }
}
