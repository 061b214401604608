package dev.forage.tools.compute.akash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * An Akash SDL document (Stack Definition Language, versions 2.0 and 2.1): what to run
 * ({@link #services()}), on what ({@link Profiles#compute()}), where and at what most per block
 * ({@link Profiles#placement()}), and how many ({@link #deployment()}).
 *
 * <p>Nothing is lost: every key this model does not name is kept in an {@code extra} map at the
 * level it was found (the document, a service, an expose entry, a compute profile, ...), and
 * written back by {@link #toYaml()}. Scalars whose notation varies ({@code cpu.units: 0.5} or
 * {@code "500m"}, {@code amount: 1000} or {@code "1000"}) keep their YAML value as written
 * ({@link Scalar}). So {@code parse(toYaml())} equals the model, and the YAML trees of the
 * source and of the output are equal. What is not kept: comments, key order (YAML mappings are
 * unordered), quoting style, anchors (refused), and maps or lists that are present but empty
 * (written as absent; the node treats both alike).
 *
 * <p>Records validate themselves, so a model built in code obeys the same rules as a parsed one:
 * references between sections (a deployment's service, placement, compute profile and price),
 * GPU units and vendors, storage volumes and mounts, ports.
 *
 * @param version the SDL version as written ({@code "2.0"} or {@code "2.1"})
 * @param services the workloads by service name
 * @param profiles the compute and placement profiles
 * @param deployment for each service, for each placement: the compute profile and instance count
 * @param endpoints named IP endpoints ({@code kind: ip}), referenced from {@code expose.to.ip}
 * @param extra keys of the document this model does not name (e.g. {@code include}), kept as written
 */
public record Sdl(Scalar version, Map<String, Service> services, Profiles profiles, Map<String, Map<String, Deploy>> deployment,
        Map<String, Endpoint> endpoints, Map<String, JsonNode> extra) {

    /** The versions this model reads. */
    public static final Set<String> VERSIONS = Set.of("2.0", "2.1");

    public Sdl {
        Objects.requireNonNull(version, "version");
        if (!VERSIONS.contains(version.text())) {
            throw new SdlInvalid("version", "must be \"2.0\" or \"2.1\", got '" + version.text() + "'");
        }
        services = ordered(services);
        if (services.isEmpty()) {
            throw new SdlInvalid("services", "must name at least one service");
        }
        Objects.requireNonNull(profiles, "profiles");
        Map<String, Map<String, Deploy>> d = new LinkedHashMap<>();
        deployment.forEach((svc, byPlacement) -> d.put(svc, ordered(byPlacement)));
        deployment = Collections.unmodifiableMap(d);
        if (deployment.isEmpty()) {
            throw new SdlInvalid("deployment", "must deploy at least one service");
        }
        endpoints = ordered(endpoints);
        extra = extras(extra);
        check(services, profiles, deployment, endpoints);
    }

    /**
     * Parses {@code yaml}.
     *
     * @throws SdlException when it is not YAML or not an SDL, naming line and path
     */
    public static Sdl parse(String yaml) {
        return parse(yaml, "<sdl>");
    }

    /**
     * Parses {@code yaml}, naming it {@code source} in errors.
     *
     * @param source a file name or label for messages
     * @throws SdlException when it is not YAML or not an SDL, naming source, line and path
     */
    public static Sdl parse(String yaml, String source) {
        return SdlReader.read(yaml, source);
    }

    /**
     * Reads and parses the file at {@code file} (UTF-8).
     *
     * @throws SdlException when it is not YAML or not an SDL
     * @throws UncheckedIOException when it cannot be read
     */
    public static Sdl parse(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.getFileName().toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read SDL file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The document as YAML, every kept key included; {@link #parse(String)} reads it back equal. */
    public String toYaml() {
        return SdlWriter.yaml(this);
    }

    /** The document as a JSON tree (the YAML's data model), for comparisons and for JSON tooling. */
    public JsonNode toTree() {
        return SdlWriter.tree(this);
    }

    /** The most {@code profile} may cost per block per instance in {@code placement}, if priced there. */
    public Optional<Price> pricing(String placement, String profile) {
        return Optional.ofNullable(profiles.placement().get(placement)).map(p -> p.pricing().get(profile));
    }

    // ------------------------------------------------------------------------------------------------

    /**
     * A scalar as written in the YAML: a string, a number (integer or decimal) or a boolean.
     * Kept as its YAML value so that {@code 0.5} and {@code "500m"}, {@code 100} and
     * {@code "100"} come back as they were.
     *
     * @param node the value; a Jackson value node (immutable), never a container or null
     */
    public record Scalar(JsonNode node) {
        public Scalar {
            Objects.requireNonNull(node, "node");
            if (!node.isValueNode() || node.isNull() || node.isBinary() || node.isPojo()) {
                throw new IllegalArgumentException("a scalar is a string, number or boolean, got " + node.getNodeType());
            }
        }

        /** A string. */
        public static Scalar of(String text) {
            return new Scalar(TextNode.valueOf(Objects.requireNonNull(text, "text")));
        }

        /** An integer, as the YAML reader types it (int, long or big). */
        public static Scalar of(BigInteger n) {
            if (n.bitLength() < 32) {
                return new Scalar(IntNode.valueOf(n.intValue()));
            }
            return new Scalar(n.bitLength() < 64 ? LongNode.valueOf(n.longValue()) : BigIntegerNode.valueOf(n));
        }

        /** An integer. */
        public static Scalar of(long n) {
            return of(BigInteger.valueOf(n));
        }

        /** A number: an integer when it has no fraction digits, else a decimal written as given. */
        public static Scalar of(BigDecimal n) {
            if (n.scale() <= 0) {
                return of(n.toBigIntegerExact());
            }
            return new Scalar(DecimalNode.valueOf(n));
        }

        /** A boolean. */
        public static Scalar of(boolean b) {
            return new Scalar(BooleanNode.valueOf(b));
        }

        /** The value as text: {@code 500m}, {@code 0.5}, {@code true}. */
        public String text() {
            return node.isBigDecimal() ? node.decimalValue().toString() : node.asText();
        }

        /** Whether it was written as a number. */
        public boolean isNumber() {
            return node.isNumber();
        }

        /** Whether it was written as a string. */
        public boolean isString() {
            return node.isTextual();
        }

        /** Its value as a decimal, if it is a number or a string holding one. */
        public Optional<BigDecimal> decimal() {
            if (node.isNumber()) {
                return Optional.of(node.decimalValue());
            }
            if (node.isTextual()) {
                try {
                    return Optional.of(SdlUnits.decimal(node.textValue(), "not a number"));
                } catch (IllegalArgumentException notANumber) {
                    return Optional.empty();
                }
            }
            return Optional.empty();
        }

        /** Its value as a boolean: a YAML boolean, or the string {@code true} or {@code false}. */
        public Optional<Boolean> bool() {
            if (node.isBoolean()) {
                return Optional.of(node.booleanValue());
            }
            if (node.isTextual() && (node.textValue().equals("true") || node.textValue().equals("false"))) {
                return Optional.of(Boolean.parseBoolean(node.textValue()));
            }
            return Optional.empty();
        }

        @Override
        public String toString() {
            return node.isTextual() ? '"' + node.textValue() + '"' : text();
        }
    }

    /**
     * One workload.
     *
     * @param image the container image ({@code nginx:1.25})
     * @param command the entrypoint override, empty for the image's own
     * @param args the arguments to the command, empty for none
     * @param env environment entries {@code NAME=value}, in order
     * @param expose the ports it offers and who may connect
     * @param params service parameters (storage mounts), if any
     * @param credentials private registry credentials (SDL 2.1), if any
     * @param extra keys this model does not name ({@code depends-on}, ...)
     */
    public record Service(String image, List<String> command, List<String> args, List<String> env, List<Expose> expose,
            Optional<Params> params, Optional<Credentials> credentials, Map<String, JsonNode> extra) {
        public Service {
            if (image == null || image.isBlank()) {
                throw new SdlInvalid("image", "must name a container image, e.g. nginx:1.25");
            }
            command = List.copyOf(command);
            args = List.copyOf(args);
            env = List.copyOf(env);
            expose = List.copyOf(expose);
            Objects.requireNonNull(params, "params");
            Objects.requireNonNull(credentials, "credentials");
            extra = extras(extra);
        }

        /** A service running {@code image} with nothing else set. */
        public static Service of(String image) {
            return new Service(image, List.of(), List.of(), List.of(), List.of(), Optional.empty(), Optional.empty(), Map.of());
        }

        /** {@link #env()} as a map (the first {@code =} splits name and value; a bare name maps to ""). */
        public Map<String, String> envMap() {
            Map<String, String> m = new LinkedHashMap<>();
            for (String e : env) {
                int eq = e.indexOf('=');
                m.put(eq < 0 ? e : e.substring(0, eq), eq < 0 ? "" : e.substring(eq + 1));
            }
            return Collections.unmodifiableMap(m);
        }
    }

    /**
     * One exposed port.
     *
     * @param port the container port, 1 to 65535
     * @param as the port it is exposed as, if not the same
     * @param proto {@code tcp} or {@code udp}, if given
     * @param accept host names to accept HTTP connections for
     * @param to who may connect
     * @param extra keys this model does not name ({@code http_options}, ...)
     */
    public record Expose(int port, OptionalInt as, Optional<String> proto, List<String> accept, List<ExposeTo> to,
            Map<String, JsonNode> extra) {
        public Expose {
            if (port < 1 || port > 65535) {
                throw new SdlInvalid("port", "must be a port number from 1 to 65535, got " + port);
            }
            Objects.requireNonNull(as, "as");
            if (as.isPresent() && (as.getAsInt() < 1 || as.getAsInt() > 65535)) {
                throw new SdlInvalid("as", "must be a port number from 1 to 65535, got " + as.getAsInt());
            }
            Objects.requireNonNull(proto, "proto");
            accept = List.copyOf(accept);
            to = List.copyOf(to);
            extra = extras(extra);
        }

        /** {@code port} as {@code as}, open to the world. */
        public static Expose global(int port, int as) {
            return new Expose(port, OptionalInt.of(as), Optional.empty(), List.of(),
                    List.of(new ExposeTo(Optional.empty(), Optional.of(true), Optional.empty(), Map.of())), Map.of());
        }
    }

    /**
     * Who may connect to an exposed port.
     *
     * @param service another service of the deployment, if only it
     * @param global whether clients outside the provider may connect, if stated
     * @param ip the name of an IP endpoint (a leased IP) to expose it on, if any
     * @param extra keys this model does not name
     */
    public record ExposeTo(Optional<String> service, Optional<Boolean> global, Optional<String> ip, Map<String, JsonNode> extra) {
        public ExposeTo {
            Objects.requireNonNull(service, "service");
            Objects.requireNonNull(global, "global");
            Objects.requireNonNull(ip, "ip");
            extra = extras(extra);
        }
    }

    /**
     * A service's parameters.
     *
     * @param storage per volume name of the service's compute profile: where it is mounted
     * @param extra keys this model does not name
     */
    public record Params(Map<String, StorageMount> storage, Map<String, JsonNode> extra) {
        public Params {
            storage = ordered(storage);
            extra = extras(extra);
        }
    }

    /**
     * Where a volume is mounted.
     *
     * @param mount an absolute path in the container
     * @param readOnly whether it is mounted read-only, if stated
     * @param extra keys this model does not name
     */
    public record StorageMount(Optional<String> mount, Optional<Boolean> readOnly, Map<String, JsonNode> extra) {
        public StorageMount {
            Objects.requireNonNull(mount, "mount");
            if (mount.isPresent() && !mount.get().startsWith("/")) {
                throw new SdlInvalid("mount", "must be an absolute path, got '" + mount.get() + "'");
            }
            Objects.requireNonNull(readOnly, "readOnly");
            extra = extras(extra);
        }
    }

    /**
     * Private registry credentials (SDL 2.1). {@link #toString()} hides the password.
     *
     * @param host the registry, e.g. {@code docker.io} or {@code https://ghcr.io}
     * @param username the user
     * @param password the password or token
     * @param email the e-mail, if given
     * @param extra keys this model does not name
     */
    public record Credentials(String host, String username, String password, Optional<String> email, Map<String, JsonNode> extra) {
        public Credentials {
            if (host == null || host.isBlank() || username == null || username.isBlank() || password == null
                    || password.isBlank()) {
                throw new SdlInvalid("credentials", "must give host, username and password");
            }
            Objects.requireNonNull(email, "email");
            extra = extras(extra);
        }

        @Override
        public String toString() {
            return "Credentials[host=" + host + ", username=" + username + ", password=(hidden)" + email.map(e -> ", email=" + e)
                    .orElse("") + "]";
        }
    }

    /**
     * The named profiles.
     *
     * @param compute resources per instance, by profile name
     * @param placement where and at what price, by placement name
     * @param extra keys this model does not name
     */
    public record Profiles(Map<String, ComputeProfile> compute, Map<String, Placement> placement, Map<String, JsonNode> extra) {
        public Profiles {
            compute = ordered(compute);
            placement = ordered(placement);
            extra = extras(extra);
        }
    }

    /**
     * A compute profile.
     *
     * @param resources what each instance gets
     * @param extra keys this model does not name
     */
    public record ComputeProfile(Resources resources, Map<String, JsonNode> extra) {
        public ComputeProfile {
            Objects.requireNonNull(resources, "resources");
            extra = extras(extra);
        }
    }

    /**
     * Resources of one instance.
     *
     * @param cpu CPU
     * @param memory RAM
     * @param storage the volumes: the ephemeral root volume and at most a few named (persistent) ones
     * @param storageAsList whether {@code storage} was written as a list (else as a single mapping)
     * @param gpu GPUs, if any are asked for
     * @param extra keys this model does not name
     */
    public record Resources(Cpu cpu, Memory memory, List<Storage> storage, boolean storageAsList, Optional<Gpu> gpu,
            Map<String, JsonNode> extra) {
        public Resources {
            Objects.requireNonNull(cpu, "cpu");
            Objects.requireNonNull(memory, "memory");
            storage = List.copyOf(storage);
            if (storage.isEmpty()) {
                throw new SdlInvalid("storage", "must give at least one volume, e.g. size: 1Gi");
            }
            if (!storageAsList && storage.size() != 1) {
                throw new SdlInvalid("storage", "a single mapping holds one volume; write several as a list");
            }
            Set<String> names = new LinkedHashSet<>();
            for (Storage s : storage) {
                if (!names.add(s.volumeName())) {
                    throw new SdlInvalid("storage", "volume name '" + s.volumeName() + "' is used twice");
                }
            }
            Objects.requireNonNull(gpu, "gpu");
            extra = extras(extra);
        }
    }

    /**
     * CPU.
     *
     * @param units cores ({@code 1}, {@code 0.5}) or milli-cores ({@code "500m"}), as written
     * @param extra keys this model does not name ({@code attributes} such as {@code arch})
     */
    public record Cpu(Scalar units, Map<String, JsonNode> extra) {
        public Cpu {
            Objects.requireNonNull(units, "units");
            try {
                SdlUnits.cpuMillis(units.text());
            } catch (IllegalArgumentException e) {
                throw new SdlInvalid("units", e.getMessage());
            }
            extra = extras(extra);
        }

        /** Thousandths of a core. */
        public long millis() {
            return SdlUnits.cpuMillis(units.text());
        }
    }

    /**
     * RAM.
     *
     * @param size bytes with an optional suffix ({@code 512Mi}), as written
     * @param extra keys this model does not name
     */
    public record Memory(Scalar size, Map<String, JsonNode> extra) {
        public Memory {
            Objects.requireNonNull(size, "size");
            try {
                SdlUnits.bytes(size.text());
            } catch (IllegalArgumentException e) {
                throw new SdlInvalid("size", e.getMessage());
            }
            extra = extras(extra);
        }

        /** Bytes. */
        public BigInteger bytes() {
            return SdlUnits.bytes(size.text());
        }
    }

    /**
     * One volume.
     *
     * @param name the volume's name, if given ({@code default} when not)
     * @param size bytes with an optional suffix, as written
     * @param attributes {@code persistent}, {@code class} ({@code beta1}, {@code beta2}, {@code beta3}, {@code ram})
     *     and any other attribute, as written
     * @param extra keys this model does not name
     */
    public record Storage(Optional<String> name, Scalar size, Map<String, Scalar> attributes, Map<String, JsonNode> extra) {
        public Storage {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(size, "size");
            try {
                SdlUnits.bytes(size.text());
            } catch (IllegalArgumentException e) {
                throw new SdlInvalid("size", e.getMessage());
            }
            attributes = ordered(attributes);
            Scalar p = attributes.get("persistent");
            if (p != null && p.bool().isEmpty()) {
                throw new SdlInvalid("attributes.persistent", "must be true or false, got " + p);
            }
            Scalar c = attributes.get("class");
            if (c != null && (!c.isString() || c.text().isBlank())) {
                throw new SdlInvalid("attributes.class", "must be a storage class name such as beta3, got " + c);
            }
            extra = extras(extra);
        }

        /** An unnamed ephemeral volume of {@code size}. */
        public static Storage of(String size) {
            return new Storage(Optional.empty(), Scalar.of(size), Map.of(), Map.of());
        }

        /** The name services refer to it by: {@link #name()} or {@code default}. */
        public String volumeName() {
            return name.orElse("default");
        }

        /** Bytes. */
        public BigInteger bytes() {
            return SdlUnits.bytes(size.text());
        }

        /** Whether it outlives container restarts. */
        public boolean persistent() {
            return Optional.ofNullable(attributes.get("persistent")).flatMap(Scalar::bool).orElse(false);
        }

        /** Its storage class, if given. */
        public Optional<String> storageClass() {
            return Optional.ofNullable(attributes.get("class")).map(Scalar::text);
        }
    }

    /**
     * GPUs.
     *
     * @param units GPUs per instance, 0 or more
     * @param vendors for each vendor ({@code nvidia}, {@code amd}) the acceptable models; an empty list
     *     (a bare {@code nvidia:} in the YAML) means any model of that vendor
     * @param attributesExtra keys of {@code attributes} other than {@code vendor}
     * @param extra keys this model does not name
     */
    public record Gpu(int units, Map<String, List<GpuModel>> vendors, Map<String, JsonNode> attributesExtra,
            Map<String, JsonNode> extra) {
        public Gpu {
            if (units < 0) {
                throw new SdlInvalid("units", "must be a whole number of GPUs, 0 or more, got " + units);
            }
            Map<String, List<GpuModel>> v = new LinkedHashMap<>();
            vendors.forEach((vendor, models) -> v.put(vendor, List.copyOf(models)));
            vendors = Collections.unmodifiableMap(v);
            if (units > 0 && vendors.isEmpty()) {
                throw new SdlInvalid("attributes.vendor", "must name a GPU vendor (e.g. nvidia:) when units is above 0");
            }
            attributesExtra = extras(attributesExtra);
            extra = extras(extra);
        }
    }

    /**
     * An acceptable GPU model.
     *
     * @param model the model as Akash names it ({@code h100}, {@code a100}, {@code rtx4090}), as written
     * @param ram its memory ({@code 80Gi}), if the model must have that much
     * @param iface its interface ({@code pcie}, {@code sxm}), if required
     * @param extra keys this model does not name
     */
    public record GpuModel(Scalar model, Optional<Scalar> ram, Optional<String> iface, Map<String, JsonNode> extra) {
        public GpuModel {
            Objects.requireNonNull(model, "model");
            if (model.text().isBlank()) {
                throw new SdlInvalid("model", "must name a GPU model, e.g. h100");
            }
            Objects.requireNonNull(ram, "ram");
            if (ram.isPresent()) {
                try {
                    SdlUnits.bytes(ram.get().text());
                } catch (IllegalArgumentException e) {
                    throw new SdlInvalid("ram", e.getMessage());
                }
            }
            Objects.requireNonNull(iface, "iface");
            extra = extras(extra);
        }

        /** Its memory in bytes, if given. */
        public Optional<BigInteger> ramBytes() {
            return ram.map(r -> SdlUnits.bytes(r.text()));
        }
    }

    /**
     * A placement: which providers, and the most each compute profile may cost there.
     *
     * @param attributes provider attributes required ({@code region: us-west}), as written
     * @param signedBy auditors who must have signed those attributes, if any
     * @param pricing the most per block per instance, by compute profile name
     * @param extra keys this model does not name
     */
    public record Placement(Map<String, JsonNode> attributes, Optional<SignedBy> signedBy, Map<String, Price> pricing,
            Map<String, JsonNode> extra) {
        public Placement {
            attributes = extras(attributes);
            Objects.requireNonNull(signedBy, "signedBy");
            pricing = ordered(pricing);
            extra = extras(extra);
        }
    }

    /**
     * Auditors of provider attributes.
     *
     * @param allOf accounts that must all have signed
     * @param anyOf accounts of which one must have signed
     * @param extra keys this model does not name
     */
    public record SignedBy(List<Scalar> allOf, List<Scalar> anyOf, Map<String, JsonNode> extra) {
        public SignedBy {
            allOf = List.copyOf(allOf);
            anyOf = List.copyOf(anyOf);
            extra = extras(extra);
        }
    }

    /**
     * A price per block.
     *
     * @param denom the coin ({@code uact}, {@code uakt}, or an IBC denom such as Noble USDC's
     *     {@code ibc/170C...F2F1})
     * @param amount how many of it per block, as written (a decimal is allowed)
     * @param extra keys this model does not name
     */
    public record Price(String denom, Scalar amount, Map<String, JsonNode> extra) {
        public Price {
            if (denom == null || denom.isBlank()) {
                throw new SdlInvalid("denom", "must name a denomination, e.g. uact");
            }
            Objects.requireNonNull(amount, "amount");
            BigDecimal a = amount.decimal().orElseThrow(() -> new SdlInvalid("amount", "must be a number, got " + amount));
            if (a.signum() < 0) {
                throw new SdlInvalid("amount", "must not be negative, got " + amount);
            }
            extra = extras(extra);
        }

        /** {@code amount} of {@code denom} per block. */
        public static Price of(String denom, BigDecimal amount) {
            return new Price(denom, Scalar.of(amount), Map.of());
        }

        /** The amount as a decimal. */
        public BigDecimal amountDecimal() {
            return amount.decimal().orElseThrow();
        }
    }

    /**
     * How one service is deployed in one placement.
     *
     * @param profile the compute profile
     * @param count instances, at least 1
     * @param extra keys this model does not name
     */
    public record Deploy(String profile, int count, Map<String, JsonNode> extra) {
        public Deploy {
            if (profile == null || profile.isBlank()) {
                throw new SdlInvalid("profile", "must name a compute profile");
            }
            if (count < 1) {
                throw new SdlInvalid("count", "must be at least 1, got " + count);
            }
            extra = extras(extra);
        }
    }

    /**
     * A named endpoint.
     *
     * @param kind its kind ({@code ip}: a leased IP address)
     * @param extra keys this model does not name
     */
    public record Endpoint(String kind, Map<String, JsonNode> extra) {
        public Endpoint {
            if (kind == null || kind.isBlank()) {
                throw new SdlInvalid("kind", "must give the endpoint's kind, e.g. ip");
            }
            extra = extras(extra);
        }
    }

    // ------------------------------------------------------------------------------------------------

    /** The checks across sections that the Akash node makes too. */
    private static void check(Map<String, Service> services, Profiles profiles, Map<String, Map<String, Deploy>> deployment,
            Map<String, Endpoint> endpoints) {
        for (Map.Entry<String, Map<String, Deploy>> bySvc : deployment.entrySet()) {
            String svc = bySvc.getKey();
            if (!services.containsKey(svc)) {
                throw new SdlInvalid("deployment." + svc, "deploys service '" + svc + "', which services does not define");
            }
            if (bySvc.getValue().isEmpty()) {
                throw new SdlInvalid("deployment." + svc, "must name at least one placement");
            }
            for (Map.Entry<String, Deploy> byPlacement : bySvc.getValue().entrySet()) {
                String where = "deployment." + svc + "." + byPlacement.getKey();
                Placement placement = profiles.placement().get(byPlacement.getKey());
                if (placement == null) {
                    throw new SdlInvalid(where, "no placement profile named '" + byPlacement.getKey() + "' in profiles.placement");
                }
                String profileName = byPlacement.getValue().profile();
                ComputeProfile compute = profiles.compute().get(profileName);
                if (compute == null) {
                    throw new SdlInvalid(where + ".profile", "no compute profile named '" + profileName + "' in profiles.compute");
                }
                if (!placement.pricing().containsKey(profileName)) {
                    throw new SdlInvalid("profiles.placement." + byPlacement.getKey() + ".pricing",
                            "has no price for compute profile '" + profileName + "', which " + where + " uses");
                }
                checkMounts(svc, services.get(svc), compute);
            }
        }
        for (Map.Entry<String, Service> s : services.entrySet()) {
            List<Expose> expose = s.getValue().expose();
            for (int i = 0; i < expose.size(); i++) {
                List<ExposeTo> to = expose.get(i).to();
                for (int j = 0; j < to.size(); j++) {
                    String where = "services." + s.getKey() + ".expose[" + i + "].to[" + j + "]";
                    ExposeTo t = to.get(j);
                    if (t.service().isPresent() && !services.containsKey(t.service().get())) {
                        throw new SdlInvalid(where + ".service", "no service named '" + t.service().get() + "'");
                    }
                    if (t.ip().isPresent() && !endpoints.containsKey(t.ip().get())) {
                        throw new SdlInvalid(where + ".ip", "no endpoint named '" + t.ip().get() + "' in endpoints");
                    }
                }
            }
        }
    }

    private static void checkMounts(String svcName, Service svc, ComputeProfile compute) {
        Map<String, StorageMount> mounts = svc.params().map(Params::storage).orElse(Map.of());
        Map<String, Storage> volumes = new LinkedHashMap<>();
        compute.resources().storage().forEach(v -> volumes.put(v.volumeName(), v));
        for (Map.Entry<String, StorageMount> m : mounts.entrySet()) {
            if (!volumes.containsKey(m.getKey())) {
                throw new SdlInvalid("services." + svcName + ".params.storage." + m.getKey(),
                        "refers to volume '" + m.getKey() + "', which its compute profile does not define (volumes: "
                                + volumes.keySet() + ")");
            }
        }
        for (Storage v : volumes.values()) {
            if (v.persistent() && mounts.getOrDefault(v.volumeName(), new StorageMount(Optional.empty(), Optional.empty(),
                    Map.of())).mount().isEmpty()) {
                throw new SdlInvalid("services." + svcName + ".params.storage." + v.volumeName() + ".mount",
                        "persistent volume '" + v.volumeName() + "' must be mounted: give its absolute mount path");
            }
        }
    }

    static <V> Map<String, V> ordered(Map<String, V> m) {
        Map<String, V> copy = new LinkedHashMap<>();
        m.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "key"), Objects.requireNonNull(v, () -> "value of " + k)));
        return Collections.unmodifiableMap(copy);
    }

    /** A deep copy: Jackson containers are mutable, the model is not. */
    static Map<String, JsonNode> extras(Map<String, JsonNode> m) {
        Map<String, JsonNode> copy = new LinkedHashMap<>();
        m.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "key"), Objects.requireNonNull(v, () -> "value of " + k).deepCopy()));
        return Collections.unmodifiableMap(copy);
    }

    /**
     * A rule of the schema broken, at {@link #path()} (relative to the record that throws it,
     * or absolute from the document for checks across sections). The reader turns it into an
     * {@link SdlException} with the line; built in code it is an {@link IllegalArgumentException}.
     */
    static final class SdlInvalid extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final String path;

        SdlInvalid(String path, String problem) {
            super(path + ": " + problem);
            this.path = path;
        }

        String path() {
            return path;
        }

        String problem() {
            return getMessage().substring(path.length() + 2);
        }
    }
}
