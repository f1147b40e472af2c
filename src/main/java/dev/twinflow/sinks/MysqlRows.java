package dev.twinflow.sinks;

import dev.twinflow.readings.MachineReading;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.stereotype.Component;

/**
 * A {@code machine_data} batch as multi-row upserts: {@code sql/upsert-mac-data.sql} with its one {@code
 * VALUES} row repeated for every reading, at most {@link #ROWS_PER_STATEMENT} rows a statement (so one
 * statement for a batch of the default size). One statement of n rows is 3-4x faster on MariaDB than a
 * JDBC batch of n single-row statements, which the server still runs one by one. The seed's {@code time}
 * (receive time, {@code %Y-%m-%d %H:%M:%S}, local time) comes from the reading's own ts, so a replayed row
 * is the same row.
 */
@Component("mysqlRows")
public class MysqlRows {

    static final int MAX_DEVICE_ID = 191;
    static final int MAX_DATA_ID = 255;
    static final int MAX_TEXT = 1024;
    /**
     * 35,000 parameters: below a prepared statement's limit of 65,535, and ~1 MB of SQL text, far below
     * max_allowed_packet (16 MiB on MariaDB, 64 on MySQL 8).
     */
    static final int ROWS_PER_STATEMENT = 5000;

    /** Typed nulls: an untyped null makes Spring ask the driver for the parameter's type, a round trip. */
    private static final SqlParameterValue NULL_DOUBLE = new SqlParameterValue(Types.DOUBLE, null);

    private static final SqlParameterValue NULL_TEXT = new SqlParameterValue(Types.VARCHAR, null);

    /** One multi-row statement and its parameters, in the order of its {@code ?}s. */
    public record Statement(String sql, List<Object> parameters) {}

    private final ZoneId zone = ZoneId.systemDefault();
    private final String head;
    private final String row;
    private final String tail;
    /** {@code ROWS_PER_STATEMENT} rows, comma-separated. */
    private final String valuesRows;

    private final String full;

    public MysqlRows() {
        this(read("sql/upsert-mac-data.sql"));
    }

    MysqlRows(String upsert) {
        Matcher m =
                Pattern.compile("(?is)^(.*\\bVALUES\\s*)(\\([?,\\s]*\\))(.*)$").matcher(upsert.strip());
        if (!m.matches()) {
            throw new IllegalStateException("the upsert has no VALUES (?, ...) row: " + upsert);
        }
        head = m.group(1);
        row = m.group(2).replaceAll("\\s+", "");
        tail = m.group(3);
        valuesRows = (row + ",").repeat(ROWS_PER_STATEMENT - 1) + row;
        full = head + valuesRows + tail;
    }

    /**
     * The batch's storable readings as statements (dead letters for the others, see {@link SinkBatch}); the
     * parameters in the upsert's column order {@code data_id, payload, time, device_id, value, value_text,
     * ts}.
     */
    public List<Statement> statements(List<Exchange> batch, Exchange exchange) {
        List<MachineReading> readings =
                SinkBatch.of(batch, exchange, "mysql", MysqlRows::check).readings();
        List<Statement> out = new ArrayList<>(readings.size() / ROWS_PER_STATEMENT + 1);
        for (int from = 0; from < readings.size(); from += ROWS_PER_STATEMENT) {
            List<MachineReading> chunk = readings.subList(from, Math.min(readings.size(), from + ROWS_PER_STATEMENT));
            out.add(new Statement(sql(chunk.size()), parameters(chunk)));
        }
        return out;
    }

    /**
     * The upsert with {@code rows} VALUES rows: a prefix of the full-size row list, which is built once (a
     * cache per size would keep up to 5,000 statements of up to 1 MB under a varying load).
     */
    String sql(int rows) {
        return rows == ROWS_PER_STATEMENT ? full : head + valuesRows.substring(0, rows * (row.length() + 1) - 1) + tail;
    }

    private List<Object> parameters(List<MachineReading> readings) {
        List<Object> p = new ArrayList<>(readings.size() * 7);
        for (MachineReading r : readings) {
            p.add(r.dataId());
            p.add(r.payload());
            p.add(LocalDateTime.ofInstant(Instant.ofEpochMilli(r.ts()), zone).truncatedTo(ChronoUnit.SECONDS));
            p.add(r.deviceId());
            p.add(r.value() == null ? NULL_DOUBLE : r.value());
            p.add(r.valueText() == null ? NULL_TEXT : r.valueText());
            p.add(r.ts());
        }
        return p;
    }

    static String check(MachineReading r) {
        if (r.deviceId().length() > MAX_DEVICE_ID) {
            return "device_id longer than " + MAX_DEVICE_ID + " characters";
        }
        if (r.dataId().length() > MAX_DATA_ID) {
            return "data_id longer than " + MAX_DATA_ID + " characters";
        }
        if (r.valueText() != null && r.valueText().length() > MAX_TEXT) {
            return "value_text longer than " + MAX_TEXT + " characters";
        }
        return null;
    }

    private static String read(String resource) {
        try {
            return new String(new ClassPathResource(resource).getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
