package dev.forage.policies;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Which policy is active, for logs and the audit trail.
 *
 * @param sources the names of the sources, in load order
 * @param digest the SHA-256 of the sources' names and texts: changes whenever the policy does
 * @param documents how many YAML documents
 * @param rules how many rules in all
 * @param budgets how many budgets in all
 * @param loadedAt when it was compiled
 */
public record PolicyInfo(List<String> sources, String digest, int documents, int rules, int budgets, Instant loadedAt) {

    public PolicyInfo {
        sources = List.copyOf(sources);
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(loadedAt, "loadedAt");
    }
}
