package dev.forage.tools.compute.akash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.forage.policies.Money;
import dev.forage.tools.compute.ComputeSpec;
import dev.forage.tools.compute.Prices;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How Forage writes the SDL for a {@link ComputeSpec}: one service, one compute profile, one
 * placement, one instance. The GPU request comes from the spec ({@code h100} becomes
 * {@code vendor.nvidia: [{model: h100}]}, a minimum VRAM becomes the model's {@code ram}, the
 * families {@code nvidia} and {@code any} become a bare {@code nvidia:}, {@code amd} a bare
 * {@code amd:}); CPU and memory come from the spec or the defaults here; a region becomes the
 * placement attribute {@code region}. The price is the most per block: the configured most per
 * GPU-hour times the GPU count, converted back with {@link Prices#AKASH_BLOCKS_PER_HOUR} and the
 * denom's rate, and rounded <b>down</b> to a whole unit, so that a bid at the cap never costs
 * more an hour than the configured most.
 *
 * @param service the service name (also the compute profile's), a DNS label
 * @param placement the placement name
 * @param defaultImage the image when the spec names none
 * @param port the container port exposed (as port 80, to the world)
 * @param defaultCpuMillis CPU when the spec says 0, in thousandths of a core
 * @param defaultMemoryMib RAM when the spec says 0, in MiB
 * @param storageMib the root volume, in MiB
 * @param denom the denom prices are written in ({@code uact} by default)
 * @param microUsdPerUnit what one unit of {@code denom} is worth in micro-USD (1 for {@code uact}
 *     and for USDC IBC denoms)
 * @param maxPricePerGpuHour the most one GPU-hour may cost, in the billing asset (a USD stablecoin)
 */
public record SdlTemplate(String service, String placement, String defaultImage, int port, int defaultCpuMillis,
        long defaultMemoryMib, long storageMib, String denom, BigDecimal microUsdPerUnit, Money maxPricePerGpuHour) {

    /** The denom leases are priced in since Burn-Mint Equilibrium: ACT, a micro-USD compute credit. */
    public static final String UACT = "uact";

    public SdlTemplate {
        for (String name : new String[] {service, placement}) {
            if (name == null || !name.matches("[a-z]([a-z0-9-]{0,61}[a-z0-9])?")) {
                throw new IllegalArgumentException("SDL service and placement names must be lower-case DNS labels (a-z, 0-9, '-'), got '"
                        + name + "'");
            }
        }
        if (defaultImage == null || defaultImage.isBlank()) {
            throw new IllegalArgumentException("defaultImage must name a container image");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " must be from 1 to 65535");
        }
        if (defaultCpuMillis < 1 || defaultMemoryMib < 1 || storageMib < 1) {
            throw new IllegalArgumentException("default CPU, memory and storage must be positive, got " + defaultCpuMillis + " mCPU, "
                    + defaultMemoryMib + " MiB, " + storageMib + " MiB");
        }
        if (denom == null || denom.isBlank()) {
            throw new IllegalArgumentException("denom must name an Akash denomination, e.g. uact");
        }
        Objects.requireNonNull(microUsdPerUnit, "microUsdPerUnit");
        if (microUsdPerUnit.signum() <= 0) {
            throw new IllegalArgumentException("the rate of " + denom + " must be positive micro-USD per unit, got " + microUsdPerUnit);
        }
        Objects.requireNonNull(maxPricePerGpuHour, "maxPricePerGpuHour");
        if (maxPricePerGpuHour.isZero()) {
            throw new IllegalArgumentException("maxPricePerGpuHour must be above zero: it caps what providers may bid");
        }
    }

    /**
     * Defaults: service {@code forage}, placement {@code akash}, image
     * {@code nvidia/cuda:12.4.1-base-ubuntu22.04} on port 8080, 4 cores, 16 GiB RAM, 64 GiB disk,
     * prices in {@code uact}.
     *
     * @param maxPricePerGpuHour the most one GPU-hour may cost
     */
    public static SdlTemplate defaults(Money maxPricePerGpuHour) {
        return new SdlTemplate("forage", "akash", "nvidia/cuda:12.4.1-base-ubuntu22.04", 8080, 4000, 16 * 1024, 64 * 1024, UACT,
                BigDecimal.ONE, maxPricePerGpuHour);
    }

    /** This template pricing in {@code newDenom}, one unit of which is worth {@code microUsd} micro-USD. */
    public SdlTemplate withDenom(String newDenom, BigDecimal microUsd) {
        return new SdlTemplate(service, placement, defaultImage, port, defaultCpuMillis, defaultMemoryMib, storageMib, newDenom,
                microUsd, maxPricePerGpuHour);
    }

    /** This template with another default image and port. */
    public SdlTemplate withImage(String image, int containerPort) {
        return new SdlTemplate(service, placement, image, containerPort, defaultCpuMillis, defaultMemoryMib, storageMib, denom,
                microUsdPerUnit, maxPricePerGpuHour);
    }

    /** This template with other default resources. */
    public SdlTemplate withResources(int cpuMillis, long memoryMib, long rootStorageMib) {
        return new SdlTemplate(service, placement, defaultImage, port, cpuMillis, memoryMib, rootStorageMib, denom, microUsdPerUnit,
                maxPricePerGpuHour);
    }

    /**
     * The most per block for {@code gpuCount} GPUs, in {@link #denom()}: rounded down to a whole
     * unit.
     *
     * @throws IllegalArgumentException when the cap is below one unit per block
     */
    public BigDecimal maxPricePerBlock(int gpuCount) {
        BigDecimal microUsdPerHour = new BigDecimal(maxPricePerGpuHour.units())
                .movePointRight(6 - maxPricePerGpuHour.asset().decimals()).multiply(BigDecimal.valueOf(gpuCount));
        BigDecimal perBlock = microUsdPerHour.divide(BigDecimal.valueOf(Prices.AKASH_BLOCKS_PER_HOUR).multiply(microUsdPerUnit), 0,
                RoundingMode.FLOOR);
        if (perBlock.signum() <= 0) {
            throw new IllegalArgumentException("a most of " + maxPricePerGpuHour + " per GPU-hour is below one " + denom
                    + " per block; raise it");
        }
        return perBlock;
    }

    /** The SDL for {@code spec}. */
    public Sdl render(ComputeSpec spec) {
        Sdl.Service svc = new Sdl.Service(spec.image().orElse(defaultImage), List.of(), List.of(), List.of(),
                List.of(Sdl.Expose.global(port, 80)), Optional.empty(), Optional.empty(), Map.of());
        int cpu = spec.cpuMillis() > 0 ? spec.cpuMillis() : defaultCpuMillis;
        long memory = spec.memoryMib() > 0 ? spec.memoryMib() : defaultMemoryMib;
        Sdl.Resources resources = new Sdl.Resources(new Sdl.Cpu(cpuUnits(cpu), Map.of()),
                new Sdl.Memory(Sdl.Scalar.of(memory + "Mi"), Map.of()), List.of(Sdl.Storage.of(storageMib + "Mi")), true,
                Optional.of(gpu(spec)), Map.of());
        Map<String, JsonNode> attributes = new LinkedHashMap<>();
        spec.region().ifPresent(r -> attributes.put("region", TextNode.valueOf(r)));
        Sdl.Placement where = new Sdl.Placement(attributes, Optional.empty(),
                Map.of(service, Sdl.Price.of(denom, maxPricePerBlock(spec.gpuCount()))), Map.of());
        return new Sdl(Sdl.Scalar.of("2.0"), Map.of(service, svc),
                new Sdl.Profiles(Map.of(service, new Sdl.ComputeProfile(resources, Map.of())), Map.of(placement, where), Map.of()),
                Map.of(service, Map.of(placement, new Sdl.Deploy(service, 1, Map.of()))), Map.of(), Map.of());
    }

    private static Sdl.Scalar cpuUnits(int millis) {
        return millis % 1000 == 0 ? Sdl.Scalar.of(millis / 1000) : Sdl.Scalar.of(millis + "m");
    }

    private static Sdl.Gpu gpu(ComputeSpec spec) {
        String want = spec.gpu();
        if (want.equals("any") || want.equals("nvidia")) {
            return new Sdl.Gpu(spec.gpuCount(), Map.of("nvidia", List.of()), Map.of(), Map.of());
        }
        if (want.equals("amd")) {
            return new Sdl.Gpu(spec.gpuCount(), Map.of("amd", List.of()), Map.of(), Map.of());
        }
        // Akash writes models without vendor prefix or spaces: "rtx 4090" is rtx4090, "nvidia h100" is h100.
        String model = want.replaceFirst("^nvidia[ _-]*", "").replaceAll("[ _]", "").toLowerCase(Locale.ROOT);
        Optional<Sdl.Scalar> ram = spec.minVramGib() > 0 ? Optional.of(Sdl.Scalar.of(spec.minVramGib() + "Gi")) : Optional.empty();
        return new Sdl.Gpu(spec.gpuCount(), Map.of("nvidia", List.of(new Sdl.GpuModel(Sdl.Scalar.of(model), ram, Optional.empty(),
                Map.of()))), Map.of(), Map.of());
    }
}
