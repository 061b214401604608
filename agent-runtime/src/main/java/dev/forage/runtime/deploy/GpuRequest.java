package dev.forage.runtime.deploy;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The GPUs a job leases.
 *
 * @param model the GPU model, e.g. {@code A100}
 * @param count how many, 1 to 64
 * @param minVramGib the least memory per GPU in GiB, when it matters
 * @param duration how long to lease them, positive
 */
public record GpuRequest(String model, int count, OptionalInt minVramGib, Duration duration) {

    public GpuRequest {
        Objects.requireNonNull(model, "gpu.model");
        if (model.isEmpty()) {
            throw new IllegalArgumentException("gpu.model is empty: name the GPU, e.g. A100");
        }
        if (count < 1 || count > 64) {
            throw new IllegalArgumentException("gpu.count " + count + " must be 1 to 64");
        }
        Objects.requireNonNull(minVramGib, "gpu.minVramGib");
        minVramGib.ifPresent(v -> {
            if (v < 1 || v > 1024) {
                throw new IllegalArgumentException("gpu.minVramGib " + v + " must be 1 to 1024");
            }
        });
        Durations.requirePositive("gpu.duration", duration);
    }
}
