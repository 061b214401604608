package dev.forage.tools.compute.procure;

import dev.forage.tools.compute.Offer;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one round of hedged quote requests got before its deadline.
 *
 * @param offers every offer that arrived in time, markets in the order they were asked, each
 *     market's offers in its own order
 * @param answered the markets that answered in time (an empty answer counts)
 * @param failed the markets that failed in time, with the failure's message
 * @param late the markets that had not answered at the deadline; their answers are ignored
 */
public record QuoteRound(List<Offer> offers, Set<String> answered, Map<String, String> failed, Set<String> late) {

    public QuoteRound {
        offers = List.copyOf(offers);
        answered = Collections.unmodifiableSet(new TreeSet<>(answered));
        failed = Collections.unmodifiableMap(new TreeMap<>(failed));
        late = Collections.unmodifiableSet(new TreeSet<>(late));
        Objects.requireNonNull(offers, "offers");
    }
}
