package dev.forage.tools.x402;

import dev.forage.identity.Address;
import dev.forage.identity.ChainId;
import dev.forage.identity.IdentityException;
import dev.forage.identity.Signature;
import dev.forage.identity.Signer;
import dev.forage.identity.chain.ChainException;
import dev.forage.identity.chain.EvmChain;
import dev.forage.identity.chain.TxReceipt;
import dev.forage.identity.chain.TxRequest;
import dev.forage.identity.eip712.Eip712;
import dev.forage.tools.ToolException;
import dev.forage.tools.settle.Eip3009Token;
import dev.forage.tools.settle.TestUsdc;
import dev.forage.tools.internal.KeyedLocks;
import dev.forage.tools.settle.TransferAuthorization;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.utils.Numeric;

/**
 * A facilitator for the {@code exact} scheme on one EVM chain: it settles an EIP-3009
 * authorization by calling {@code transferWithAuthorization} on the token from its own key,
 * which pays the gas and cannot send the funds anywhere but {@code payTo}.
 *
 * <p>Verification, in order: version, scheme, network, token and parameter matching
 * ({@code invalid_payment_requirements}), signature, recipient, time window (checked against
 * the chain's latest block time; {@code validBefore} must leave {@value #VALID_BEFORE_MARGIN_SECONDS}
 * seconds to settle), amount, nonce unused, balance, then a simulation of the transfer.
 */
public final class ExactEvmFacilitator implements Facilitator {

    /** How long before {@code validBefore} an authorization is still accepted. */
    public static final long VALID_BEFORE_MARGIN_SECONDS = 6;

    private static final Logger LOG = LoggerFactory.getLogger(ExactEvmFacilitator.class);

    private final EvmChain chain;
    private final Signer signer;
    private final Set<Address> assets;
    private final X402Networks networks;
    private final KeyedLocks locks = new KeyedLocks();

    /** An outcome of verification with the facts settlement needs. */
    private record Check(Optional<String> invalidReason, String detail, boolean nonceUsed) {
        static final Check OK = new Check(Optional.empty(), "", false);

        static Check invalid(String reason, String detail) {
            return new Check(Optional.of(reason), detail, false);
        }
    }

    /**
     * @param chain the chain settlements go to
     * @param signer the facilitator's key: sends the settlements and pays their gas
     * @param assets the EIP-3009 tokens it settles
     * @param networks v1 network names
     */
    public ExactEvmFacilitator(EvmChain chain, Signer signer, Set<Address> assets, X402Networks networks) {
        this.chain = chain;
        this.signer = signer;
        this.assets = Set.copyOf(assets);
        this.networks = networks;
        chain.learnErrors(TestUsdc.artifact().abi());
    }

    /** The address that sends settlements. */
    public Address address() {
        return signer.address();
    }

    @Override
    public VerifyResponse verify(PaymentPayload payload, PaymentRequirements requirements) {
        Check check = check(payload, requirements);
        Optional<String> payer = Optional.of(payload.payload().authorization().from().value());
        if (check.invalidReason().isPresent()) {
            LOG.debug("x402 payment from {} is invalid: {} ({})", payer.get(), check.invalidReason().get(), check.detail());
            return VerifyResponse.invalid(check.invalidReason().get(), payer);
        }
        return VerifyResponse.valid(payer.get());
    }

    @Override
    public SettlementResponse settle(PaymentPayload payload, PaymentRequirements requirements) {
        TransferAuthorization a = payload.payload().authorization();
        return locks.withLock(a.from().lowercase() + "/" + a.nonce(), () -> settleLocked(payload, requirements));
    }

    private SettlementResponse settleLocked(PaymentPayload payload, PaymentRequirements requirements) {
        TransferAuthorization a = payload.payload().authorization();
        Optional<String> payer = Optional.of(a.from().value());
        String network = requirements.network();
        try {
            Check check = check(payload, requirements);
            if (check.nonceUsed()) {
                Optional<String> earlier = settledEarlier(a, Address.parse(requirements.asset()));
                if (earlier.isPresent()) {
                    return new SettlementResponse(true, Optional.empty(), payer, earlier.get(), network);
                }
            }
            if (check.invalidReason().isPresent()) {
                LOG.debug("x402 settlement from {} refused: {} ({})", payer.get(), check.invalidReason().get(), check.detail());
                return SettlementResponse.failure(check.invalidReason().get(), payer, network);
            }
            TxRequest request = transferRequest(payload, requirements);
            TxReceipt receipt;
            try {
                receipt = chain.sender(signer).sendAndWait(request);
            } catch (ChainException e) {
                LOG.warn("x402 settlement from {} failed on chain: {}", payer.get(), e.getMessage());
                return SettlementResponse.failure(e.kind() == ChainException.Kind.REVERTED ? "invalid_transaction_state"
                        : "unexpected_settle_error", payer, network);
            }
            return new SettlementResponse(true, Optional.empty(), payer, receipt.txHash(), network);
        } catch (ToolException | IdentityException | IllegalArgumentException e) {
            LOG.warn("x402 settlement from {} failed: {}", payer.get(), e.getMessage());
            return SettlementResponse.failure("unexpected_settle_error", payer, network);
        }
    }

    @Override
    public SupportedResponse supported() {
        ChainId id = chain.chainId();
        List<SupportedResponse.Kind> kinds = new ArrayList<>();
        kinds.add(new SupportedResponse.Kind(2, "exact", id.toString(), Optional.empty()));
        networks.v1Name(id).ifPresent(name -> kinds.add(new SupportedResponse.Kind(1, "exact", name, Optional.empty())));
        return new SupportedResponse(kinds, List.of(), Map.of("eip155:*", List.of(signer.address().value())));
    }

    private Check check(PaymentPayload payload, PaymentRequirements requirements) {
        try {
            return checkUnsafe(payload, requirements);
        } catch (IdentityException | ToolException e) {
            return Check.invalid("unexpected_verify_error", e.getMessage());
        }
    }

    private Check checkUnsafe(PaymentPayload payload, PaymentRequirements req) {
        if (!"exact".equals(req.scheme()) || !"exact".equals(payload.scheme())) {
            return Check.invalid("unsupported_scheme", "scheme " + payload.scheme() + " / " + req.scheme());
        }
        ChainId here = chain.chainId();
        if (!networks.chainOf(req.network()).equals(Optional.of(here))
                || !networks.chainOf(payload.network()).equals(Optional.of(here))) {
            return Check.invalid("invalid_network", "network " + payload.network() + " / " + req.network() + ", settling on " + here);
        }
        if (payload.accepted().isPresent() && !payload.accepted().get().samePaymentAs(req)) {
            return Check.invalid("invalid_payment_requirements", "the payload accepted other requirements than these");
        }
        Address asset;
        Address payTo;
        try {
            asset = Address.parse(req.asset());
            payTo = Address.parse(req.payTo());
        } catch (IllegalArgumentException | IdentityException e) {
            return Check.invalid("invalid_payment_requirements", e.getMessage());
        }
        if (!assets.contains(asset)) {
            return Check.invalid("invalid_payment_requirements", "asset " + asset + " is not settled here");
        }
        if (req.tokenName().isEmpty() || req.tokenVersion().isEmpty()) {
            return Check.invalid("invalid_payment_requirements", "extra.name and extra.version (the token's EIP-712 domain) are missing");
        }
        TransferAuthorization a = payload.payload().authorization();
        byte[] sig = Numeric.hexStringToByteArray(payload.payload().signature());
        Address signer;
        try {
            Signature signature = Signature.of(sig);
            signer = Eip712.recover(Eip712.digest(a.typedData(req.tokenName().get(), req.tokenVersion().get(), here, asset)), signature);
        } catch (IllegalArgumentException e) {
            return Check.invalid("invalid_exact_evm_payload_signature", e.getMessage());
        }
        if (!signer.equals(a.from())) {
            return Check.invalid("invalid_exact_evm_payload_signature", "signed by " + signer + ", not by " + a.from());
        }
        if (!a.to().equals(payTo)) {
            return Check.invalid("invalid_exact_evm_payload_recipient_mismatch", "pays " + a.to() + ", not " + payTo);
        }
        Instant now = chain.latestBlockTime();
        if (a.validAfter().compareTo(BigInteger.valueOf(now.getEpochSecond())) > 0) {
            return Check.invalid("invalid_exact_evm_payload_authorization_valid_after", "valid after " + a.validAfter() + ", now " + now);
        }
        if (a.validBefore().compareTo(BigInteger.valueOf(now.plus(Duration.ofSeconds(VALID_BEFORE_MARGIN_SECONDS)).getEpochSecond())) < 0) {
            return Check.invalid("invalid_exact_evm_payload_authorization_valid_before", "valid before " + a.validBefore() + ", now " + now);
        }
        if (a.value().compareTo(req.amount()) < 0) {
            return Check.invalid("invalid_exact_evm_payload_authorization_value", "authorizes " + a.value() + " of " + req.amount());
        }
        Eip3009Token token = token(asset, req);
        if (token.authorizationState(a.from(), a.nonce())) {
            return new Check(Optional.of("invalid_transaction_state"), "nonce " + a.nonce() + " of " + a.from() + " is already used", true);
        }
        if (token.balanceOf(a.from()).compareTo(a.value()) < 0) {
            return Check.invalid("insufficient_funds", a.from() + " holds less than " + a.value());
        }
        try {
            chain.call(signer(), asset, transferRequest(payload, req).data());
        } catch (ChainException e) {
            return Check.invalid("invalid_transaction_state", "simulation reverted: " + e.getMessage());
        }
        return Check.OK;
    }

    /** The token the requirement names, under the EIP-712 domain its {@code extra} gives (USDC's by default). */
    private Eip3009Token token(Address asset, PaymentRequirements req) {
        Eip3009Token.Domain domain = req.tokenName().isPresent() && req.tokenVersion().isPresent()
                ? new Eip3009Token.Domain(req.tokenName().get(), req.tokenVersion().get())
                : Eip3009Token.Domain.usdc();
        return Eip3009Token.at(chain, asset, domain);
    }

    private Address signer() {
        return signer.address();
    }

    private TxRequest transferRequest(PaymentPayload payload, PaymentRequirements req) {
        Eip3009Token token = token(Address.parse(req.asset()), req);
        byte[] sig = Numeric.hexStringToByteArray(payload.payload().signature());
        return sig.length == 65
                ? token.transferWithAuthorizationRequest(payload.payload().authorization(), Signature.of(sig))
                : token.transferWithAuthorizationRequest(payload.payload().authorization(), sig);
    }

    /** The transaction that already executed exactly this authorization, if one did. */
    private Optional<String> settledEarlier(TransferAuthorization a, Address asset) {
        Optional<String> tx = Eip3009Token.at(chain, asset, Eip3009Token.Domain.usdc()).authorizationUsedIn(a.from(), a.nonce());
        if (tx.isEmpty()) {
            return Optional.empty();
        }
        Optional<TxReceipt> receipt = chain.receipt(tx.get());
        String from = "0x" + "0".repeat(24) + a.from().lowercase().substring(2);
        String to = "0x" + "0".repeat(24) + a.to().lowercase().substring(2);
        boolean same = receipt.isPresent() && receipt.get().logs(asset, Eip3009Token.TRANSFER_TOPIC).stream().anyMatch(l ->
                l.topics().size() == 3 && l.topics().get(1).equalsIgnoreCase(from) && l.topics().get(2).equalsIgnoreCase(to)
                        && Numeric.toBigInt(l.data()).equals(a.value()));
        return same ? tx : Optional.empty();
    }

    @Override
    public String toString() {
        return "ExactEvmFacilitator[" + signer.address() + " on " + chain.chainId() + ", assets " + assets + "]";
    }
}
