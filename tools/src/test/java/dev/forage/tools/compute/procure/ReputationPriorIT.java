package dev.forage.tools.compute.procure;

import static dev.forage.tools.compute.procure.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.forage.identity.Signer;
import dev.forage.identity.devchain.Anvil;
import dev.forage.identity.erc8004.Erc8004Registries;
import dev.forage.identity.erc8004.ReputationRegistry;
import dev.forage.identity.erc8004.ReputationRegistry.Feedback;
import dev.forage.identity.testing.AnvilExtension;
import dev.forage.tools.testing.MutableClock;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** ERC-8004 reputation as a procurement prior, against real registries on Anvil. */
@ExtendWith(AnvilExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReputationPriorIT {

    private Anvil anvil;
    private ReputationRegistry reputation;
    private Signer alice;
    private Signer bob;
    private BigInteger providerAgent;

    @BeforeAll
    void deploy(Anvil anvil) {
        this.anvil = anvil;
        Erc8004Registries registries = Erc8004Registries.deploy(anvil.chain(), anvil.account(0));
        reputation = registries.reputationRegistry(anvil.chain());
        Signer provider = anvil.fundedAccount(1);
        providerAgent = registries.identityRegistry(anvil.chain()).register(provider, "https://node.example/card.json").id()
                .agentId();
        alice = anvil.fundedAccount(1);
        bob = anvil.fundedAccount(1);
        Signer sybil = anvil.fundedAccount(1);
        reputation.giveFeedback(alice, providerAgent, Feedback.of(90, 0, "compute", "h100"));
        reputation.giveFeedback(bob, providerAgent, Feedback.of(7000, 2, "compute", ""));
        reputation.giveFeedback(bob, providerAgent, Feedback.of(10, 0, "inference", ""));
        reputation.giveFeedback(sybil, providerAgent, Feedback.of(100, 0, "compute", ""));
    }

    private ReputationPrior prior(ReputationRegistry registry) {
        return ReputationPrior.erc8004(registry, List.of(alice.address(), bob.address()), "compute",
                key -> key.market().equals("devnet") ? Optional.of(new BigInteger(key.providerId())) : Optional.empty());
    }

    @Test
    void theTrustedClientsRatingsWithTheTagBecomeThePrior() {
        // Alice 90 and Bob 70.00 on "compute"; Bob's "inference" rating and the untrusted client's 100 do not count.
        assertThat(prior(reputation).prior(new ProviderKey("devnet", providerAgent.toString())))
                .contains(new ReputationPrior.Prior(2, 80.0));
    }

    @Test
    void aProviderWithoutAnAgentOrWithoutRatingsHasNoPrior() {
        assertThat(prior(reputation).prior(new ProviderKey("akash", "akash1provider"))).isEmpty();
        assertThat(prior(reputation).prior(new ProviderKey("devnet", providerAgent.add(BigInteger.valueOf(99)).toString())))
                .isEmpty();
    }

    @Test
    void aFailingLookupIsNoPriorNotAFailure() {
        ReputationRegistry nowhere = ReputationRegistry.at(anvil.chain(), anvil.fundedAccount(1).address());
        assertThat(prior(nowhere).prior(new ProviderKey("devnet", providerAgent.toString()))).isEmpty();
    }

    @Test
    void procurementSeesTheReputationInItsCounterpartyView() {
        Procurement procurement = new Procurement(ProviderStatsStore.inMemory(), prior(reputation), ProcurementConfig.defaults(),
                new SplittableRandom(1), new MutableClock(T0));
        ProviderKey key = new ProviderKey("devnet", providerAgent.toString());
        assertThat(procurement.counterparty(key).reputation()).isEqualTo(80.0);
        // 2 ratings at weight 0.5: one pseudo-observation, 0.8 of a success, on top of the Beta(1, 1) population prior.
        assertThat(procurement.posterior(key).verify().alpha()).isCloseTo(1.8, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(procurement.posterior(key).verify().beta()).isCloseTo(1.2, org.assertj.core.api.Assertions.within(1e-12));
    }
}
