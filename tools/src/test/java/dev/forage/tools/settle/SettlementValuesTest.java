package dev.forage.tools.settle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forage.identity.Address;
import dev.forage.identity.ChainId;
import dev.forage.identity.Signature;
import dev.forage.identity.eip712.Eip712;
import dev.forage.identity.keys.InMemorySigner;
import java.math.BigInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/** Lease ids, vouchers and EIP-3009 authorizations as values. */
class SettlementValuesTest {

    private static final Address ESCROW = Address.parse("0x5fbdb2315678afecb367f032d93f642f64180aa3");
    private static final ChainId CHAIN = ChainId.eip155(31337);

    @Property
    void aLeaseIdNamesItsProviderAndNumber(@ForAll("addresses") Address provider, @ForAll("numbers") long n) {
        BigInteger id = LeaseIds.of(provider, n);

        assertThat(LeaseIds.provider(id)).isEqualTo(provider);
        assertThat(LeaseIds.number(id)).isEqualTo(n);
        assertThat(id.bitLength()).isLessThanOrEqualTo(224);
    }

    @Property(tries = 30)
    void theCompactVoucherSignatureRecoversTheAgent(@ForAll("numbers") long n, @ForAll("numbers") long amount) {
        InMemorySigner agent = InMemorySigner.generate();
        Voucher v = new Voucher(LeaseIds.of(ESCROW, n), BigInteger.valueOf(amount), BigInteger.ONE);
        SignedVoucher signed = new SignedVoucher(v, agent.address(), agent.signTypedData(v.typedData(CHAIN, ESCROW)));

        BigInteger vs = new BigInteger(1, signed.vs());
        Signature fromCompact = new Signature(new BigInteger(1, signed.r()), vs.clearBit(255), vs.testBit(255) ? 28 : 27);

        assertThat(Eip712.recover(Eip712.digest(v.typedData(CHAIN, ESCROW)), fromCompact)).isEqualTo(agent.address());
    }

    @Test
    void theVoucherTypeIsTheContractsTypehash() {
        Voucher v = new Voucher(LeaseIds.of(ESCROW, 1), BigInteger.TEN, BigInteger.ONE);

        byte[] typeHash = Eip712.typeHash(v.typedData(CHAIN, ESCROW), Voucher.PRIMARY_TYPE);

        assertThat(typeHash).isEqualTo(Hash.sha3("Voucher(uint256 leaseId,uint256 cumulativeAmount,uint256 nonce)"
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    }

    @Test
    void theAuthorizationTypeIsEip3009s() {
        TransferAuthorization a = new TransferAuthorization(ESCROW, ESCROW, BigInteger.ONE, BigInteger.ZERO, BigInteger.TEN,
                TransferAuthorization.nonceFor("k"));

        assertThat(Eip712.encodeType(a.typedData("USD Coin", "2", CHAIN, ESCROW), TransferAuthorization.PRIMARY_TYPE))
                .isEqualTo("TransferWithAuthorization(address from,address to,uint256 value,uint256 validAfter,"
                        + "uint256 validBefore,bytes32 nonce)");
    }

    @Test
    void nonceForIsAStableHashOfTheKey() {
        assertThat(TransferAuthorization.nonceFor("intent-1")).isEqualTo(TransferAuthorization.nonceFor("intent-1"))
                .isNotEqualTo(TransferAuthorization.nonceFor("intent-2"))
                .isEqualTo(Numeric.toHexString(Hash.sha3("forage.eip3009:intent-1".getBytes(java.nio.charset.StandardCharsets.UTF_8))));
    }

    @Test
    void invalidValuesAreRefusedWithTheirValue() {
        assertThatThrownBy(() -> new TransferAuthorization(ESCROW, ESCROW, BigInteger.ONE, BigInteger.TEN, BigInteger.TEN,
                TransferAuthorization.nonceFor("k"))).hasMessageContaining("validBefore 10 must be after validAfter 10");
        assertThatThrownBy(() -> new TransferAuthorization(ESCROW, ESCROW, BigInteger.ONE, BigInteger.ZERO, BigInteger.TEN, "0x12"))
                .hasMessageContaining("64 hex digits");
        assertThatThrownBy(() -> new Voucher(BigInteger.ONE.shiftLeft(230), BigInteger.ONE, BigInteger.ONE))
                .hasMessageContaining("is not an escrow lease id");
        assertThatThrownBy(() -> new Voucher(BigInteger.ONE, BigInteger.ONE.shiftLeft(96), BigInteger.ONE))
                .hasMessageContaining("2^96-1");
        assertThatThrownBy(() -> new EscrowCaps(BigInteger.TEN, BigInteger.ONE, java.time.Duration.ofDays(1)))
                .hasMessageContaining("at least maxPerLease");
    }

    @Provide
    Arbitrary<Address> addresses() {
        return Arbitraries.bytes().array(byte[].class).ofSize(20).map(Address::of);
    }

    @Provide
    Arbitrary<Long> numbers() {
        return Arbitraries.longs().between(0, Long.MAX_VALUE);
    }
}
