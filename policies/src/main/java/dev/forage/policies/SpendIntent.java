package dev.forage.policies;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forage.policies.canonical.JsonCanonicalizer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What an agent proposes to spend, before anything is reserved or signed. The policy engine
 * decides on it, the ledger reserves its {@link #amount()}, an approval binds to its
 * {@link #digest()}.
 *
 * <p>Build one with {@link #builder()}. Two intents with the same fields have the same
 * {@link #canonicalJson()} and digest.
 *
 * @param id the idempotency key: deterministic for one tool call, so a retry after a crash
 *     reuses it and never pays twice
 * @param agent the agent id (an ERC-8004 agent id, a CAIP-10 account, or a local name)
 * @param action what is bought, dotted lower-case: {@code compute.lease},
 *     {@code inference.run}, {@code payment.x402}, {@code settlement.release}
 * @param counterparty who is paid: a provider id, an address or a domain
 * @param market the market or protocol the counterparty is reached through, e.g.
 *     {@code akash}, {@code x402}
 * @param amount the upper bound of what this may cost; the ledger reserves this much
 * @param unitPrice the price per unit, when the purchase is metered
 * @param chain the CAIP-2 chain the payment settles on; equals the amount's asset chain
 * @param attributes free-form facts for rules (gpu model, model name, region, ...), sorted
 * @param time when the intent was formed
 */
public record SpendIntent(
        String id,
        String agent,
        String action,
        String counterparty,
        String market,
        Money amount,
        Optional<UnitPrice> unitPrice,
        String chain,
        Map<String, String> attributes,
        Instant time) {

    private static final Pattern ACTION = Pattern.compile("[a-z][a-z0-9_\\-]*(\\.[a-z][a-z0-9_\\-]*)*");
    private static final Pattern ATTRIBUTE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    private static final int MAX_TEXT = 256;

    public SpendIntent {
        requireText("id", id);
        requireText("agent", agent);
        requireText("action", action);
        requireText("counterparty", counterparty);
        requireText("market", market);
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(unitPrice, "unitPrice");
        Objects.requireNonNull(chain, "chain");
        Objects.requireNonNull(attributes, "attributes");
        Objects.requireNonNull(time, "time");
        if (!ACTION.matcher(action).matches()) {
            throw new InvalidValueException(
                    "intent " + id + ": action '" + action + "' is not dotted lower-case like compute.lease");
        }
        Asset.requireChain(chain);
        if (!amount.asset().chain().equals(chain)) {
            throw new InvalidValueException(
                    "intent " + id + ": amount is in " + amount.asset() + " but the intent settles on " + chain
                            + ": use an asset of the settlement chain");
        }
        unitPrice.ifPresent(p -> {
            if (!p.price().asset().equals(amount.asset())) {
                throw new InvalidValueException(
                        "intent " + id + ": unit price is in " + p.price().asset() + " but the amount is in "
                                + amount.asset() + ": quote both in one asset");
            }
        });
        TreeMap<String, String> sorted = new TreeMap<>();
        attributes.forEach((k, v) -> {
            if (k == null || !ATTRIBUTE.matcher(k).matches()) {
                throw new InvalidValueException(
                        "intent " + id + ": attribute name '" + k + "' is not an identifier (letters, digits, '_')");
            }
            requireText("attribute " + k, v);
            sorted.put(k, v);
        });
        attributes = java.util.Collections.unmodifiableMap(sorted);
    }

    private static void requireText(String field, String value) {
        Objects.requireNonNull(value, field);
        if (value.isBlank() || value.length() > MAX_TEXT) {
            throw new InvalidValueException(
                    "intent " + field + " '" + value + "' must be non-blank and at most " + MAX_TEXT + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new InvalidValueException(
                        "intent " + field + " '" + value.replaceAll("\\p{Cntrl}", "?") + "' contains a control character: remove it");
            }
        }
    }

    /** A builder; {@code unitPrice} and {@code attributes} are optional. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this intent's fields. */
    public Builder toBuilder() {
        Builder b = new Builder()
                .id(id)
                .agent(agent)
                .action(action)
                .counterparty(counterparty)
                .market(market)
                .amount(amount)
                .chain(chain)
                .attributes(attributes)
                .time(time);
        unitPrice.ifPresent(b::unitPrice);
        return b;
    }

    /**
     * The RFC 8785 canonical JSON of this intent: sorted keys, no whitespace, amounts as
     * decimal strings of base units, the time as ISO-8601. The basis of {@link #digest()}.
     */
    public String canonicalJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("v", 1);
        json.put("id", id);
        json.put("agent", agent);
        json.put("action", action);
        json.put("counterparty", counterparty);
        json.put("market", market);
        json.set("amount", moneyJson(amount));
        unitPrice.ifPresent(p -> json.putObject("unitPrice").put("unit", p.unit()).set("price", moneyJson(p.price())));
        json.put("chain", chain);
        ObjectNode attrs = json.putObject("attributes");
        attributes.forEach(attrs::put);
        json.put("time", time.toString());
        return JsonCanonicalizer.canonicalString(json);
    }

    /** The lower-case hex SHA-256 of {@link #canonicalJson()}; approvals bind to it. */
    public String digest() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(canonicalJson().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    private static ObjectNode moneyJson(Money money) {
        Asset a = money.asset();
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.putObject("asset").put("symbol", a.symbol()).put("decimals", a.decimals()).put("chain", a.chain())
                .put("token", a.token());
        node.put("units", money.units().toString());
        return node;
    }

    /** Builds a {@link SpendIntent}; {@link #chain(String)} defaults to the amount's chain. */
    public static final class Builder {
        private String id;
        private String agent;
        private String action;
        private String counterparty;
        private String market;
        private Money amount;
        private UnitPrice unitPrice;
        private String chain;
        private final Map<String, String> attributes = new TreeMap<>();
        private Instant time;

        private Builder() {}

        /** The idempotency key. */
        public Builder id(String id) {
            this.id = id;
            return this;
        }

        /** The agent id. */
        public Builder agent(String agent) {
            this.agent = agent;
            return this;
        }

        /** The dotted action, e.g. {@code compute.lease}. */
        public Builder action(String action) {
            this.action = action;
            return this;
        }

        /** Who is paid. */
        public Builder counterparty(String counterparty) {
            this.counterparty = counterparty;
            return this;
        }

        /** The market or protocol. */
        public Builder market(String market) {
            this.market = market;
            return this;
        }

        /** The upper bound of the cost. */
        public Builder amount(Money amount) {
            this.amount = amount;
            return this;
        }

        /** The price per unit. */
        public Builder unitPrice(UnitPrice unitPrice) {
            this.unitPrice = unitPrice;
            return this;
        }

        /** The price per unit. */
        public Builder unitPrice(Money price, String unit) {
            return unitPrice(new UnitPrice(price, unit));
        }

        /** The CAIP-2 settlement chain; defaults to the amount's asset chain. */
        public Builder chain(String chain) {
            this.chain = chain;
            return this;
        }

        /** Adds one attribute. */
        public Builder attribute(String name, String value) {
            this.attributes.put(name, value);
            return this;
        }

        /** Adds all these attributes. */
        public Builder attributes(Map<String, String> attributes) {
            this.attributes.putAll(attributes);
            return this;
        }

        /** When the intent was formed. */
        public Builder time(Instant time) {
            this.time = time;
            return this;
        }

        /**
         * The intent.
         *
         * @throws InvalidValueException or {@link NullPointerException} when a field is missing
         *     or invalid; the message names it
         */
        public SpendIntent build() {
            Objects.requireNonNull(amount, "amount is required");
            return new SpendIntent(
                    id, agent, action, counterparty, market, amount, Optional.ofNullable(unitPrice),
                    chain == null ? amount.asset().chain() : chain, attributes, time);
        }
    }
}
