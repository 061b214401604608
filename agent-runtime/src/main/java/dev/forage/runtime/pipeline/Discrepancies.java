package dev.forage.runtime.pipeline;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Where the chain reports discrepancies between money and books, for operators (the control
 * plane lists them). Thread-safe.
 */
public interface Discrepancies {

    /** Reports one. */
    void report(Discrepancy discrepancy);

    /** Every discrepancy reported and not yet reconciled, oldest first. */
    List<Discrepancy> open();

    /** An in-memory list. */
    static Discrepancies inMemory() {
        CopyOnWriteArrayList<Discrepancy> list = new CopyOnWriteArrayList<>();
        return new Discrepancies() {
            @Override
            public void report(Discrepancy discrepancy) {
                list.add(discrepancy);
            }

            @Override
            public List<Discrepancy> open() {
                return List.copyOf(list);
            }
        };
    }
}
