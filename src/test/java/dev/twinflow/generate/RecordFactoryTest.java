package dev.twinflow.generate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.twinflow.system.Json;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RecordFactoryTest {

    private static final long NOW = 1_795_000_000_123L;

    private JsonNode create(RecordFactory factory, RecordType type, long id) throws Exception {
        return Json.MAPPER.readTree(factory.create(type, id));
    }

    @Test
    void usersHaveRealisticNamesAdultAgesAndUniqueEmails() throws Exception {
        RecordFactory factory = new RecordFactory(new SplittableRandom(1), NOW);
        Set<String> emails = new HashSet<>();
        for (int id = 0; id < 500; id++) {
            JsonNode user = create(factory, RecordType.USER, id);
            assertThat(user.get("id").asInt()).isEqualTo(id);
            assertThat(user.get("name").asText()).matches("\\S.* \\S.*");
            assertThat(user.get("age").asInt()).isBetween(18, 90);
            assertThat(user.get("email").asText()).matches("[a-z0-9.]+" + id + "@[a-z.]+");
            assertThat(user.get("created_at").decimalValue().movePointRight(3).longValue())
                    .isLessThanOrEqualTo(NOW);
            emails.add(user.get("email").asText());
        }
        assertThat(emails).hasSize(500);
    }

    @Test
    void timestampsAreEpochSecondsWithMilliseconds() {
        byte[] sensor = new RecordFactory(new SplittableRandom(2), NOW).create(RecordType.SENSOR, 0);
        assertThat(new String(sensor, java.nio.charset.StandardCharsets.UTF_8))
                .endsWith(",\"timestamp\":1795000000.123}");
    }

    @Test
    void transactionsSpreadOverCurrenciesTypesAndStatuses() throws Exception {
        RecordFactory factory = new RecordFactory(new SplittableRandom(3), NOW);
        Set<String> currencies = new HashSet<>();
        Set<String> types = new HashSet<>();
        Set<String> statuses = new HashSet<>();
        for (int id = 0; id < 2000; id++) {
            JsonNode tx = create(factory, RecordType.TRANSACTION, id);
            currencies.add(tx.get("currency").asText());
            types.add(tx.get("type").asText());
            statuses.add(tx.get("status").asText());
            assertThat(tx.get("amount").decimalValue().signum()).isPositive();
            if (tx.get("currency").asText().equals("JPY")) {
                assertThat(tx.get("amount").decimalValue().scale()).isZero();
            }
        }
        assertThat(currencies).containsExactlyInAnyOrder("USD", "EUR", "CNY", "GBP", "JPY");
        assertThat(types).containsExactlyInAnyOrder("purchase", "refund", "transfer", "withdrawal", "deposit");
        assertThat(statuses).containsExactlyInAnyOrder("completed", "pending", "failed");
    }

    @Test
    void sameSeedGivesSameRecords() {
        byte[] a = new RecordFactory(new SplittableRandom(7), NOW).create(RecordType.USER, 5);
        byte[] b = new RecordFactory(new SplittableRandom(7), NOW).create(RecordType.USER, 5);
        assertThat(a).isEqualTo(b);
    }
}
