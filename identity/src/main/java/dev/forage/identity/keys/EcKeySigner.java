package dev.forage.identity.keys;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.forage.identity.Address;
import dev.forage.identity.Signature;
import dev.forage.identity.Signer;
import java.math.BigInteger;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;

/**
 * The signing core shared by the signers of this package. The key pair is private and no
 * method, {@code toString} or JSON form exposes it.
 */
abstract sealed class EcKeySigner implements Signer permits InMemorySigner, KeystoreSigner {

    private final ECKeyPair keyPair;
    private final Address address;

    EcKeySigner(ECKeyPair keyPair) {
        this.keyPair = keyPair;
        this.address = Address.parse("0x" + Keys.getAddress(keyPair));
    }

    @Override
    public final Address address() {
        return address;
    }

    @Override
    public final Signature sign(byte[] digest) {
        if (digest == null || digest.length != 32) {
            throw new IllegalArgumentException("a digest to sign has 32 bytes, got "
                    + (digest == null ? "none" : digest.length + " bytes") + "; hash the message first (Keccak-256)");
        }
        Sign.SignatureData sd = Sign.signMessage(digest, keyPair, false);
        return new Signature(new BigInteger(1, sd.getR()), new BigInteger(1, sd.getS()), sd.getV()[0] & 0xff);
    }

    /** The key pair, for subclasses that re-encrypt it; never exposed outside this package. */
    final ECKeyPair keyPair() {
        return keyPair;
    }

    @JsonValue
    @Override
    public abstract String toString();
}
