package dev.twinflow.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.twinflow.embedded.MysqlEngine;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/** The schema migration on a real MariaDB (embedded): a seed-shaped mac_data is upgraded, not dropped. */
class MysqlSchemaIT {

    @TempDir
    static Path dir;

    static MysqlEngine mysql;
    static HikariDataSource pool;
    static JdbcTemplate jdbc;

    @BeforeAll
    static void start() throws Exception {
        mysql = MysqlEngine.embedded(dir, 0);
        mysql.ready().get(120, TimeUnit.SECONDS);
        pool = new HikariDataSource();
        pool.setJdbcUrl(mysql.url());
        pool.setUsername("root");
        jdbc = new JdbcTemplate(pool);
    }

    @AfterAll
    static void stop() throws Exception {
        pool.close();
        mysql.close();
    }

    @Test
    void upgradesTheSeedsTableKeepingEveryRowAndItsValue() {
        jdbc.execute("DROP TABLE IF EXISTS flyway_schema_history");
        jdbc.execute("DROP TABLE IF EXISTS mac_data");
        // the seed's table and its writes: INSERT INTO mac_data (data_id, payload, time), one per reading
        jdbc.execute("CREATE TABLE mac_data (id INT AUTO_INCREMENT PRIMARY KEY, data_id VARCHAR(255),"
                + " payload VARCHAR(255), time DATETIME)");
        for (String[] row : new String[][] {
            {"X_POS", "12.5", "2026-12-01 10:00:00"},
            {"X_POS", "12.6", "2026-12-01 10:00:00"},
            {"X_POS", "12.7", "2026-12-01 10:00:00"},
            {"STATE", "RUNNING", "2026-12-01 10:00:00"},
            {"SPEED", "1200", "2026-12-01 10:00:01"}
        }) {
            jdbc.update("INSERT INTO mac_data (data_id, payload, time) VALUES (?, ?, ?)", (Object[]) row);
        }

        MysqlSchema.migrate(pool);

        List<Map<String, Object>> rows = jdbc.queryForList(
                "SELECT data_id, payload, device_id, value, value_text, ts FROM mac_data ORDER BY id");
        assertThat(rows).hasSize(5);
        assertThat(rows).extracting(r -> r.get("data_id") + "@" + r.get("ts")).doesNotHaveDuplicates();
        assertThat(rows.get(0).get("value")).isEqualTo(12.5);
        assertThat(rows.get(3).get("value")).isNull();
        assertThat(rows.get(3).get("value_text")).isEqualTo("RUNNING");
        assertThat(rows.get(4).get("value")).isEqualTo(1200.0);
        assertThat(rows).allSatisfy(r -> assertThat(r.get("device_id")).isEqualTo(""));
        long second = jdbc.queryForObject("SELECT UNIX_TIMESTAMP('2026-12-01 10:00:00') * 1000", Long.class);
        assertThat(rows.subList(0, 3))
                .extracting(r -> ((Number) r.get("ts")).longValue() - second)
                .containsExactlyInAnyOrder(0L, 1L, 2L);

        // the upsert of the sink now applies: the same reading twice is one row
        for (int i = 0; i < 2; i++) {
            jdbc.update("INSERT INTO mac_data (data_id, payload, time, device_id, value, value_text, ts)"
                    + " VALUES ('X_POS', '1', NOW(), 'm1', 1, NULL, 42) ON DUPLICATE KEY UPDATE value = VALUES(value)");
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM mac_data WHERE device_id = 'm1'", Integer.class))
                .isEqualTo(1);
    }

    @Test
    void createsTheTableOnAnEmptyDatabaseAndRunsAgainHarmlessly() {
        jdbc.execute("DROP TABLE IF EXISTS flyway_schema_history");
        jdbc.execute("DROP TABLE IF EXISTS mac_data");
        MysqlSchema.migrate(pool);
        MysqlSchema.migrate(pool);
        List<String> columns = jdbc.queryForList(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = DATABASE()"
                        + " AND table_name = 'mac_data' ORDER BY ordinal_position",
                String.class);
        assertThat(columns).containsExactly("data_id", "payload", "time", "device_id", "value", "value_text", "ts");
        assertThat(jdbc.queryForList(
                        "SELECT index_name FROM information_schema.statistics WHERE table_schema = DATABASE()"
                                + " AND table_name = 'mac_data' AND non_unique = 0",
                        String.class))
                .contains("mac_data_reading");
    }
}
