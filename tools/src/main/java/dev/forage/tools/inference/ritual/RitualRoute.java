package dev.forage.tools.inference.ritual;

import dev.forage.tools.inference.TokenPrice;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Which containers of a Ritual node serve a model's embeddings, and how.
 *
 * @param model the model id requests name
 * @param containers the container ids, in order: the node runs them chained (the output of one
 *     is the input of the next) and the last one's output is the result
 * @param shape the field names of the job's data and of the last container's output
 * @param dimension the vectors' dimension, when known; otherwise one dimension across the batch
 * @param price the price agreed for the model; Ritual's off-chain REST API publishes none
 * @param usageRequired whether the output must carry token usage
 */
public record RitualRoute(String model, List<String> containers, JobShape shape, OptionalInt dimension,
        Optional<TokenPrice> price, boolean usageRequired) {

    public RitualRoute {
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("route model '" + model + "' must not be blank");
        }
        containers = List.copyOf(containers);
        if (containers.isEmpty()) {
            throw new IllegalArgumentException("route for " + model + " needs at least one container id");
        }
        for (String c : containers) {
            if (c.isBlank()) {
                throw new IllegalArgumentException("route for " + model + " has a blank container id");
            }
        }
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(dimension, "dimension");
        if (dimension.isPresent() && dimension.getAsInt() < 1) {
            throw new IllegalArgumentException("route for " + model + " has dimension " + dimension.getAsInt()
                    + "; it must be at least 1");
        }
        Objects.requireNonNull(price, "price");
    }

    /** {@code model} served by the one container {@code containerId}, in the {@link JobShape#standard() standard shape}. */
    public static RitualRoute embeddings(String model, String containerId) {
        return new RitualRoute(model, List.of(containerId), JobShape.standard(), OptionalInt.empty(), Optional.empty(), false);
    }

    /** This route through these chained containers. */
    public RitualRoute withContainers(List<String> ids) {
        return new RitualRoute(model, ids, shape, dimension, price, usageRequired);
    }

    /** This route with another input/output shape. */
    public RitualRoute withShape(JobShape newShape) {
        return new RitualRoute(model, containers, newShape, dimension, price, usageRequired);
    }

    /** This route expecting vectors of {@code d} dimensions. */
    public RitualRoute withDimension(int d) {
        return new RitualRoute(model, containers, shape, OptionalInt.of(d), price, usageRequired);
    }

    /** This route priced at {@code p}. */
    public RitualRoute withPrice(TokenPrice p) {
        return new RitualRoute(model, containers, shape, dimension, Optional.of(p), usageRequired);
    }

    /** This route requiring (or not) usage in the output. */
    public RitualRoute withUsageRequired(boolean required) {
        return new RitualRoute(model, containers, shape, dimension, price, required);
    }
}
