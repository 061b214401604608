package dev.forage.identity.erc8004;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forage.identity.Signer;
import dev.forage.identity.chain.ChainException;
import dev.forage.identity.devchain.Anvil;
import dev.forage.identity.erc8004.IdentityRegistry.Metadata;
import dev.forage.identity.erc8004.ReputationRegistry.Feedback;
import dev.forage.identity.testing.AnvilExtension;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.web3j.crypto.Hash;

/** Every function of the three registries, through our clients, against real Anvil. */
@ExtendWith(AnvilExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Erc8004RegistriesIT {

    private Anvil anvil;
    private Erc8004Registries registries;
    private IdentityRegistry identity;
    private ReputationRegistry reputation;
    private ValidationRegistry validation;

    @BeforeAll
    void deploy(Anvil anvil) {
        this.anvil = anvil;
        registries = Erc8004Registries.deploy(anvil.chain(), anvil.account(0));
        identity = registries.identityRegistry(anvil.chain());
        reputation = registries.reputationRegistry(anvil.chain());
        validation = registries.validationRegistry(anvil.chain());
    }

    private static byte[] hash(String s) {
        return Hash.sha3(s.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertReverts(Runnable call, String reason) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ChainException.class, e -> {
            assertThat(e.kind()).isEqualTo(ChainException.Kind.REVERTED);
            assertThat(e.revert().orElseThrow().describe()).contains(reason);
        });
    }


    @Test
    void theThreeRegisterOverloadsMintSequentialAgentsAndReportThemFromTheEvent() {
        Signer owner = anvil.fundedAccount(1);
        IdentityRegistry.Registration bare = identity.register(owner);
        IdentityRegistry.Registration withUri = identity.register(owner, "https://agent.example/card.json");
        IdentityRegistry.Registration withMetadata = identity.register(owner, "ipfs://card",
                List.of(Metadata.text("role", "buyer"), new Metadata("blob", new byte[] {1, 2, 3})));

        assertThat(withUri.id().agentId()).isEqualTo(bare.id().agentId().add(BigInteger.ONE));
        assertThat(withMetadata.id().agentId()).isEqualTo(bare.id().agentId().add(BigInteger.TWO));
        assertThat(bare.owner()).isEqualTo(owner.address());
        assertThat(bare.agentUri()).isEmpty();
        assertThat(withUri.agentUri()).isEqualTo("https://agent.example/card.json");
        assertThat(withUri.id().agentRegistry()).isEqualTo("eip155:" + anvil.chainId() + ":" + identity.address());
        assertThat(identity.agentUri(withUri.id().agentId())).isEqualTo("https://agent.example/card.json");
        assertThat(identity.ownerOf(withMetadata.id().agentId())).isEqualTo(owner.address());
        assertThat(new String(identity.metadata(withMetadata.id().agentId(), "role"), StandardCharsets.UTF_8)).isEqualTo("buyer");
        assertThat(identity.metadata(withMetadata.id().agentId(), "blob")).containsExactly(1, 2, 3);
        assertThat(identity.metadata(withMetadata.id().agentId(), "unset")).isEmpty();
    }

    @Test
    void aRevertedRegistrationIsATypedErrorAndMintsNothing() {
        Signer owner = anvil.fundedAccount(1);
        BigInteger next = identity.register(owner).id().agentId().add(BigInteger.ONE);

        assertReverts(() -> identity.register(owner, "uri", List.of(new Metadata(IdentityRegistry.AGENT_WALLET_KEY, new byte[20]))),
                "reserved key");
        assertThat(identity.register(owner).id().agentId()).isEqualTo(next);
    }

    @Test
    void aRegistrationAtAnAddressThatIsNoRegistryIsReported() {
        Signer owner = anvil.fundedAccount(1);
        IdentityRegistry notARegistry = IdentityRegistry.at(anvil.chain(), anvil.fundedAccount(1).address());
        assertThatThrownBy(() -> notARegistry.register(owner, "uri"))
                .hasMessageContaining("no Registered event")
                .hasMessageContaining(notARegistry.address().value());
    }

    @Test
    void registeringSetsTheAgentWalletToTheCaller() {
        Signer owner = anvil.fundedAccount(1);
        BigInteger id = identity.register(owner, "uri").id().agentId();
        assertThat(identity.agentWallet(id)).contains(owner.address());
        assertThat(identity.metadata(id, IdentityRegistry.AGENT_WALLET_KEY)).containsExactly(owner.address().bytes());
    }

    @Test
    void theOwnerUpdatesTheUriAndMetadataButNobodyElseCan() {
        Signer owner = anvil.fundedAccount(1);
        Signer stranger = anvil.fundedAccount(1);
        BigInteger id = identity.register(owner, "v1").id().agentId();

        identity.setAgentUri(owner, id, "v2");
        identity.setMetadata(owner, id, "model", "all-MiniLM-L6-v2".getBytes(StandardCharsets.UTF_8));

        assertThat(identity.agentUri(id)).isEqualTo("v2");
        assertThat(new String(identity.metadata(id, "model"), StandardCharsets.UTF_8)).isEqualTo("all-MiniLM-L6-v2");
        assertReverts(() -> identity.setAgentUri(stranger, id, "evil"), "Not authorized");
        assertReverts(() -> identity.setMetadata(stranger, id, "model", new byte[] {9}), "Not authorized");
        assertReverts(() -> identity.setMetadata(owner, id, IdentityRegistry.AGENT_WALLET_KEY, new byte[20]), "reserved key");

        // An approved operator may manage the agent.
        identity.setOperator(owner, stranger.address(), true);
        identity.setAgentUri(stranger, id, "v3");
        assertThat(identity.agentUri(id)).isEqualTo("v3");
    }

    @Test
    void aWalletIsSetOnlyWithTheNewWalletsEip712Proof() {
        Signer owner = anvil.fundedAccount(1);
        Signer wallet = anvil.fundedAccount(1);
        Signer impostor = anvil.fundedAccount(1);
        BigInteger id = identity.register(owner, "uri").id().agentId();

        identity.setAgentWallet(owner, id, wallet, Duration.ofMinutes(2));
        assertThat(identity.agentWallet(id)).contains(wallet.address());

        // A proof signed by someone other than the new wallet is refused.
        BigInteger deadline = BigInteger.valueOf(anvil.chain().latestBlockTime().getEpochSecond() + 60);
        byte[] forged = impostor.signTypedData(identity.walletProof(id, owner.address(), owner.address(), deadline)).bytes();
        assertReverts(() -> identity.setAgentWallet(owner, id, owner.address(), deadline, forged), "invalid wallet sig");
        // An expired deadline, and one more than five minutes ahead, are refused.
        BigInteger past = BigInteger.valueOf(anvil.chain().latestBlockTime().getEpochSecond() - 1);
        byte[] stale = wallet.signTypedData(identity.walletProof(id, wallet.address(), owner.address(), past)).bytes();
        assertReverts(() -> identity.setAgentWallet(owner, id, wallet.address(), past, stale), "expired");
        BigInteger far = BigInteger.valueOf(anvil.chain().latestBlockTime().getEpochSecond() + 3600);
        byte[] early = wallet.signTypedData(identity.walletProof(id, wallet.address(), owner.address(), far)).bytes();
        assertReverts(() -> identity.setAgentWallet(owner, id, wallet.address(), far, early), "deadline too far");
        assertThatThrownBy(() -> identity.setAgentWallet(owner, id, wallet, Duration.ofMinutes(6)))
                .hasMessageContaining("PT6M");

        identity.unsetAgentWallet(owner, id);
        assertThat(identity.agentWallet(id)).isEmpty();
    }

    @Test
    void transferringTheAgentClearsItsWallet() {
        Signer owner = anvil.fundedAccount(1);
        Signer buyer = anvil.fundedAccount(1);
        BigInteger id = identity.register(owner, "uri").id().agentId();
        assertThat(identity.agentWallet(id)).contains(owner.address());

        identity.transfer(owner, buyer.address(), id);

        assertThat(identity.ownerOf(id)).isEqualTo(buyer.address());
        assertThat(identity.agentWallet(id)).isEmpty();
    }

    @Test
    void reportsItsVersionAndUnknownAgentsRevertWithTheErc721Error() {
        assertThat(identity.version()).isNotBlank();
        assertReverts(() -> identity.ownerOf(BigInteger.valueOf(999_999)), "ERC721NonexistentToken(999999)");
    }


    @Test
    void clientsRateAgentsReadBackSummariseAndRevoke() {
        Signer owner = anvil.fundedAccount(1);
        Signer alice = anvil.fundedAccount(1);
        Signer bob = anvil.fundedAccount(1);
        BigInteger id = identity.register(owner, "uri").id().agentId();

        long a1 = reputation.giveFeedback(alice, id, Feedback.of(95, 0, "inference", "latency"));
        long a2 = reputation.giveFeedback(alice, id, new Feedback(BigInteger.valueOf(-1250), 2, "inference", "",
                "https://provider.example/v1", "ipfs://feedback", hash("feedback")));
        long b1 = reputation.giveFeedback(bob, id, Feedback.of(80, 0, "compute", ""));

        assertThat(List.of(a1, a2, b1)).containsExactly(1L, 2L, 1L);
        assertThat(reputation.lastIndex(id, alice.address())).isEqualTo(2);
        assertThat(reputation.lastIndex(id, owner.address())).isZero();
        assertThat(reputation.clients(id)).containsExactly(alice.address(), bob.address());
        assertThat(reputation.readFeedback(id, alice.address(), 2))
                .isEqualTo(new ReputationRegistry.Entry(BigInteger.valueOf(-1250), 2, "inference", "", false));

        ReputationRegistry.Summary both = reputation.summary(id, List.of(alice.address(), bob.address()), "", "");
        assertThat(both.count()).isEqualTo(3);
        ReputationRegistry.Summary inference = reputation.summary(id, List.of(alice.address(), bob.address()), "inference", "");
        assertThat(inference.count()).isEqualTo(2);
        // (95 + (-12.50)) / 2 = 41.25, in the most frequent decimals (0 and 2 tie: the smaller, 0).
        assertThat(inference.value()).isEqualTo(BigInteger.valueOf(41));
        assertThat(inference.decimals()).isZero();

        reputation.revokeFeedback(alice, id, 1);
        assertThat(reputation.readFeedback(id, alice.address(), 1).revoked()).isTrue();
        assertThat(reputation.summary(id, List.of(alice.address()), "", "").count()).isEqualTo(1);
        assertThat(reputation.readAllFeedback(id, List.of(), "", "", false))
                .extracting(r -> r.client().value() + "#" + r.index())
                .containsExactly(alice.address() + "#2", bob.address() + "#1");
        assertThat(reputation.readAllFeedback(id, List.of(alice.address()), "", "", true)).hasSize(2);
        assertReverts(() -> reputation.revokeFeedback(alice, id, 1), "Already revoked");
        assertReverts(() -> reputation.summary(id, List.of(), "", ""), "clientAddresses required");
    }

    @Test
    void anOwnerOrOperatorCannotRateItsOwnAgent() {
        Signer owner = anvil.fundedAccount(1);
        Signer operator = anvil.fundedAccount(1);
        BigInteger id = identity.register(owner, "uri").id().agentId();
        identity.setOperator(owner, operator.address(), true);

        assertReverts(() -> reputation.giveFeedback(owner, id, Feedback.of(100, 0, "", "")), "Self-feedback not allowed");
        assertReverts(() -> reputation.giveFeedback(operator, id, Feedback.of(100, 0, "", "")), "Self-feedback not allowed");
        assertThat(reputation.clients(id)).isEmpty();
    }

    @Test
    void anyoneMayAppendResponsesWhichAreCounted() {
        Signer owner = anvil.fundedAccount(1);
        Signer client = anvil.fundedAccount(1);
        BigInteger id = identity.register(owner, "uri").id().agentId();
        long index = reputation.giveFeedback(client, id, Feedback.of(10, 0, "", ""));

        reputation.appendResponse(owner, id, client.address(), index, "ipfs://refund-proof", hash("refund"));
        reputation.appendResponse(owner, id, client.address(), index, "ipfs://again", hash("again"));

        assertThat(reputation.responseCount(id, client.address(), index, List.of())).isEqualTo(2);
        assertThat(reputation.responseCount(id, client.address(), index, List.of(owner.address()))).isEqualTo(2);
        assertThat(reputation.responseCount(id, client.address(), index, List.of(client.address()))).isZero();
        assertReverts(() -> reputation.appendResponse(owner, id, client.address(), 7, "x", hash("x")), "index out of bounds");
    }

    @Test
    void pointsAtItsIdentityRegistryAndRejectsOutOfRangeValues() {
        assertThat(reputation.identityRegistry()).isEqualTo(identity.address());
        assertThat(reputation.version()).isNotBlank();
        Signer owner = anvil.fundedAccount(1);
        Signer client = anvil.fundedAccount(1);
        BigInteger id = identity.register(owner, "uri").id().agentId();
        assertReverts(() -> reputation.giveFeedback(client, id, Feedback.of(1, 19, "", "")), "too many decimals");
    }


    @Test
    void theOwnerRequestsTheValidatorAnswersRepeatedlyAndSummariesFollow() {
        Signer owner = anvil.fundedAccount(1);
        Signer validator = anvil.fundedAccount(1);
        Signer other = anvil.fundedAccount(1);
        BigInteger id = identity.register(owner, "uri").id().agentId();
        byte[] first = hash("job-1 " + id);
        byte[] second = hash("job-2 " + id);

        validation.request(owner, validator.address(), id, "ipfs://job-1", first);
        validation.request(owner, validator.address(), id, "ipfs://job-2", second);
        validation.respond(validator, first, 40, "ipfs://soft", hash("soft"), "soft-finality");
        validation.respond(validator, first, 90, "ipfs://hard", hash("hard"), "hard-finality");
        validation.respond(validator, second, 70, "", new byte[32], "hard-finality");

        ValidationRegistry.Status status = validation.status(first);
        assertThat(status.validator()).isEqualTo(validator.address());
        assertThat(status.agentId()).isEqualTo(id);
        assertThat(status.response()).isEqualTo(90);
        assertThat(status.responseHash()).isEqualTo(hash("hard"));
        assertThat(status.tag()).isEqualTo("hard-finality");
        assertThat(status.lastUpdate()).isAfter(java.time.Instant.EPOCH);

        assertThat(validation.summary(id, List.of(), "")).isEqualTo(new ValidationRegistry.Summary(2, 80));
        assertThat(validation.summary(id, List.of(validator.address()), "hard-finality").count()).isEqualTo(2);
        assertThat(validation.summary(id, List.of(other.address()), "").count()).isZero();
        assertThat(validation.agentValidations(id)).containsExactly(first, second);
        assertThat(validation.validatorRequests(validator.address())).containsExactly(first, second);

        assertReverts(() -> validation.respond(other, first, 100, "", new byte[32], ""), "not validator");
        assertReverts(() -> validation.request(other, validator.address(), id, "x", hash("x " + id)), "Not authorized");
        assertReverts(() -> validation.request(owner, validator.address(), id, "again", first), "exists");
        assertThatThrownBy(() -> validation.respond(validator, first, 101, "", new byte[32], ""))
                .hasMessageContaining("101");
    }

    @Test
    void pointsAtItsIdentityRegistry() {
        assertThat(validation.identityRegistry()).isEqualTo(identity.address());
        assertThat(validation.version()).isNotBlank();
        assertReverts(() -> validation.status(hash("never requested")), "unknown");
    }
}
