package dev.forage.tools.settle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forage.identity.Address;
import dev.forage.identity.ChainId;
import dev.forage.identity.Signature;
import dev.forage.identity.eip712.Eip712;
import dev.forage.identity.keys.InMemorySigner;
import java.math.BigInteger;
import dev.forage.tools.testing.Cases;
import java.util.random.RandomGenerator;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/** Lease ids, vouchers and EIP-3009 authorizations as values. */
class SettlementValuesTest {

    private static final Address ESCROW = Address.parse("0x5fbdb2315678afecb367f032d93f642f64180aa3");
    private static final ChainId CHAIN = ChainId.eip155(31337);

    private static Address address(RandomGenerator random) {
        byte[] bytes = new byte[20];
        random.nextBytes(bytes);
        return Address.of(bytes);
    }

    /** A number from 0 to Long.MAX_VALUE: an edge value one time in ten, else uniform. */
    private static long number(RandomGenerator random) {
        if (random.nextInt(10) == 0) {
            long[] edges = {0, 1, 2, Integer.MAX_VALUE, (1L << 32), Long.MAX_VALUE - 1, Long.MAX_VALUE};
            return edges[random.nextInt(edges.length)];
        }
        return random.nextLong(0, Long.MAX_VALUE) + (random.nextBoolean() ? 1 : 0);
    }

    static LongStream aLeaseIdNamesItsProviderAndNumber() {
        return Cases.seeds(1000);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource
    void aLeaseIdNamesItsProviderAndNumber(long seed) {
        RandomGenerator random = Cases.random(seed);
        Address provider = address(random);
        long n = number(random);
        Cases.check(seed, "provider " + provider + ", number " + n, () -> {
            BigInteger id = LeaseIds.of(provider, n);

            assertThat(LeaseIds.provider(id)).isEqualTo(provider);
            assertThat(LeaseIds.number(id)).isEqualTo(n);
            assertThat(id.bitLength()).isLessThanOrEqualTo(224);
        });
    }

    static LongStream theCompactVoucherSignatureRecoversTheAgent() {
        return Cases.seeds(30);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource
    void theCompactVoucherSignatureRecoversTheAgent(long seed) {
        RandomGenerator random = Cases.random(seed);
        long n = number(random);
        long amount = number(random);
        // the agent's key comes from the seed too, so a replay signs with the same key
        byte[] key = new byte[32];
        random.nextBytes(key);
        key[0] = (byte) (key[0] & 0x7f | 0x01); // below the curve order, never zero
        Cases.check(seed, "lease number " + n + ", amount " + amount, () -> {
            InMemorySigner agent = InMemorySigner.fromPrivateKey(key);
            Voucher v = new Voucher(LeaseIds.of(ESCROW, n), BigInteger.valueOf(amount), BigInteger.ONE);
            SignedVoucher signed = new SignedVoucher(v, agent.address(), agent.signTypedData(v.typedData(CHAIN, ESCROW)));

            BigInteger vs = new BigInteger(1, signed.vs());
            Signature fromCompact = new Signature(new BigInteger(1, signed.r()), vs.clearBit(255), vs.testBit(255) ? 28 : 27);

            assertThat(Eip712.recover(Eip712.digest(v.typedData(CHAIN, ESCROW)), fromCompact)).isEqualTo(agent.address());
        });
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
}
