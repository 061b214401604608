package dev.forage.tools.compute.akash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.forage.tools.http.JsonApi;
import dev.forage.tools.http.ProviderResilience;
import dev.forage.tools.http.RemoteCallException;
import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Akash Console managed-wallet API (v1), as the zod schemas of {@code akash-network/console}
 * describe it: every answer wrapped in {@code {"data": ...}}, errors {@code {"error","message"}}.
 * Each call runs in the provider's {@link ProviderResilience}; answers are checked for the fields
 * the schemas require, and unknown fields are ignored.
 */
final class ConsoleApi {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final JsonApi api;
    private final ProviderResilience resilience;
    private final String provider;

    ConsoleApi(JsonApi api, ProviderResilience resilience) {
        this.api = api;
        this.resilience = resilience;
        this.provider = api.config().provider();
    }

    // --- values -------------------------------------------------------------------------------------

    /** A coin amount: a denom and a decimal string (Cosmos DecCoins have up to 18 decimals). */
    record Coin(String denom, BigDecimal amount) {}

    /** What {@code POST /v1/deployments} answers. */
    record Created(String dseq, String manifest) {}

    /** One bid, keyed as on chain by dseq/gseq/oseq/provider. */
    record Bid(String owner, String dseq, int gseq, int oseq, String provider, String state, Coin price,
            List<ResourceOffer> resources) {
        /** The bid id as the chain writes it: owner/dseq/gseq/oseq/provider. */
        String chainId() {
            return owner + "/" + dseq + "/" + gseq + "/" + oseq + "/" + provider;
        }
    }

    /**
     * What a bid offers for one group member.
     *
     * @param cpuMillis thousandths of a core per instance
     * @param memoryBytes bytes per instance
     * @param gpuUnits GPUs per instance
     * @param gpuAttributes the GPU attribute keys ({@code vendor/nvidia/model/h100/ram/80Gi})
     * @param count instances
     */
    record ResourceOffer(long cpuMillis, long memoryBytes, int gpuUnits, List<String> gpuAttributes, int count) {}

    /** A deployment with its leases and escrow, from {@code GET /v1/deployments/{dseq}} and the calls that answer the same. */
    record Deployment(String dseq, String state, List<LeaseInfo> leases, List<Coin> transferred, Optional<String> escrowState) {
        Optional<LeaseInfo> lease(int gseq, int oseq, String provider) {
            return leases.stream().filter(l -> l.gseq() == gseq && l.oseq() == oseq && l.provider().equals(provider)).findFirst();
        }
    }

    /** One lease of a deployment. {@code status} is absent when the answer does not carry it (it is nullable). */
    record LeaseInfo(int gseq, int oseq, String provider, String state, Optional<Coin> price, Optional<LeaseStatus> status) {}

    /** What the provider reports of a running lease. */
    record LeaseStatus(Map<String, ServiceStatus> services, List<URI> forwarded) {
        boolean ready() {
            return !services.isEmpty() && services.values().stream().allMatch(s -> s.total() > 0 && s.available() >= s.total());
        }

        List<URI> endpoints() {
            List<URI> out = new ArrayList<>();
            services.values().forEach(s -> out.addAll(s.uris()));
            out.addAll(forwarded);
            return out;
        }
    }

    /** One service of a lease. */
    record ServiceStatus(int available, int total, List<URI> uris) {}

    // --- calls --------------------------------------------------------------------------------------

    /**
     * {@code POST /v1/deployments {data:{sdl, name}}}, attempted once ({@link ProviderResilience#callOnce}):
     * a failure may still have created the deployment, and a repeated create would leave an
     * orphan holding a deposit. The failure stays retriable where it is; the caller decides.
     */
    Created createDeployment(String sdl, String name) {
        ObjectNode body = F.objectNode();
        body.putObject("data").put("sdl", sdl).put("name", name);
        String op = "POST /v1/deployments";
        return resilience.callOnce("create deployment", () -> {
            JsonNode data = data(api.post("v1/deployments", body).json(), op);
            return new Created(text(data, "dseq", op), text(data, "manifest", op));
        });
    }

    /** {@code GET /v1/bids?dseq=}. */
    List<Bid> bids(String dseq) {
        String op = "GET /v1/bids";
        return resilience.call("list bids", () -> {
            JsonNode data = data(api.get("v1/bids", JsonApi.query("dseq", dseq)).json(), op);
            if (!data.isArray()) {
                throw RemoteCallException.malformed(provider, op, "data that is not a list of bids");
            }
            List<Bid> bids = new ArrayList<>();
            for (JsonNode item : data) {
                bids.add(bid(item, op));
            }
            return bids;
        });
    }

    /**
     * {@code POST /v1/leases} in the schema's shape {@code {manifest, leases:[{dseq,gseq,oseq,provider}]}}
     * (no data wrapper) or the quickstart's {@code {dseq, bidId}}. A retry first looks whether the
     * lease already exists, so that a lost answer does not make a second request for it.
     *
     * @return the answer's deployment, or empty when the answer is the quickstart's bare {@code {dseq}}
     */
    Optional<Deployment> createLease(Bid bid, String manifest, AkashMarket.LeaseRequest style) {
        ObjectNode body = F.objectNode();
        if (style == AkashMarket.LeaseRequest.QUICKSTART) {
            body.put("dseq", bid.dseq()).put("bidId", bid.chainId());
        } else {
            body.put("manifest", manifest);
            ArrayNode leases = body.putArray("leases");
            leases.addObject().put("dseq", bid.dseq()).put("gseq", bid.gseq()).put("oseq", bid.oseq()).put("provider", bid.provider());
        }
        String op = "POST /v1/leases";
        AtomicInteger attempt = new AtomicInteger();
        return resilience.call("create lease", () -> {
            if (attempt.incrementAndGet() > 1) {
                Optional<Deployment> already = existingLease(bid);
                if (already.isPresent()) {
                    return already;
                }
            }
            JsonNode json = api.post("v1/leases", body).json();
            JsonNode data = json.path("data");
            if (data.isObject() && data.has("deployment")) {
                return Optional.of(deployment(data, op));
            }
            // The quickstart documents an unwrapped {"dseq": ...}; accept it, wrapped or not.
            JsonNode dseq = json.has("dseq") ? json.get("dseq") : data.path("dseq");
            if (dseq.isValueNode() && dseq.asText().equals(bid.dseq())) {
                return Optional.empty();
            }
            throw RemoteCallException.malformed(provider, op, "neither {data:{deployment,leases}} nor {dseq: " + bid.dseq() + "}");
        });
    }

    private Optional<Deployment> existingLease(Bid bid) {
        try {
            Deployment d = deploymentUnprotected(bid.dseq());
            return d.lease(bid.gseq(), bid.oseq(), bid.provider()).filter(l -> l.state().equals("active")).map(l -> d);
        } catch (RemoteCallException notThereYet) {
            return Optional.empty();
        }
    }

    /** {@code GET /v1/deployments/{dseq}}. */
    Deployment deployment(String dseq) {
        return resilience.call("get deployment", () -> deploymentUnprotected(dseq));
    }

    private Deployment deploymentUnprotected(String dseq) {
        String op = "GET /v1/deployments/" + dseq;
        return deployment(data(api.get("v1/deployments/" + JsonApi.pathSegment(dseq), List.of()).json(), op), op);
    }

    /**
     * {@code POST /v1/deposit-deployment {data:{dseq, deposit}}}, the deposit in US dollars;
     * attempted once, as a repeated deposit would move money twice.
     */
    Deployment deposit(String dseq, BigDecimal usd) {
        ObjectNode body = F.objectNode();
        body.putObject("data").put("dseq", dseq).put("deposit", usd);
        String op = "POST /v1/deposit-deployment";
        return resilience.callOnce("deposit", () -> deployment(data(api.post("v1/deposit-deployment", body).json(), op), op));
    }

    /** {@code DELETE /v1/deployments/{dseq}}: whether the Console closed it. */
    boolean close(String dseq) {
        String op = "DELETE /v1/deployments/" + dseq;
        return resilience.call("close deployment", () -> {
            JsonNode success = data(api.delete("v1/deployments/" + JsonApi.pathSegment(dseq)).json(), op).path("success");
            if (!success.isBoolean()) {
                throw RemoteCallException.malformed(provider, op, "no boolean data.success");
            }
            return success.booleanValue();
        });
    }

    // --- parsing ------------------------------------------------------------------------------------

    private JsonNode data(JsonNode json, String op) {
        JsonNode data = json.path("data");
        if (data.isMissingNode() || data.isNull()) {
            throw RemoteCallException.malformed(provider, op, "no {\"data\": ...} envelope");
        }
        return data;
    }

    private Bid bid(JsonNode item, String op) {
        JsonNode bid = item.path("bid");
        if (!bid.isObject()) {
            throw RemoteCallException.malformed(provider, op, "a bid entry without \"bid\"");
        }
        // The zod schema says bid.bid_id; the API reference page writes bid.id: read either.
        JsonNode id = bid.has("bid_id") ? bid.get("bid_id") : bid.path("id");
        String what = "a bid";
        String owner = id.path("owner").asText("");
        String dseq = text(id, "dseq", op, what);
        int gseq = integer(id, "gseq", op, what);
        int oseq = integer(id, "oseq", op, what);
        String prov = text(id, "provider", op, what);
        String state = text(bid, "state", op, what);
        Coin price = coin(bid.path("price"), op, "bid " + dseq + "/" + gseq + "/" + oseq + "/" + prov + " price");
        JsonNode offers = bid.path("resources_offer");
        if (!offers.isArray()) {
            throw RemoteCallException.malformed(provider, op, "bid " + prov + " without a resources_offer list");
        }
        List<ResourceOffer> resources = new ArrayList<>();
        for (JsonNode o : offers) {
            JsonNode r = o.path("resources");
            List<String> gpuAttributes = new ArrayList<>();
            for (JsonNode a : r.path("gpu").path("attributes")) {
                gpuAttributes.add(a.path("key").asText(""));
            }
            resources.add(new ResourceOffer(longVal(r.path("cpu").path("units").path("val")),
                    longVal(r.path("memory").path("quantity").path("val")),
                    (int) Math.min(Integer.MAX_VALUE, longVal(r.path("gpu").path("units").path("val"))), gpuAttributes,
                    Math.max(1, o.path("count").asInt(1))));
        }
        return new Bid(owner, dseq, gseq, oseq, prov, state, price, resources);
    }

    private Deployment deployment(JsonNode data, String op) {
        JsonNode d = data.path("deployment");
        String dseq = text(d.path("id"), "dseq", op, "the deployment id");
        String state = text(d, "state", op, "the deployment");
        JsonNode leasesNode = data.path("leases");
        if (!leasesNode.isArray()) {
            throw RemoteCallException.malformed(provider, op, "a deployment without a leases list");
        }
        List<LeaseInfo> leases = new ArrayList<>();
        for (JsonNode l : leasesNode) {
            JsonNode id = l.path("id");
            Optional<Coin> price = l.path("price").isObject() ? Optional.of(coin(l.get("price"), op, "lease price")) : Optional.empty();
            JsonNode status = l.path("status");
            leases.add(new LeaseInfo(integer(id, "gseq", op, "a lease id"), integer(id, "oseq", op, "a lease id"),
                    text(id, "provider", op, "a lease id"), text(l, "state", op, "a lease"), price,
                    status.isObject() ? Optional.of(status(status)) : Optional.empty()));
        }
        JsonNode escrow = data.path("escrow_account").path("state");
        List<Coin> transferred = new ArrayList<>();
        for (JsonNode c : escrow.path("transferred")) {
            transferred.add(coin(c, op, "escrow transferred"));
        }
        Optional<String> escrowState = escrow.path("state").isTextual() ? Optional.of(escrow.get("state").asText()) : Optional.empty();
        return new Deployment(dseq, state, leases, transferred, escrowState);
    }

    private static LeaseStatus status(JsonNode status) {
        Map<String, ServiceStatus> services = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : status.path("services").properties()) {
            List<URI> uris = new ArrayList<>();
            for (JsonNode u : e.getValue().path("uris")) {
                uri(u.asText(), "http").ifPresent(uris::add);
            }
            services.put(e.getKey(), new ServiceStatus(e.getValue().path("available").asInt(0), e.getValue().path("total").asInt(0),
                    uris));
        }
        List<URI> forwarded = new ArrayList<>();
        for (JsonNode ports : status.path("forwarded_ports")) {
            for (JsonNode p : ports) {
                if (p.path("host").isTextual() && p.path("externalPort").canConvertToInt()) {
                    uri(p.get("host").asText() + ":" + p.get("externalPort").asInt(), "tcp").ifPresent(forwarded::add);
                }
            }
        }
        return new LeaseStatus(services, forwarded);
    }

    /** A provider's URI is a host name ({@code abc.ingress.example.com}); given a scheme it is kept. */
    private static Optional<URI> uri(String text, String scheme) {
        if (text.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(URI.create(text.contains("://") ? text : scheme + "://" + text));
        } catch (IllegalArgumentException notAUri) {
            return Optional.empty();
        }
    }

    private Coin coin(JsonNode c, String op, String what) {
        String denom = text(c, "denom", op, what);
        JsonNode a = c.path("amount");
        try {
            return new Coin(denom, new BigDecimal(a.asText()));
        } catch (NumberFormatException e) {
            throw RemoteCallException.malformed(provider, op, what + " with amount '" + a.asText() + "', not a decimal");
        }
    }

    private String text(JsonNode n, String field, String op) {
        return text(n, field, op, "the answer");
    }

    private String text(JsonNode n, String field, String op, String what) {
        JsonNode v = n.path(field);
        if (!v.isValueNode() || v.isNull() || v.asText().isBlank()) {
            throw RemoteCallException.malformed(provider, op, what + " without \"" + field + "\"");
        }
        return v.asText();
    }

    private int integer(JsonNode n, String field, String op, String what) {
        JsonNode v = n.path(field);
        if (v.canConvertToInt() && v.isIntegralNumber()) {
            return v.intValue();
        }
        if (v.isTextual() && v.asText().matches("[0-9]{1,9}")) {
            return Integer.parseInt(v.asText());
        }
        throw RemoteCallException.malformed(provider, op, what + " without a whole number \"" + field + "\"");
    }

    private static long longVal(JsonNode v) {
        try {
            return Math.max(0, new BigDecimal(v.asText("0")).longValue());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
