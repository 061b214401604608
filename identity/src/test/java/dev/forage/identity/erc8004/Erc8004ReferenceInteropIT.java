package dev.forage.identity.erc8004;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.forage.identity.Address;
import dev.forage.identity.Signature;
import dev.forage.identity.Signer;
import dev.forage.identity.chain.Abi;
import dev.forage.identity.chain.ChainException;
import dev.forage.identity.chain.ContractArtifact;
import dev.forage.identity.chain.EvmChain;
import dev.forage.identity.chain.RevertReason;
import dev.forage.identity.chain.TxReceipt;
import dev.forage.identity.chain.TxRequest;
import dev.forage.identity.devchain.Anvil;
import dev.forage.identity.keys.InMemorySigner;
import dev.forage.identity.testing.AnvilExtension;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Bytes4;
import org.web3j.abi.datatypes.generated.Int128;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint8;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * Our IdentityRegistry against what the ERC-8004 reference source v2.0.0 expects of it, on real
 * Anvil: {@code isAuthorizedOrOwner} as a reference-style ReputationRegistry calls it, wallet
 * proofs from ERC-1271 smart-contract wallets and malformed ones from accounts, and reverts that
 * decode by name on a chain connection that never deployed the registry. The test contracts
 * are in {@code src/test/solidity/}, compiled with {@code compile-contracts.mjs identity --test}.
 */
@ExtendWith(AnvilExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Erc8004ReferenceInteropIT {

    private static final String TEST_CONTRACTS = "/dev/forage/identity/testcontracts";
    private static final byte[] ERC1271_MAGIC = Numeric.hexStringToByteArray("0x1626ba7e");
    /** The secp256k1 group order: s and n - s are the two signatures of one message. */
    private static final BigInteger SECP256K1_N =
            new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);
    private static final String GIVE_FEEDBACK = "giveFeedback(uint256,int128,uint8,string,string,string,string,bytes32)";
    private static final String NEW_FEEDBACK =
            Abi.topic("NewFeedback(uint256,address,uint64,int128,uint8,string,string,string,string,string,bytes32)");

    private Anvil anvil;
    private Erc8004Registries registries;
    private IdentityRegistry identity;
    private Address referenceStyleReputation;

    @BeforeAll
    void deploy(Anvil anvil) {
        this.anvil = anvil;
        Signer deployer = anvil.fundedAccount(10);
        registries = Erc8004Registries.deploy(anvil.chain(), deployer);
        identity = registries.identityRegistry(anvil.chain());
        referenceStyleReputation = deployTestContract(deployer, "MinimalReputationRegistry",
                Abi.encodeArguments(new org.web3j.abi.datatypes.Address(identity.address().value())));
    }

    // ---------------------------------------------------------------- isAuthorizedOrOwner

    @Test
    void theOwnerAndBothKindsOfOperatorAreAuthorizedAndNobodyElse() {
        Signer owner = anvil.fundedAccount(1);
        Signer operatorForAll = anvil.fundedAccount(1);
        Signer approvedForToken = anvil.fundedAccount(1);
        Signer stranger = anvil.fundedAccount(1);
        BigInteger id = identity.register(owner, "uri").id().agentId();
        BigInteger otherAgent = identity.register(owner, "uri").id().agentId();
        identity.setOperator(owner, operatorForAll.address(), true);
        approve(owner, approvedForToken.address(), id);

        assertThat(identity.isAuthorizedOrOwner(owner.address(), id)).isTrue();
        assertThat(identity.isAuthorizedOrOwner(operatorForAll.address(), id)).isTrue();
        assertThat(identity.isAuthorizedOrOwner(approvedForToken.address(), id)).isTrue();
        assertThat(identity.isAuthorizedOrOwner(stranger.address(), id)).isFalse();
        assertThat(identity.isAuthorizedOrOwner(Address.ZERO, id)).isFalse();
        // Approval for one token is for that token only; approval for all covers the other one.
        assertThat(identity.isAuthorizedOrOwner(approvedForToken.address(), otherAgent)).isFalse();
        assertThat(identity.isAuthorizedOrOwner(operatorForAll.address(), otherAgent)).isTrue();
    }

    @Test
    void aTransferMovesTheAuthorizationToTheNewOwner() {
        Signer seller = anvil.fundedAccount(1);
        Signer buyer = anvil.fundedAccount(1);
        BigInteger id = identity.register(seller, "uri").id().agentId();

        identity.transfer(seller, buyer.address(), id);

        assertThat(identity.isAuthorizedOrOwner(seller.address(), id)).isFalse();
        assertThat(identity.isAuthorizedOrOwner(buyer.address(), id)).isTrue();
    }

    @Test
    void anUnknownAgentRevertsWithTheErc721ErrorAsInTheReference() {
        BigInteger unknown = BigInteger.valueOf(888_888);

        assertRevertsWith(() -> identity.isAuthorizedOrOwner(anvil.fundedAccount(1).address(), unknown),
                "ERC721NonexistentToken", unknown.toString());
    }

    // ---------------------------------------------------------------- reference-style reputation

    @Test
    void aReferenceStyleReputationRegistryAcceptsFeedbackFromAClient() {
        Signer owner = anvil.fundedAccount(1);
        Signer client = anvil.fundedAccount(1);
        BigInteger id = identity.register(owner, "uri").id().agentId();

        TxReceipt first = giveReferenceStyleFeedback(client, id, BigInteger.valueOf(95));
        giveReferenceStyleFeedback(client, id, BigInteger.valueOf(-3));

        TxReceipt.Log event = first.logs(referenceStyleReputation, NEW_FEEDBACK).stream().findFirst().orElseThrow();
        assertThat(Abi.decodeTopic(event.topics().get(1), "uint256").getValue()).isEqualTo(id);
        assertThat(Address.parse((String) Abi.decodeTopic(event.topics().get(2), "address").getValue()))
                .isEqualTo(client.address());
        assertThat(readUint(referenceStyleReputation, Abi.encodeCall("getLastIndex(uint256,address)", new Uint256(id),
                addr(client.address())), "uint64")).isEqualTo(BigInteger.TWO);
        assertThat(readUint(referenceStyleReputation, Abi.encodeCall("feedbackValue(uint256,address,uint64)", new Uint256(id),
                addr(client.address()), new org.web3j.abi.datatypes.generated.Uint64(BigInteger.TWO)), "int128"))
                .isEqualTo(BigInteger.valueOf(-3));
    }

    @Test
    void aReferenceStyleReputationRegistryRefusesTheOwnerAndEveryOperator() {
        Signer owner = anvil.fundedAccount(1);
        Signer operatorForAll = anvil.fundedAccount(1);
        Signer approvedForToken = anvil.fundedAccount(1);
        BigInteger id = identity.register(owner, "uri").id().agentId();
        identity.setOperator(owner, operatorForAll.address(), true);
        approve(owner, approvedForToken.address(), id);

        for (Signer self : List.of(owner, operatorForAll, approvedForToken)) {
            assertRevertsWith(() -> giveReferenceStyleFeedback(self, id, BigInteger.ONE), "Error", "Self-feedback not allowed");
        }
        assertThat(readUint(referenceStyleReputation, Abi.encodeCall("getLastIndex(uint256,address)", new Uint256(id),
                addr(owner.address())), "uint64")).isZero();
    }

    @Test
    void aReferenceStyleReputationRegistryPassesOnTheUnknownAgentRevert() {
        BigInteger unknown = BigInteger.valueOf(777_777);

        assertRevertsWith(() -> giveReferenceStyleFeedback(anvil.fundedAccount(1), unknown, BigInteger.ONE),
                "ERC721NonexistentToken", unknown.toString());
    }

    // ---------------------------------------------------------------- wallet proofs

    @Test
    void anErc1271SmartContractWalletIsAcceptedAsTheAgentWallet() {
        Signer owner = anvil.fundedAccount(1);
        InMemorySigner walletKey = InMemorySigner.generate();
        Address wallet = deployWallet(walletKey.address(), ERC1271_MAGIC);
        BigInteger id = identity.register(owner, "uri").id().agentId();
        BigInteger deadline = deadline();
        // The key behind the wallet signs; ECDSA recovers the key, not the wallet, so only the
        // registry's ERC-1271 call can accept this proof.
        byte[] proof = walletKey.signTypedData(identity.walletProof(id, wallet, owner.address(), deadline)).bytes();

        identity.setAgentWallet(owner, id, wallet, deadline, proof);

        assertThat(identity.agentWallet(id)).contains(wallet);
        assertThat(identity.metadata(id, IdentityRegistry.AGENT_WALLET_KEY)).containsExactly(wallet.bytes());
    }

    @Test
    void aWalletAnsweringAnythingButTheMagicValueIsRefused() {
        Signer owner = anvil.fundedAccount(1);
        InMemorySigner walletKey = InMemorySigner.generate();
        Address wrongAnswer = deployWallet(walletKey.address(), Numeric.hexStringToByteArray("0x1626ba7f"));
        Address honest = deployWallet(walletKey.address(), ERC1271_MAGIC);
        BigInteger id = identity.register(owner, "uri").id().agentId();
        BigInteger deadline = deadline();

        byte[] toWrongAnswer = walletKey.signTypedData(identity.walletProof(id, wrongAnswer, owner.address(), deadline)).bytes();
        assertRevertsWith(() -> identity.setAgentWallet(owner, id, wrongAnswer, deadline, toWrongAnswer),
                "Error", "invalid wallet sig");
        // An honest wallet shown a signature of another key answers 0xffffffff: refused too.
        byte[] byAnotherKey = InMemorySigner.generate()
                .signTypedData(identity.walletProof(id, honest, owner.address(), deadline)).bytes();
        assertRevertsWith(() -> identity.setAgentWallet(owner, id, honest, deadline, byAnotherKey),
                "Error", "invalid wallet sig");
        assertThat(identity.agentWallet(id)).contains(owner.address());
    }

    @Test
    void aMalformedSignatureForAnAccountRevertsInvalidWalletSigNotAnEcdsaError() {
        Signer owner = anvil.fundedAccount(1);
        InMemorySigner wallet = InMemorySigner.generate();
        BigInteger id = identity.register(owner, "uri").id().agentId();
        BigInteger deadline = deadline();
        Signature good = wallet.signTypedData(identity.walletProof(id, wallet.address(), owner.address(), deadline));
        byte[] valid = good.bytes();
        byte[] badV = valid.clone();
        badV[64] = 29;
        // The same signature with s mirrored to the upper half (and v flipped) recovers the same
        // key in ecrecover, but is malleable; OpenZeppelin refuses it.
        byte[] highS = new Signature(good.r(), SECP256K1_N.subtract(good.s()), good.v() == 27 ? 28 : 27).bytes();

        for (byte[] malformed : List.of(new byte[0], Arrays.copyOf(valid, 64), Arrays.copyOf(valid, 66), badV, highS,
                new byte[65])) {
            assertRevertsWith(() -> identity.setAgentWallet(owner, id, wallet.address(), deadline, malformed),
                    "Error", "invalid wallet sig");
        }
        // The well-formed proof still works, so the refusals above were about the bytes alone.
        identity.setAgentWallet(owner, id, wallet.address(), deadline, valid);
        assertThat(identity.agentWallet(id)).contains(wallet.address());
    }

    // ---------------------------------------------------------------- revert decoding

    @Test
    void aClientMadeWithAtDecodesTheRegistrysOwnRevertsOnAFreshConnection() {
        Signer owner = anvil.fundedAccount(1);
        BigInteger unknown = BigInteger.valueOf(555_555);
        try (EvmChain fresh = EvmChain.connect(anvil.rpcUrl())) {
            // Given a connection that never deployed (or was told of) the registry,
            String ownerOf = Abi.encodeCall("ownerOf(uint256)", new Uint256(unknown));
            assertThatThrownBy(() -> fresh.call(identity.address(), ownerOf))
                    .isInstanceOfSatisfying(ChainException.class, e -> assertThat(e.revert().orElseThrow().name()).isEqualTo("unknown"))
                    .hasMessageContaining("unknown revert data");

            // when a client is made for it with at(...),
            IdentityRegistry client = IdentityRegistry.at(fresh, identity.address());

            // then its calls and transactions revert with the registry's custom error by name.
            assertRevertsWith(() -> client.ownerOf(unknown), "ERC721NonexistentToken", unknown.toString());
            assertRevertsWith(() -> client.setAgentUri(owner, unknown, "x"), "ERC721NonexistentToken", unknown.toString());
            BigInteger id = client.register(owner, "uri").id().agentId();
            assertRevertsWith(() -> client.transfer(anvil.fundedAccount(1), owner.address(), id),
                    "ERC721InsufficientApproval", id.toString());
        }
    }

    @Test
    void theReputationAndValidationClientsAlsoDecodeTheIdentityErrorsTheyPassOn() {
        BigInteger unknown = BigInteger.valueOf(444_444);
        Signer client = anvil.fundedAccount(1);
        try (EvmChain fresh = EvmChain.connect(anvil.rpcUrl())) {
            ReputationRegistry reputation = ReputationRegistry.at(fresh, registries.reputation());

            assertRevertsWith(() -> reputation.giveFeedback(client, unknown, ReputationRegistry.Feedback.of(1, 0, "", "")),
                    "ERC721NonexistentToken", unknown.toString());
        }
        try (EvmChain fresh = EvmChain.connect(anvil.rpcUrl())) {
            ValidationRegistry validation = ValidationRegistry.at(fresh, registries.validation());

            assertRevertsWith(() -> validation.request(client, client.address(), unknown, "ipfs://x",
                    Hash.sha3("interop".getBytes(StandardCharsets.UTF_8))), "ERC721NonexistentToken", unknown.toString());
        }
    }

    // ---------------------------------------------------------------- helpers

    private static void assertRevertsWith(Runnable call, String name, String argument) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ChainException.class, e -> {
            assertThat(e.kind()).isEqualTo(ChainException.Kind.REVERTED);
            RevertReason reason = e.revert().orElseThrow();
            assertThat(reason.name()).as("revert %s", reason.data()).isEqualTo(name);
            assertThat(reason.arguments()).contains(argument);
        });
    }

    private TxReceipt giveReferenceStyleFeedback(Signer from, BigInteger agentId, BigInteger value) {
        return anvil.chain().sender(from).sendAndWait(TxRequest.call(referenceStyleReputation, Abi.encodeCall(GIVE_FEEDBACK,
                new Uint256(agentId), new Int128(value), new Uint8(0), new Utf8String("inference"), new Utf8String(""),
                new Utf8String("https://agent.example/v1"), new Utf8String(""), new Bytes32(new byte[32]))));
    }

    private void approve(Signer owner, Address spender, BigInteger agentId) {
        anvil.chain().sender(owner).sendAndWait(TxRequest.call(identity.address(),
                Abi.encodeCall("approve(address,uint256)", addr(spender), new Uint256(agentId))));
    }

    private Address deployWallet(Address signer, byte[] validAnswer) {
        return deployTestContract(anvil.fundedAccount(1), "Erc1271Wallet",
                Abi.encodeArguments(addr(signer), new Bytes4(validAnswer)));
    }

    private Address deployTestContract(Signer deployer, String name, String constructorArgs) {
        return ContractArtifact.load(Erc8004ReferenceInteropIT.class, TEST_CONTRACTS, name)
                .deploy(anvil.chain().sender(deployer), anvil.chain(), constructorArgs);
    }

    private BigInteger readUint(Address contract, String data, String type) {
        return (BigInteger) Abi.decode(anvil.chain().call(contract, data), type).get(0).getValue();
    }

    private BigInteger deadline() {
        return BigInteger.valueOf(anvil.chain().latestBlockTime().getEpochSecond() + 120);
    }

    private static org.web3j.abi.datatypes.Address addr(Address a) {
        return new org.web3j.abi.datatypes.Address(a.value());
    }
}
