package dev.twinflow.dashboard;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-second rates of ever-growing counters (packets per device, exchanges per route), from the
 * difference between two consecutive readings. Not thread-safe: one producer reads.
 */
final class Rates {

    /** One counter: its rate since the previous reading (null when unknown) and its total. */
    record Rate(String key, Double perSecond, long total) {}

    // a gap this long (nobody watching, a source failing) makes the next reading a fresh start:
    // an average over minutes would pass for the current rate
    static final long MAX_GAP_NANOS = 5_000_000_000L;

    private Map<String, Long> previous;
    private long previousNanos;

    /**
     * @param counts every counter's current total
     * @param nanos when they were read ({@link System#nanoTime()})
     * @param top how many to keep
     * @return the fastest {@code top} counters, fastest first (ties: the larger total, then by key);
     *     rates are null on the first reading and after a gap
     */
    List<Rate> update(Map<String, Long> counts, long nanos, int top) {
        boolean known = previous != null && nanos - previousNanos > 0 && nanos - previousNanos <= MAX_GAP_NANOS;
        double seconds = (nanos - previousNanos) / 1e9;
        List<Rate> rates = new ArrayList<>(counts.size());
        counts.forEach((key, total) -> {
            Double perSecond = null;
            if (known) {
                long before = previous.getOrDefault(key, 0L);
                // a counter that went down was reset (hash cleared, route restarted) and counted up from 0
                long delta = total >= before ? total - before : total;
                perSecond = delta / seconds;
            }
            rates.add(new Rate(key, perSecond, total));
        });
        previous = new HashMap<>(counts);
        previousNanos = nanos;
        rates.sort(Comparator.comparing((Rate r) -> r.perSecond() == null ? 0.0 : r.perSecond())
                .reversed()
                .thenComparing(Comparator.comparingLong(Rate::total).reversed())
                .thenComparing(Rate::key));
        return rates.size() > top ? List.copyOf(rates.subList(0, top)) : rates;
    }

    /** Forgets the last reading, so the next one starts afresh (its source failed meanwhile). */
    void reset() {
        previous = null;
    }
}
