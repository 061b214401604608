package dev.forage.tools.settle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forage.identity.Signature;
import dev.forage.identity.Signer;
import dev.forage.identity.chain.Abi;
import dev.forage.identity.chain.ChainException;
import dev.forage.identity.chain.TxReceipt;
import dev.forage.identity.chain.TxRequest;
import dev.forage.identity.devchain.Anvil;
import dev.forage.identity.eip712.Eip712;
import dev.forage.identity.testing.AnvilExtension;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** TestUSDC on Anvil: metadata, minting, EIP-2612 permits and every EIP-3009 path, good and bad. */
@ExtendWith(AnvilExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestUsdcIT {

    private SettlementFixture f;
    private Anvil anvil;

    @BeforeAll
    void deploy(Anvil anvil) {
        this.anvil = anvil;
        this.f = new SettlementFixture(anvil).fundAgent(1_000);
    }

    @Test
    void looksLikeUsdcAndItsDomainIsTheOneJavaSignsUnder() {
        assertThat(Abi.decode(anvil.chain().call(f.usdc.address(), Abi.encodeCall("name()")), "string").get(0).getValue())
                .isEqualTo("USD Coin");
        assertThat(Abi.decode(anvil.chain().call(f.usdc.address(), Abi.encodeCall("symbol()")), "string").get(0).getValue())
                .isEqualTo("USDC");
        assertThat(Abi.decode(anvil.chain().call(f.usdc.address(), Abi.encodeCall("decimals()")), "uint8").get(0).getValue())
                .isEqualTo(BigInteger.valueOf(6));
        byte[] javaSeparator = Eip712.domainSeparator(new dev.forage.identity.eip712.TypedData(
                Map.of("X", List.of(new dev.forage.identity.eip712.TypedData.Field("a", "uint256"))), "X", f.usdc.domain(),
                Map.of("a", BigInteger.ONE)));
        assertThat(f.usdc.domainSeparator()).isEqualTo(javaSeparator);
    }

    @Test
    void onlyTheDeployerMints() {
        Signer stranger = anvil.fundedAccount(1);

        assertThatThrownBy(() -> f.usdc.mint(stranger, stranger.address(), BigInteger.ONE))
                .isInstanceOfSatisfying(SettlementException.class, e ->
                        assertThat(e.revert().orElseThrow().name()).isEqualTo("NotMinter"));
        assertThat(f.usdc.balanceOf(stranger.address())).isZero();
    }

    @Test
    void aPermitSetsTheAllowanceOnceAndRefusesReplaysAndForgeries() {
        Signer spender = anvil.fundedAccount(1);
        BigInteger deadline = BigInteger.valueOf(anvil.chain().latestBlockTime().plusSeconds(600).getEpochSecond());
        BigInteger nonce = f.usdc.permitNonce(f.agent.address());
        Signature permit = f.usdc.signPermit(f.agent, spender.address(), BigInteger.valueOf(77), deadline);

        anvil.chain().sender(spender).sendAndWait(permitCall(f.agent, spender, 77, deadline, permit));

        assertThat(f.usdc.allowance(f.agent.address(), spender.address())).isEqualTo(BigInteger.valueOf(77));
        assertThat(f.usdc.permitNonce(f.agent.address())).isEqualTo(nonce.add(BigInteger.ONE));
        assertThat(revertOf(spender, permitCall(f.agent, spender, 77, deadline, permit))).isEqualTo("InvalidPermitSignature");
        Signature forged = f.usdc.signPermit(spender, spender.address(), BigInteger.valueOf(1_000), deadline);
        assertThat(revertOf(spender, permitCall(f.agent, spender, 1_000, deadline, forged))).isEqualTo("InvalidPermitSignature");
        BigInteger past = BigInteger.valueOf(anvil.chain().latestBlockTime().minusSeconds(1).getEpochSecond());
        Signature late = f.usdc.signPermit(f.agent, spender.address(), BigInteger.ONE, past);
        assertThat(revertOf(spender, permitCall(f.agent, spender, 1, past, late))).isEqualTo("PermitExpired");
    }

    @Test
    void transferWithAuthorizationPaysOnceAndEmitsAuthorizationUsed() {
        Signer relayer = anvil.fundedAccount(1);
        TransferAuthorization a = authorization(f.provider, 1_234, "twa-once", -60, 600);
        Signature sig = f.usdc.signAuthorization(f.agent, a);
        BigInteger before = f.usdc.balanceOf(f.provider.address());

        TxReceipt receipt = anvil.chain().sender(relayer).sendAndWait(f.usdc.transferWithAuthorizationRequest(a, sig));

        assertThat(f.usdc.balanceOf(f.provider.address())).isEqualTo(before.add(BigInteger.valueOf(1_234)));
        assertThat(f.usdc.authorizationState(f.agent.address(), a.nonce())).isTrue();
        assertThat(receipt.logs(f.usdc.address(), TestUsdc.AUTHORIZATION_USED_TOPIC)).singleElement()
                .satisfies(l -> assertThat(l.topics().get(2)).isEqualTo(a.nonce()));
        assertThat(f.usdc.authorizationUsedIn(f.agent.address(), a.nonce())).contains(receipt.txHash());
        // The replay, in both signature encodings.
        assertThat(revertOf(relayer, f.usdc.transferWithAuthorizationRequest(a, sig))).isEqualTo("AuthorizationAlreadyUsed");
        assertThat(revertOf(relayer, f.usdc.transferWithAuthorizationRequest(a, sig.bytes()))).isEqualTo("AuthorizationAlreadyUsed");
        assertThat(f.usdc.balanceOf(f.provider.address())).isEqualTo(before.add(BigInteger.valueOf(1_234)));
    }

    @Test
    void theBytesSignatureOverloadWorksToo() {
        TransferAuthorization a = authorization(f.provider, 5, "twa-bytes", -60, 600);

        anvil.chain().sender(f.deployer).sendAndWait(f.usdc.transferWithAuthorizationRequest(a, f.usdc.signAuthorization(f.agent, a).bytes()));

        assertThat(f.usdc.authorizationState(f.agent.address(), a.nonce())).isTrue();
    }

    @Test
    void anyEip3009TokenClientWorksUnderItsOwnDomainAndOnlyThatOne() {
        Eip3009Token asUsdc = Eip3009Token.at(anvil.chain(), f.usdc.address(), Eip3009Token.Domain.usdc());
        Eip3009Token wrongDomain = Eip3009Token.at(anvil.chain(), f.usdc.address(), new Eip3009Token.Domain("Not USDC", "1"));
        Signer relayer = anvil.fundedAccount(1);
        TransferAuthorization right = authorization(f.provider, 3, "domain-right", -60, 600);
        TransferAuthorization wrong = authorization(f.provider, 3, "domain-wrong", -60, 600);

        anvil.chain().sender(relayer).sendAndWait(asUsdc.transferWithAuthorizationRequest(right, asUsdc.signAuthorization(f.agent, right)));

        assertThat(asUsdc.authorizationState(f.agent.address(), right.nonce())).isTrue();
        assertThat(asUsdc.eip712Domain()).isEqualTo(f.usdc.eip712Domain());
        assertThat(revertOf(relayer, wrongDomain.transferWithAuthorizationRequest(wrong, wrongDomain.signAuthorization(f.agent, wrong))))
                .isEqualTo("InvalidAuthorizationSignature");
    }

    @Test
    void refusesAuthorizationsOutsideTheirWindowOrSignedByAnotherKey() {
        Signer relayer = anvil.fundedAccount(1);
        TransferAuthorization early = authorization(f.provider, 1, "early", 300, 600);
        TransferAuthorization late = authorization(f.provider, 1, "late", -600, -1);
        TransferAuthorization fine = authorization(f.provider, 1, "forged", -60, 600);

        assertThat(revertOf(relayer, f.usdc.transferWithAuthorizationRequest(early, f.usdc.signAuthorization(f.agent, early))))
                .isEqualTo("AuthorizationNotYetValid");
        assertThat(revertOf(relayer, f.usdc.transferWithAuthorizationRequest(late, f.usdc.signAuthorization(f.agent, late))))
                .isEqualTo("AuthorizationExpired");
        Signature other = relayer.signTypedData(fine.typedData(TestUsdc.EIP712_NAME, TestUsdc.EIP712_VERSION,
                anvil.chain().chainId(), f.usdc.address()));
        assertThat(revertOf(relayer, f.usdc.transferWithAuthorizationRequest(fine, other))).isEqualTo("InvalidAuthorizationSignature");
        assertThat(f.usdc.authorizationState(f.agent.address(), fine.nonce())).isFalse();
    }

    @Test
    void receiveWithAuthorizationOnlyForThePayeeAndCancelBlocksAnAuthorization() {
        Signer stranger = anvil.fundedAccount(1);
        TransferAuthorization a = authorization(f.provider, 9, "receive", -60, 600);
        Signature sig = f.usdc.signReceiveAuthorization(f.agent, a);

        assertThat(revertOf(stranger, f.usdc.receiveWithAuthorizationRequest(a, sig))).isEqualTo("CallerMustBePayee");
        anvil.chain().sender(f.provider).sendAndWait(f.usdc.receiveWithAuthorizationRequest(a, sig));
        assertThat(f.usdc.authorizationState(f.agent.address(), a.nonce())).isTrue();

        TransferAuthorization canceled = authorization(f.provider, 9, "canceled", -60, 600);
        Signature cancel = f.usdc.signCancelAuthorization(f.agent, canceled.nonce());
        anvil.chain().sender(stranger).sendAndWait(f.usdc.cancelAuthorizationRequest(f.agent.address(), canceled.nonce(), cancel));
        assertThat(revertOf(stranger, f.usdc.transferWithAuthorizationRequest(canceled, f.usdc.signAuthorization(f.agent, canceled))))
                .isEqualTo("AuthorizationAlreadyUsed");
    }

    private TransferAuthorization authorization(Signer to, long value, String key, long afterOffset, long beforeOffset) {
        long now = anvil.chain().latestBlockTime().getEpochSecond();
        return new TransferAuthorization(f.agent.address(), to.address(), BigInteger.valueOf(value),
                BigInteger.valueOf(Math.max(0, now + afterOffset)), BigInteger.valueOf(now + beforeOffset), TransferAuthorization.nonceFor(key));
    }

    private TxRequest permitCall(Signer owner, Signer spender, long value, BigInteger deadline, Signature sig) {
        return TxRequest.call(f.usdc.address(), Abi.encodeCall("permit(address,address,uint256,uint256,uint8,bytes32,bytes32)",
                Abis.addr(owner.address()), Abis.addr(spender.address()), Abis.uint(value), Abis.uint(deadline), Abis.uint8(sig.v()),
                Abis.bytes32(org.web3j.utils.Numeric.toBytesPadded(sig.r(), 32)),
                Abis.bytes32(org.web3j.utils.Numeric.toBytesPadded(sig.s(), 32)))).withGasLimit(200_000);
    }

    /** Sends {@code request} with a fixed gas limit (so it is mined even though it reverts) and returns the custom error's name. */
    private String revertOf(Signer from, TxRequest request) {
        try {
            anvil.chain().sender(from).sendAndWait(request.withGasLimit(300_000));
        } catch (ChainException e) {
            return e.revert().orElseThrow().name();
        }
        throw new AssertionError("expected a revert");
    }

}
