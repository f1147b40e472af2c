package dev.twinflow.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RatesTest {

    static final long SECOND = 1_000_000_000L;

    final Rates rates = new Rates();

    @Test
    void firstReadingHasTotalsButNoRatesYet() {
        List<Rates.Rate> first = rates.update(Map.of("a", 10L, "b", 30L), 0, 20);

        assertThat(first).containsExactly(new Rates.Rate("b", null, 30), new Rates.Rate("a", null, 10));
    }

    @Test
    void rateIsTheGrowthSinceThePreviousReadingPerElapsedSecond() {
        rates.update(Map.of("a", 10L, "b", 30L), 0, 20);

        List<Rates.Rate> next = rates.update(Map.of("a", 110L, "b", 40L), 2 * SECOND, 20);

        assertThat(next).containsExactly(new Rates.Rate("a", 50.0, 110), new Rates.Rate("b", 5.0, 40));
    }

    @Test
    void aCounterThatAppearedCountsFromZero() {
        rates.update(Map.of("a", 10L), 0, 20);

        assertThat(rates.update(Map.of("a", 10L, "new", 7L), SECOND, 20))
                .containsExactly(new Rates.Rate("new", 7.0, 7), new Rates.Rate("a", 0.0, 10));
    }

    @Test
    void aCounterThatWentDownWasResetAndCountsFromZero() {
        rates.update(Map.of("a", 1000L), 0, 20);

        assertThat(rates.update(Map.of("a", 4L), SECOND, 20)).containsExactly(new Rates.Rate("a", 4.0, 4));
    }

    @Test
    void keepsOnlyTheFastestCounters() {
        Map<String, Long> zero = IntStream.range(0, 30).boxed().collect(Collectors.toMap(i -> "d" + i, i -> 0L));
        Map<String, Long> grown = IntStream.range(0, 30).boxed().collect(Collectors.toMap(i -> "d" + i, i -> (long) i));
        rates.update(zero, 0, 20);

        List<Rates.Rate> top = rates.update(grown, SECOND, 20);

        assertThat(top).hasSize(20);
        assertThat(top.get(0)).isEqualTo(new Rates.Rate("d29", 29.0, 29));
        assertThat(top.get(19)).isEqualTo(new Rates.Rate("d10", 10.0, 10));
    }

    @Test
    void aLongGapOrAResetStartsAfreshInsteadOfAveragingOverIt() {
        rates.update(Map.of("a", 0L), 0, 20);
        assertThat(rates.update(Map.of("a", 600L), 60 * SECOND, 20)).containsExactly(new Rates.Rate("a", null, 600));
        assertThat(rates.update(Map.of("a", 610L), 61 * SECOND, 20)).containsExactly(new Rates.Rate("a", 10.0, 610));

        rates.reset();
        assertThat(rates.update(Map.of("a", 620L), 62 * SECOND, 20)).containsExactly(new Rates.Rate("a", null, 620));
    }
}
