package dev.forage.tools.x402;

import static org.assertj.core.api.Assertions.assertThat;

import dev.forage.identity.Address;
import dev.forage.identity.ChainId;
import dev.forage.identity.Signer;
import dev.forage.identity.devchain.Anvil;
import dev.forage.identity.keys.InMemorySigner;
import dev.forage.identity.testing.AnvilExtension;
import dev.forage.tools.settle.TestUsdc;
import dev.forage.tools.settle.TransferAuthorization;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The exact-EVM facilitator against TestUSDC on Anvil: settles valid payments by
 * {@code transferWithAuthorization}, answers every invalid one with the x402 error code, and
 * never pays a replay (settling the same authorization again returns the first transaction).
 */
@ExtendWith(AnvilExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExactEvmFacilitatorIT {

    private static final BigInteger PRICE = BigInteger.valueOf(10_000);

    private Anvil anvil;
    private TestUsdc usdc;
    private Signer deployer;
    private Signer payer;
    private Address payTo;
    private ExactEvmFacilitator facilitator;
    private final X402Networks networks = X402Networks.defaults();

    @BeforeAll
    void deploy(Anvil anvil) {
        this.anvil = anvil;
        deployer = anvil.fundedAccount(10);
        payer = anvil.fundedAccount(10);
        payTo = InMemorySigner.generate().address();
        usdc = TestUsdc.deploy(anvil.chain(), deployer);
        usdc.mint(deployer, payer.address(), BigInteger.valueOf(1_000_000));
        facilitator = new ExactEvmFacilitator(anvil.chain(), anvil.fundedAccount(10), Set.of(usdc.address()), networks);
    }

    @Test
    void settlesAValidV2PaymentOnceAndRefusesItsReplay() {
        PaymentRequirements req = requirements("eip155:31337", PRICE);
        PaymentPayload payload = payload(2, req, payer, payTo, PRICE, "settle-once", -600, 60);
        BigInteger before = usdc.balanceOf(payTo);

        VerifyResponse verified = facilitator.verify(payload, req);
        SettlementResponse settled = facilitator.settle(payload, req);

        assertThat(verified).isEqualTo(VerifyResponse.valid(payer.address().value()));
        assertThat(settled.success()).isTrue();
        assertThat(settled.network()).isEqualTo("eip155:31337");
        assertThat(settled.payer()).contains(payer.address().value());
        assertThat(anvil.chain().receipt(settled.transaction()).orElseThrow().from()).isEqualTo(facilitator.address());
        assertThat(usdc.balanceOf(payTo)).isEqualTo(before.add(PRICE));

        assertThat(facilitator.verify(payload, req).invalidReason()).contains("invalid_transaction_state");
        SettlementResponse again = facilitator.settle(payload, req);
        assertThat(again.success()).as("settling the same authorization again is idempotent").isTrue();
        assertThat(again.transaction()).isEqualTo(settled.transaction());
        assertThat(usdc.balanceOf(payTo)).as("paid once").isEqualTo(before.add(PRICE));
    }

    @Test
    void settlesAV1PaymentWithANetworkName() {
        PaymentRequirements req = PaymentRequirements.exactV1("anvil", PRICE, usdc.address().value(), payTo.value(), 60,
                TestUsdc.EIP712_NAME, TestUsdc.EIP712_VERSION, "http://127.0.0.1/x", "x");
        PaymentPayload payload = payload(1, req, payer, payTo, PRICE, "v1", -600, 60);

        SettlementResponse settled = facilitator.settle(payload, req);

        assertThat(settled.success()).isTrue();
        assertThat(settled.network()).isEqualTo("anvil");
    }

    @Test
    void everyInvalidPaymentGetsItsX402Reason() {
        PaymentRequirements req = requirements("eip155:31337", PRICE);
        Signer impostor = anvil.fundedAccount(1);
        Signer broke = anvil.fundedAccount(1);
        Address elsewhere = InMemorySigner.generate().address();

        assertThat(reason(forged(req, impostor), req)).isEqualTo("invalid_exact_evm_payload_signature");
        assertThat(reason(payload(2, req, payer, elsewhere, PRICE, "to", -600, 60), req))
                .isEqualTo("invalid_exact_evm_payload_recipient_mismatch");
        assertThat(reason(payload(2, req, payer, payTo, PRICE, "late", -600, -1), req))
                .isEqualTo("invalid_exact_evm_payload_authorization_valid_before");
        assertThat(reason(payload(2, req, payer, payTo, PRICE, "tight", -600, 3), req))
                .as("too little time left to settle").isEqualTo("invalid_exact_evm_payload_authorization_valid_before");
        assertThat(reason(payload(2, req, payer, payTo, PRICE, "early", 120, 600), req))
                .isEqualTo("invalid_exact_evm_payload_authorization_valid_after");
        assertThat(reason(payload(2, req, payer, payTo, PRICE.subtract(BigInteger.ONE), "short", -600, 60), req))
                .isEqualTo("invalid_exact_evm_payload_authorization_value");
        assertThat(reason(payload(2, req, broke, payTo, PRICE, "broke", -600, 60), req)).isEqualTo("insufficient_funds");

        PaymentRequirements otherAsset = PaymentRequirements.exactV2("eip155:31337", PRICE, elsewhere.value(), payTo.value(), 60,
                TestUsdc.EIP712_NAME, TestUsdc.EIP712_VERSION);
        assertThat(reason(payload(2, otherAsset, payer, payTo, PRICE, "asset", -600, 60), otherAsset))
                .isEqualTo("invalid_payment_requirements");
        PaymentRequirements otherChain = requirements("eip155:8453", PRICE);
        assertThat(reason(payload(2, otherChain, payer, payTo, PRICE, "chain", -600, 60), otherChain)).isEqualTo("invalid_network");
        PaymentRequirements upto = X402Codec.requirements(2, "upto", "eip155:31337", PRICE, usdc.address().value(), payTo.value(),
                60, requirements("eip155:31337", PRICE).extra(), Optional.empty(), Optional.empty(), Optional.empty());
        assertThat(reason(payload(2, upto, payer, payTo, PRICE, "upto", -600, 60), upto)).isEqualTo("unsupported_scheme");
        PaymentPayload cheaper = payload(2, requirements("eip155:31337", BigInteger.ONE), payer, payTo, PRICE, "accepted", -600, 60);
        assertThat(reason(cheaper, req)).as("accepted other requirements").isEqualTo("invalid_payment_requirements");
        PaymentRequirements wrongDomain = PaymentRequirements.exactV2("eip155:31337", PRICE, usdc.address().value(), payTo.value(),
                60, "USDC", "2");
        assertThat(reason(payload(2, wrongDomain, payer, payTo, PRICE, "domain", -600, 60), req))
                .as("signed under another EIP-712 domain").isIn("invalid_exact_evm_payload_signature", "invalid_payment_requirements");
    }

    @Test
    void aCanceledAuthorizationIsNeverSettled() {
        PaymentRequirements req = requirements("eip155:31337", PRICE);
        PaymentPayload payload = payload(2, req, payer, payTo, PRICE, "canceled", -600, 60);
        String nonce = payload.payload().authorization().nonce();
        anvil.chain().sender(payer).sendAndWait(usdc.cancelAuthorizationRequest(payer.address(), nonce,
                usdc.signCancelAuthorization(payer, nonce)));
        BigInteger before = usdc.balanceOf(payTo);

        SettlementResponse settled = facilitator.settle(payload, req);

        assertThat(settled.success()).isFalse();
        assertThat(settled.errorReason()).contains("invalid_transaction_state");
        assertThat(settled.transaction()).isEmpty();
        assertThat(usdc.balanceOf(payTo)).isEqualTo(before);
    }

    @Test
    void saysWhatItSupports() {
        SupportedResponse supported = facilitator.supported();

        assertThat(supported.kinds()).extracting(SupportedResponse.Kind::x402Version, SupportedResponse.Kind::scheme,
                SupportedResponse.Kind::network).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(2, "exact", "eip155:31337"),
                        org.assertj.core.groups.Tuple.tuple(1, "exact", "anvil"));
        assertThat(supported.signers()).isEqualTo(Map.of("eip155:*", List.of(facilitator.address().value())));
    }

    private String reason(PaymentPayload payload, PaymentRequirements req) {
        VerifyResponse verified = facilitator.verify(payload, req);
        SettlementResponse settled = facilitator.settle(payload, req);
        assertThat(verified.isValid()).isFalse();
        assertThat(settled.success()).isFalse();
        assertThat(settled.errorReason()).isEqualTo(verified.invalidReason());
        return verified.invalidReason().orElseThrow();
    }

    private PaymentRequirements requirements(String network, BigInteger amount) {
        return PaymentRequirements.exactV2(network, amount, usdc.address().value(), payTo.value(), 60, TestUsdc.EIP712_NAME,
                TestUsdc.EIP712_VERSION);
    }

    private PaymentPayload payload(int version, PaymentRequirements req, Signer from, Address to, BigInteger value, String key,
            long afterOffset, long beforeOffset) {
        long now = anvil.chain().latestBlockTime().getEpochSecond();
        TransferAuthorization a = new TransferAuthorization(from.address(), to, value, BigInteger.valueOf(now + afterOffset),
                BigInteger.valueOf(now + beforeOffset), TransferAuthorization.nonceFor(key + "/" + from.address()));
        ChainId chain = anvil.chain().chainId();
        ExactEvmPayload p = ExactEvmPayload.of(from.signTypedData(a.typedData(req.tokenName().orElseThrow(),
                req.tokenVersion().orElseThrow(), chain, Address.parse(req.asset()))), a);
        return version == 1
                ? new PaymentPayload(1, req.scheme(), req.network(), Optional.empty(), Optional.empty(), p, Optional.empty())
                : new PaymentPayload(2, req.scheme(), req.network(), Optional.of(ResourceInfo.of("http://127.0.0.1/x")),
                        Optional.of(req), p, Optional.empty());
    }

    private PaymentPayload forged(PaymentRequirements req, Signer impostor) {
        PaymentPayload honest = payload(2, req, payer, payTo, PRICE, "forged", -600, 60);
        TransferAuthorization a = honest.payload().authorization();
        ExactEvmPayload p = ExactEvmPayload.of(impostor.signTypedData(a.typedData(TestUsdc.EIP712_NAME, TestUsdc.EIP712_VERSION,
                anvil.chain().chainId(), usdc.address())), a);
        return new PaymentPayload(2, "exact", req.network(), honest.resource(), honest.accepted(), p, Optional.empty());
    }
}
