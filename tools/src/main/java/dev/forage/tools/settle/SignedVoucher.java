package dev.forage.tools.settle;

import dev.forage.identity.Address;
import dev.forage.identity.Signature;
import java.math.BigInteger;
import java.util.Objects;
import org.web3j.utils.Numeric;

/**
 * A voucher with the agent's signature, as the provider keeps and redeems it.
 *
 * @param voucher what was signed
 * @param agent who claims to have signed it (checked against the signature on redemption)
 * @param signature the agent's EIP-712 signature
 */
public record SignedVoucher(Voucher voucher, Address agent, Signature signature) {

    public SignedVoucher {
        Objects.requireNonNull(voucher, "voucher");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(signature, "signature");
    }

    /** The signature's {@code r}, 32 bytes. */
    public byte[] r() {
        return Numeric.toBytesPadded(signature.r(), 32);
    }

    /** EIP-2098 compact {@code vs}: {@code s} with the y-parity in the top bit. */
    public byte[] vs() {
        BigInteger vs = signature.s();
        if (signature.v() == 28) {
            vs = vs.setBit(255);
        }
        return Numeric.toBytesPadded(vs, 32);
    }
}
