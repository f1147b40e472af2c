package dev.twinflow.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twinflow.system.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.SqlParameterValue;

class MysqlRowsTest {

    private final CamelContext camel = new DefaultCamelContext();
    private final MysqlRows rows = new MysqlRows();

    private Exchange record(List<Map<String, Object>> readings) {
        Exchange e = new DefaultExchange(camel);
        e.getMessage().setBody(Json.bytes(Json.MAPPER.valueToTree(readings)));
        return e;
    }

    private static Map<String, Object> reading(String device, String dataId, long ts, Object value) {
        return Map.of("device_id", device, "data_id", dataId, "ts", ts, "value", value);
    }

    @Test
    void oneBatchBecomesOneStatementWithARowPerReading() {
        Exchange batch = new DefaultExchange(camel);
        List<MysqlRows.Statement> statements = rows.statements(
                List.of(
                        record(List.of(
                                reading("press-1", "temp", 1_000L, 21.5), reading("press-1", "mode", 1_000L, "auto"))),
                        record(List.of(reading("press-2", "temp", 2_000L, 22.0)))),
                batch);

        assertThat(statements).hasSize(1);
        MysqlRows.Statement s = statements.get(0);
        assertThat(s.sql())
                .startsWith("INSERT INTO mac_data (data_id, payload, time, device_id, value, value_text, ts)")
                .contains("VALUES (?,?,?,?,?,?,?),(?,?,?,?,?,?,?),(?,?,?,?,?,?,?)")
                .endsWith("value_text = VALUES(value_text)");
        assertThat(s.sql().chars().filter(c -> c == '?').count()).isEqualTo(21);
        assertThat(s.parameters()).hasSize(21);
        // the second reading is text: value is a typed NULL, value_text and payload hold the text
        List<Object> second = s.parameters().subList(7, 14);
        assertThat(second.get(0)).isEqualTo("mode");
        assertThat(second.get(1)).isEqualTo("auto");
        assertThat(second.get(3)).isEqualTo("press-1");
        assertThat(second.get(4)).isInstanceOfSatisfying(SqlParameterValue.class, v -> assertThat(v.getValue())
                .isNull());
        assertThat(second.get(5)).isEqualTo("auto");
        assertThat(second.get(6)).isEqualTo(1_000L);
        assertThat(s.parameters().get(4)).isEqualTo(21.5);
        assertThat(batch.getProperty(SinkBatch.TO_STORE, Integer.class)).isEqualTo(3);
    }

    @Test
    void aBatchOverTheStatementLimitIsSlicedKeepingEveryReadingOnce() {
        List<Map<String, Object>> readings = new ArrayList<>();
        int n = MysqlRows.ROWS_PER_STATEMENT * 2 + 3;
        for (int i = 0; i < n; i++) {
            readings.add(reading("dev", "d" + i, 5_000L, (double) i));
        }
        List<MysqlRows.Statement> statements = rows.statements(List.of(record(readings)), new DefaultExchange(camel));

        assertThat(statements)
                .extracting(s -> s.parameters().size() / 7)
                .containsExactly(MysqlRows.ROWS_PER_STATEMENT, MysqlRows.ROWS_PER_STATEMENT, 3);
        List<Object> dataIds = new ArrayList<>();
        for (MysqlRows.Statement s : statements) {
            assertThat(s.sql().chars().filter(c -> c == '?').count())
                    .isEqualTo(s.parameters().size());
            for (int i = 0; i < s.parameters().size(); i += 7) {
                dataIds.add(s.parameters().get(i));
            }
        }
        assertThat(dataIds).hasSize(n).doesNotHaveDuplicates();
    }

    @Test
    void readingsTheTableCannotHoldAreLeftOutWithTheirReason() {
        Exchange batch = new DefaultExchange(camel);
        List<MysqlRows.Statement> statements = rows.statements(
                List.of(record(List.of(reading("x".repeat(MysqlRows.MAX_DEVICE_ID + 1), "temp", 1L, 1.0)))), batch);

        assertThat(statements).isEmpty();
        List<?> rejected = batch.getProperty(SinkBatch.REJECTED, List.class);
        assertThat(rejected).singleElement().satisfies(r -> assertThat(((SinkBatch.Rejected) r).reason())
                .isEqualTo("device_id longer than 191 characters"));
    }

    @Test
    void anUpsertWithoutAValuesRowIsRefusedAtStart() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new MysqlRows("DELETE FROM mac_data"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("VALUES");
    }
}
