package dev.forage.identity.erc8004;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.forage.identity.AgentId;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ERC-8004 registration file ("agent card", {@code registration-v1}) that an agent's
 * {@code agentURI} points to. Members this class does not model, at any level, are kept and
 * written back unchanged, so reading and writing a file from a newer version loses nothing.
 *
 * @param type always {@link #TYPE}
 * @param name the agent's human-readable name
 * @param description what the agent does
 * @param image a URL of its logo
 * @param services its endpoints (A2A, MCP, OASF, ENS, DID, web, email, …); read from
 *     {@code endpoints} too, the EIP's earlier name
 * @param registrations the registries where it is registered
 * @param supportedTrust trust models: {@code reputation}, {@code crypto-economic}, {@code tee-attestation}
 * @param x402Support whether it accepts x402 payments
 * @param active whether it is currently active
 * @param extra members not modelled above, in file order
 */
@JsonPropertyOrder({"type", "name", "description", "image", "services", "registrations", "supportedTrust", "x402Support", "active"})
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public record RegistrationFile(
        String type,
        String name,
        Optional<String> description,
        Optional<String> image,
        List<Service> services,
        List<Registration> registrations,
        List<String> supportedTrust,
        Optional<Boolean> x402Support,
        Optional<Boolean> active,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    /** The {@code type} of every registration-v1 file. */
    public static final String TYPE = "https://eips.ethereum.org/EIPS/eip-8004#registration-v1";

    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new com.fasterxml.jackson.datatype.jdk8.Jdk8Module())
            .configure(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS, true)
            .configure(SerializationFeature.INDENT_OUTPUT, true);

    public RegistrationFile {
        if (!TYPE.equals(type)) {
            throw new IllegalArgumentException("registration file type '" + type + "' must be '" + TYPE + "'");
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("registration file needs a non-empty name");
        }
        description = description == null ? Optional.empty() : description;
        image = image == null ? Optional.empty() : image;
        services = services == null ? List.of() : List.copyOf(services);
        registrations = registrations == null ? List.of() : List.copyOf(registrations);
        supportedTrust = supportedTrust == null ? List.of() : List.copyOf(supportedTrust);
        x402Support = x402Support == null ? Optional.empty() : x402Support;
        active = active == null ? Optional.empty() : active;
        extra = extra == null ? new LinkedHashMap<>() : new LinkedHashMap<>(extra);
    }

    /** A minimal file: type, name and description, active. */
    public static RegistrationFile of(String name, String description) {
        return new RegistrationFile(TYPE, name, Optional.of(description), Optional.empty(), List.of(), List.of(),
                List.of(), Optional.empty(), Optional.of(true), Map.of());
    }

    /**
     * One endpoint of the agent.
     *
     * @param name the protocol: {@code A2A}, {@code MCP}, {@code OASF}, {@code ENS}, {@code DID}, {@code web}, {@code email}, …
     * @param endpoint its URL, name or address
     * @param version the protocol version, if given
     * @param extra members not modelled above (e.g. OASF {@code skills}, {@code domains})
     */
    @JsonPropertyOrder({"name", "endpoint", "version"})
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    public record Service(String name, String endpoint, Optional<String> version,
            @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
        public Service {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a registration file service needs a name, e.g. 'A2A' or 'web'");
            }
            if (endpoint == null || endpoint.isBlank()) {
                throw new IllegalArgumentException("registration file service '" + name + "' needs an endpoint");
            }
            version = version == null ? Optional.empty() : version;
            extra = extra == null ? new LinkedHashMap<>() : new LinkedHashMap<>(extra);
        }

        public static Service of(String name, String endpoint) {
            return new Service(name, endpoint, Optional.empty(), Map.of());
        }
    }

    /**
     * Where the agent is registered.
     *
     * @param agentId its token id in that registry
     * @param agentRegistry the registry as {@code eip155:<chainId>:<address>}
     * @param extra members not modelled above
     */
    @JsonPropertyOrder({"agentId", "agentRegistry"})
    public record Registration(BigInteger agentId, String agentRegistry,
            @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
        public Registration {
            if (agentId == null || agentId.signum() < 0) {
                throw new IllegalArgumentException("registration agentId " + agentId + " must be a non-negative integer");
            }
            if (agentRegistry == null) {
                throw new IllegalArgumentException("registration of agent " + agentId + " needs its agentRegistry");
            }
            dev.forage.identity.AccountId.parse(agentRegistry);
            extra = extra == null ? new LinkedHashMap<>() : new LinkedHashMap<>(extra);
        }

        public static Registration of(AgentId id) {
            return new Registration(id.agentId(), id.agentRegistry(), Map.of());
        }

        /** The global agent id this entry names. */
        public AgentId toAgentId() {
            return new AgentId(dev.forage.identity.AccountId.parse(agentRegistry), agentId);
        }
    }

    /** Services under their ERC-8004 JSON name; {@code endpoints} is read as an alias. */
    @Override
    @JsonProperty("services")
    @JsonAlias("endpoints")
    public List<Service> services() {
        return services;
    }

    /** The same file with {@code id} added to its registrations (if not already there). */
    public RegistrationFile withRegistration(AgentId id) {
        Registration r = Registration.of(id);
        if (registrations.stream().anyMatch(x -> x.toAgentId().equals(id))) {
            return this;
        }
        List<Registration> all = new java.util.ArrayList<>(registrations);
        all.add(r);
        return new RegistrationFile(type, name, description, image, services, all, supportedTrust, x402Support, active, extra);
    }

    /** The same file with {@code service} appended. */
    public RegistrationFile withService(Service service) {
        List<Service> all = new java.util.ArrayList<>(services);
        all.add(service);
        return new RegistrationFile(type, name, description, image, all, registrations, supportedTrust, x402Support, active, extra);
    }

    /**
     * Reads a registration file.
     *
     * @throws IllegalArgumentException naming what is malformed
     */
    public static RegistrationFile read(String json) {
        try {
            com.fasterxml.jackson.databind.JsonNode tree = JSON.readTree(json);
            requireFiniteNumbers(tree);
            RegistrationFile file = JSON.treeToValue(tree, RegistrationFile.class);
            if (file == null) {
                // Jackson maps the JSON literal null to a null record; this API never returns null
                throw new IllegalArgumentException("not a valid ERC-8004 registration file: it is JSON null;"
                        + " a registration file is a JSON object with type and name");
            }
            return file;
        } catch (JsonProcessingException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            String why = root instanceof IllegalArgumentException ? root.getMessage() : e.getOriginalMessage();
            throw new IllegalArgumentException("not a valid ERC-8004 registration file: " + why, e);
        }
    }

    /**
     * Refuses a number beyond a double's range: Jackson reads 1e400 as Infinity, which is written
     * back as the string "Infinity", so the file would not read back as itself.
     */
    private static void requireFiniteNumbers(com.fasterxml.jackson.databind.JsonNode node) {
        if (node.isDouble() && !Double.isFinite(node.doubleValue())) {
            throw new IllegalArgumentException("not a valid ERC-8004 registration file: it holds a number beyond the"
                    + " range of a double (" + node + "); keep numbers within +-1.7e308 or write them as strings");
        }
        for (com.fasterxml.jackson.databind.JsonNode child : node) { // Jackson's default nesting limit bounds the depth
            requireFiniteNumbers(child);
        }
    }

    /** The JSON form, indented, members in the EIP's order followed by any kept extras. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write registration file: " + e.getMessage(), e);
        }
    }

    /**
     * The file as a {@code data:application/json;base64,...} URI, to register an agent without
     * hosting the file anywhere (ERC-8004 allows any URI scheme for the agent URI).
     */
    public String toDataUri() {
        return "data:application/json;base64,"
                + java.util.Base64.getEncoder().encodeToString(toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
