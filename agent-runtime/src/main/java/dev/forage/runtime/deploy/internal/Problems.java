package dev.forage.runtime.deploy.internal;

import dev.forage.runtime.deploy.DeploymentProblem;
import dev.forage.runtime.deploy.internal.LocatedYaml.Loc;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The problems found in one file, in the order found, printed in file order. A problem that
 * makes everything below its field moot (an unknown field, a field not allowed, a literal
 * secret) blocks that field, so no second problem is reported inside it.
 */
final class Problems {

    private record Entry(Pointer path, Loc loc, String message, int seq) {}

    private final String source;
    private final List<Entry> entries = new ArrayList<>();
    private final Set<String> seen = new HashSet<>();
    private final List<Pointer> blocked = new ArrayList<>();

    Problems(String source) {
        this.source = source;
    }

    /** Adds a problem unless its field is blocked or it was reported already. */
    void add(Pointer path, Loc loc, String message) {
        if (isBlocked(path) || !seen.add(path.json() + "\n" + message)) {
            return;
        }
        entries.add(new Entry(path, loc, message, entries.size()));
    }

    /** Adds a problem and blocks every later one at or below {@code path}. */
    void addBlocking(Pointer path, Loc loc, String message) {
        add(path, loc, message);
        blocked.add(path);
    }

    /** Blocks every later problem at or below {@code path} without reporting one there. */
    void block(Pointer path) {
        blocked.add(path);
    }

    boolean isBlocked(Pointer path) {
        for (Pointer b : blocked) {
            if (path.startsWith(b)) {
                return true;
            }
        }
        return false;
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    /** A problem about the whole file, with no position. */
    void file(String message) {
        entries.add(new Entry(Pointer.ROOT, new Loc(0, 0), message, entries.size()));
    }

    List<DeploymentProblem> sorted() {
        return entries.stream()
                .sorted(Comparator.comparingInt((Entry e) -> e.loc().line())
                        .thenComparingInt(e -> e.loc().column())
                        .thenComparingInt(Entry::seq))
                .map(e -> new DeploymentProblem(Secrets.scrub(source), e.loc().line(), e.loc().column(),
                        Secrets.scrub(e.path().display()), Secrets.scrub(e.message())))
                .toList();
    }
}
