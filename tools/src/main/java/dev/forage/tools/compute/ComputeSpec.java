package dev.forage.tools.compute;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What an agent wants to rent.
 *
 * @param gpu the GPU model ({@code h100}, {@code a100}) or family ({@code nvidia}); lower-case;
 *     {@code any} for any GPU
 * @param gpuCount GPUs per instance, at least 1
 * @param minVramGib the least memory per GPU, in GiB; 0 for any
 * @param cpuMillis CPU in thousandths of a core (1000 = one core); 0 for the market's default
 * @param memoryMib RAM in MiB; 0 for the market's default
 * @param region a region or ISO country code the market understands; empty for anywhere
 * @param duration how long the work needs the machine
 * @param image the container image the workload runs, if the market runs containers
 */
public record ComputeSpec(String gpu, int gpuCount, int minVramGib, int cpuMillis, long memoryMib, Optional<String> region,
        Duration duration, Optional<String> image) {

    public ComputeSpec {
        if (gpu == null || !gpu.matches("[a-z0-9][a-z0-9 ._-]{0,63}")) {
            throw new IllegalArgumentException("gpu '" + gpu + "' must be a lower-case model or family, e.g. h100, a100, nvidia, any");
        }
        if (gpuCount < 1 || gpuCount > 64) {
            throw new IllegalArgumentException("gpuCount " + gpuCount + " must be between 1 and 64");
        }
        if (minVramGib < 0 || cpuMillis < 0 || memoryMib < 0) {
            throw new IllegalArgumentException("minVramGib, cpuMillis and memoryMib must not be negative, got " + minVramGib
                    + ", " + cpuMillis + ", " + memoryMib);
        }
        Objects.requireNonNull(region, "region");
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration " + duration + " must be positive, e.g. PT1H");
        }
        Objects.requireNonNull(image, "image");
    }

    /** {@code count} GPUs of {@code gpu} for {@code duration}, other fields at their defaults. */
    public static ComputeSpec of(String gpu, int count, Duration duration) {
        return new ComputeSpec(gpu.toLowerCase(Locale.ROOT), count, 0, 0, 0, Optional.empty(), duration, Optional.empty());
    }

    /** Whether any GPU will do. */
    public boolean anyGpu() {
        return gpu.equals("any");
    }

    /**
     * Whether a GPU named {@code model} (as a market writes it, e.g. "NVIDIA H100 80GB HBM3")
     * satisfies {@link #gpu()}: case-insensitive containment, ignoring spaces and dashes.
     */
    public boolean acceptsGpu(String model) {
        if (anyGpu()) {
            return true;
        }
        String want = gpu.replaceAll("[ _-]", "");
        String have = model.toLowerCase(Locale.ROOT).replaceAll("[ _-]", "");
        return have.contains(want);
    }

    /** This spec with a minimum GPU memory. */
    public ComputeSpec withMinVramGib(int gib) {
        return new ComputeSpec(gpu, gpuCount, gib, cpuMillis, memoryMib, region, duration, image);
    }

    /** This spec in a region. */
    public ComputeSpec withRegion(String where) {
        return new ComputeSpec(gpu, gpuCount, minVramGib, cpuMillis, memoryMib, Optional.of(where), duration, image);
    }

    /** This spec running a container image. */
    public ComputeSpec withImage(String containerImage) {
        return new ComputeSpec(gpu, gpuCount, minVramGib, cpuMillis, memoryMib, region, duration, Optional.of(containerImage));
    }

    /** This spec with CPU and memory. */
    public ComputeSpec withCpuAndMemory(int millis, long mib) {
        return new ComputeSpec(gpu, gpuCount, minVramGib, millis, mib, region, duration, image);
    }
}
