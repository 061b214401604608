package dev.forage.tools.compute;

import java.util.Objects;
import java.util.Optional;

/**
 * What one offer provides.
 *
 * @param gpuModel the GPU model as the market names it
 * @param gpuCount how many GPUs
 * @param vramGib memory per GPU in GiB (0 when the market does not say)
 * @param cpuMillis CPU in thousandths of a core (0 when the market does not say)
 * @param memoryMib RAM in MiB (0 when the market does not say)
 * @param region where, as the market names it
 */
public record Resources(String gpuModel, int gpuCount, int vramGib, int cpuMillis, long memoryMib, Optional<String> region) {
    public Resources {
        Objects.requireNonNull(gpuModel, "gpuModel");
        Objects.requireNonNull(region, "region");
        if (gpuCount < 0 || vramGib < 0 || cpuMillis < 0 || memoryMib < 0) {
            throw new IllegalArgumentException("resources must not be negative: " + gpuCount + " GPUs, " + vramGib + " GiB, "
                    + cpuMillis + " mCPU, " + memoryMib + " MiB");
        }
    }

    /** Whether these resources satisfy {@code spec} (GPU model, count, memory, region). */
    public boolean satisfies(ComputeSpec spec) {
        return spec.acceptsGpu(gpuModel) && gpuCount >= spec.gpuCount()
                && (spec.minVramGib() == 0 || vramGib == 0 || vramGib >= spec.minVramGib())
                && (spec.region().isEmpty() || region.map(r -> r.equalsIgnoreCase(spec.region().get())
                        || r.toLowerCase(java.util.Locale.ROOT).startsWith(spec.region().get().toLowerCase(java.util.Locale.ROOT)))
                        .orElse(false));
    }
}
