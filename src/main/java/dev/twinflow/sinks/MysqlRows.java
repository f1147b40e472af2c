package dev.twinflow.sinks;

import dev.twinflow.machine.MachineReading;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * A {@code machine_data} batch as the parameter rows of {@code sql/upsert-mac-data.sql}, one JDBC batch
 * for camel-sql. The seed's {@code time} (receive time, {@code %Y-%m-%d %H:%M:%S}, local time) comes from
 * the reading's own ts, so a replayed row is the same row.
 */
@Component("mysqlRows")
public class MysqlRows {

    static final int MAX_DEVICE_ID = 191;
    static final int MAX_DATA_ID = 255;
    static final int MAX_TEXT = 1024;

    private final ZoneId zone = ZoneId.systemDefault();

    /**
     * The rows in the statement's column order ({@code data_id, payload, time, device_id, value,
     * value_text, ts}): positional parameters, which camel-sql binds without parsing the statement for
     * names once per row (that parse was 44% of the sink's CPU).
     */
    public List<List<Object>> rows(List<Exchange> batch, Exchange exchange) {
        SinkBatch parsed = SinkBatch.of(batch, exchange, "mysql", MysqlRows::check);
        List<List<Object>> rows = new ArrayList<>(parsed.readings().size());
        for (MachineReading r : parsed.readings()) {
            rows.add(Arrays.asList(
                    r.dataId(),
                    r.payload(),
                    LocalDateTime.ofInstant(Instant.ofEpochMilli(r.ts()), zone).truncatedTo(ChronoUnit.SECONDS),
                    r.deviceId(),
                    r.value(),
                    r.valueText(),
                    r.ts()));
        }
        return rows;
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
}
