package dev.forage.policies.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.forage.policies.Asset;
import dev.forage.policies.Money;
import dev.forage.policies.canonical.JsonCanonicalizer;
import dev.forage.policies.ledger.BudgetLine;
import dev.forage.policies.ledger.BudgetWindow;
import dev.forage.policies.ledger.Reservation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reservations to and from canonical JSON, for stores that keep them as text. */
public final class ReservationCodec {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ReservationCodec() {}

    /** The canonical JSON of a reservation. */
    public static String encode(Reservation r) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("v", 1);
        json.put("intentId", r.intentId());
        json.put("asset", asset(r.amount().asset()));
        json.put("amount", r.amount().units().toString());
        json.put("ttl", r.ttl().toString());
        json.put("createdAt", r.createdAt().toString());
        json.put("expiresAt", r.expiresAt().toString());
        json.put("state", r.state().name());
        json.put("posted", r.posted().units().toString());
        r.resolvedAt().ifPresent(t -> json.put("resolvedAt", t.toString()));
        List<Object> budgets = new ArrayList<>();
        for (BudgetLine line : r.budgets()) {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("id", line.budgetId());
            b.put("split", line.split());
            b.put("limit", line.limit().units().toString());
            b.put("window", window(line.window()));
            budgets.add(b);
        }
        json.put("budgets", budgets);
        return JsonCanonicalizer.canonicalString(MAPPER.valueToTree(json));
    }

    /**
     * A reservation from {@link #encode} output.
     *
     * @throws IllegalArgumentException when the text is not a reservation
     */
    public static Reservation decode(String text) {
        JsonNode n;
        try {
            n = MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException("stored reservation is not JSON: " + text, e);
        }
        Asset asset = new Asset(
                n.path("asset").path("symbol").asText(),
                n.path("asset").path("decimals").asInt(),
                n.path("asset").path("chain").asText(),
                n.path("asset").path("token").asText());
        List<BudgetLine> budgets = new ArrayList<>();
        for (JsonNode b : n.path("budgets")) {
            budgets.add(new BudgetLine(
                    b.path("id").asText(),
                    b.path("split").asText(),
                    Money.ofUnits(asset, new BigInteger(b.path("limit").asText())),
                    window(b.path("window"))));
        }
        return new Reservation(
                n.path("intentId").asText(),
                Money.ofUnits(asset, new BigInteger(n.path("amount").asText())),
                budgets,
                Duration.parse(n.path("ttl").asText()),
                Instant.parse(n.path("createdAt").asText()),
                Instant.parse(n.path("expiresAt").asText()),
                Reservation.State.valueOf(n.path("state").asText()),
                Money.ofUnits(asset, new BigInteger(n.path("posted").asText())),
                n.hasNonNull("resolvedAt") ? Optional.of(Instant.parse(n.path("resolvedAt").asText())) : Optional.empty());
    }

    private static Map<String, Object> asset(Asset a) {
        return Map.of("symbol", a.symbol(), "decimals", a.decimals(), "chain", a.chain(), "token", a.token());
    }

    private static Map<String, Object> window(BudgetWindow w) {
        return switch (w) {
            case BudgetWindow.Rolling r -> Map.of("rolling", r.length().toString());
            case BudgetWindow.Calendar c -> Map.of("calendar", c.period().name(), "zone", c.zone().getId());
            case BudgetWindow.Lifetime l -> Map.of("lifetime", true);
        };
    }

    private static BudgetWindow window(JsonNode w) {
        if (w.has("rolling")) {
            return new BudgetWindow.Rolling(Duration.parse(w.path("rolling").asText()));
        }
        if (w.has("calendar")) {
            return new BudgetWindow.Calendar(
                    BudgetWindow.Period.valueOf(w.path("calendar").asText()), ZoneId.of(w.path("zone").asText()));
        }
        return new BudgetWindow.Lifetime();
    }
}
