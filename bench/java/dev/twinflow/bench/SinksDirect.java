package dev.twinflow.bench;

import dev.twinflow.readings.MachineReading;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.springframework.core.io.ClassPathResource;

/**
 * The baselines: the same batches written with the plain clients, no Kafka and no Camel in between, into
 * {@code mac_data_direct} (a copy of {@code mac_data}'s definition) through the app's DataSource: a JDBC
 * batch of the sink's own upsert ({@code sql/upsert-mac-data.sql}) per batch, and that upsert as one
 * multi-row statement per batch (per 5,000 rows of it), the faster of the two; one line-protocol POST per
 * batch into database {@code mqtt_data_direct}.
 */
final class SinksDirect {

    static final String TABLE = "mac_data_direct";
    static final String DATABASE = "mqtt_data_direct";

    private final DataSource mysql;
    private final SinksInflux influx;
    private final String upsert;
    private final String head;
    private final String row;
    private final String tail;
    private final List<String> parameters = new ArrayList<>();
    private final ZoneId zone = ZoneId.systemDefault();

    SinksDirect(DataSource mysql, SinksInflux influx) throws Exception {
        this.mysql = mysql;
        this.influx = influx;
        String sql = new String(
                new ClassPathResource("sql/upsert-mac-data.sql")
                        .getInputStream()
                        .readAllBytes(),
                StandardCharsets.UTF_8);
        // the statement binds its columns in the order of its INSERT list, one # each
        Matcher columns = Pattern.compile("INSERT INTO mac_data \\(([^)]*)\\)").matcher(sql);
        if (!columns.find()) {
            throw new IllegalStateException("upsert-mac-data.sql has no INSERT INTO mac_data (...) list");
        }
        for (String column : columns.group(1).split(",")) {
            parameters.add(column.trim());
        }
        upsert = sql.strip().replaceFirst("INSERT INTO mac_data\\b", "INSERT INTO " + TABLE);
        Matcher values =
                Pattern.compile("(?is)^(.*\\bVALUES\\s*)(\\([?,\\s]*\\))(.*)$").matcher(upsert);
        if (!values.matches()) {
            throw new IllegalStateException("upsert-mac-data.sql has no VALUES (?, ...) row");
        }
        head = values.group(1);
        row = values.group(2);
        tail = values.group(3);
        try (Connection c = mysql.getConnection();
                Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + TABLE);
            s.execute("CREATE TABLE " + TABLE + " LIKE mac_data");
        }
        if (influx != null) {
            influx.createDatabase(DATABASE);
        }
    }

    /**
     * Readings/s of JDBC batch upserts: one executeBatch and one commit per batch, as camel-sql does it
     * (its batchAutoCommitDisabled, on by default, turns autocommit off for a batch).
     */
    double mysql(List<List<SinksBacklog.Record>> batches) throws Exception {
        long readings = 0;
        long start = System.nanoTime();
        try (Connection c = mysql.getConnection();
                PreparedStatement ps = c.prepareStatement(upsert)) {
            c.setAutoCommit(false);
            for (List<SinksBacklog.Record> batch : batches) {
                for (SinksBacklog.Record record : batch) {
                    for (MachineReading r : record.readings()) {
                        for (int i = 0; i < parameters.size(); i++) {
                            bind(ps, i + 1, parameters.get(i), r);
                        }
                        ps.addBatch();
                        readings++;
                    }
                }
                ps.executeBatch();
                c.commit();
            }
        } // Hikari puts autocommit back when the connection returns to the pool
        return readings / ((System.nanoTime() - start) / 1e9);
    }

    /**
     * Readings/s of multi-row upserts: one statement of up to {@code rowsPerStatement} rows, autocommitted,
     * per batch (or per slice of it).
     */
    double mysqlMultiRow(List<List<SinksBacklog.Record>> batches, int rowsPerStatement) throws Exception {
        long readings = 0;
        long start = System.nanoTime();
        try (Connection c = mysql.getConnection()) {
            for (List<SinksBacklog.Record> batch : batches) {
                List<MachineReading> rows = new ArrayList<>();
                for (SinksBacklog.Record record : batch) {
                    rows.addAll(record.readings());
                }
                for (int from = 0; from < rows.size(); from += rowsPerStatement) {
                    List<MachineReading> slice = rows.subList(from, Math.min(rows.size(), from + rowsPerStatement));
                    StringBuilder sql = new StringBuilder(head);
                    for (int i = 0; i < slice.size(); i++) {
                        sql.append(i == 0 ? "" : ",").append(row);
                    }
                    try (PreparedStatement ps =
                            c.prepareStatement(sql.append(tail).toString())) {
                        int index = 1;
                        for (MachineReading r : slice) {
                            for (String name : parameters) {
                                bind(ps, index++, name, r);
                            }
                        }
                        ps.executeUpdate();
                    }
                    readings += slice.size();
                }
            }
        }
        return readings / ((System.nanoTime() - start) / 1e9);
    }

    /** Empties the baseline's table, so each loop inserts as the sink does. */
    void truncate() throws Exception {
        try (Connection c = mysql.getConnection();
                Statement s = c.createStatement()) {
            s.execute("TRUNCATE TABLE " + TABLE);
        }
    }

    /** Readings/s of line-protocol POSTs with java.net.http, one per batch, each answered 204. */
    double influx(List<List<SinksBacklog.Record>> batches) throws Exception {
        long readings = 0;
        long start = System.nanoTime();
        for (List<SinksBacklog.Record> batch : batches) {
            influx.write(DATABASE, SinksBacklog.lines(batch));
            for (SinksBacklog.Record record : batch) {
                readings += record.readings().size();
            }
        }
        return readings / ((System.nanoTime() - start) / 1e9);
    }

    long mysqlCount(String table) throws Exception {
        try (Connection c = mysql.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void bind(PreparedStatement ps, int index, String name, MachineReading r) throws Exception {
        switch (name) {
            case "data_id" -> ps.setString(index, r.dataId());
            case "payload" -> ps.setString(index, r.payload());
            case "time" ->
                ps.setObject(
                        index,
                        LocalDateTime.ofInstant(Instant.ofEpochMilli(r.ts()), zone)
                                .truncatedTo(ChronoUnit.SECONDS));
            case "device_id" -> ps.setString(index, r.deviceId());
            case "value" -> {
                if (r.value() == null) {
                    ps.setNull(index, Types.DOUBLE);
                } else {
                    ps.setDouble(index, r.value());
                }
            }
            case "value_text" -> ps.setString(index, r.valueText()); // null: SQL NULL
            case "ts" -> ps.setLong(index, r.ts());
            default -> throw new IllegalStateException("upsert-mac-data.sql binds " + name + ", unknown here");
        }
    }
}
