package dev.twinflow.bench;

import dev.twinflow.readings.MachineReading;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * machine_data records as the MQTT ingest writes them (key = device id, value = the JSON array of one
 * message's readings): devices dev-0..dev-99 in turn, each record's readings sharing a ts that is
 * distinct per device, so every reading is a row of its own in each store.
 */
final class SinksBacklog {

    private SinksBacklog() {}

    /** One Kafka record: its key, its JSON value and the readings in it. */
    record Record(String device, byte[] json, List<MachineReading> readings) {}

    /**
     * @param first the index of the first record; records of later backlogs continue the numbering, so
     *     their times never meet earlier ones
     */
    static List<Record> of(long first, int records, int perRecord, long baseTs) {
        List<Record> out = new ArrayList<>(records);
        for (long g = first; g < first + records; g++) {
            String device = "dev-" + (g % 100);
            long ts = baseTs + g / 100;
            List<MachineReading> readings = new ArrayList<>(perRecord);
            StringBuilder json = new StringBuilder(perRecord * 90).append('[');
            for (int r = 0; r < perRecord; r++) {
                String dataId = r == 0 ? "temp" : "d" + r;
                double value = 20 + (g % 40) / 4.0 + r;
                readings.add(new MachineReading(device, dataId, value, null, ts));
                json.append(r == 0 ? "" : ",")
                        .append("{\"device_id\":\"")
                        .append(device)
                        .append("\",\"data_id\":\"")
                        .append(dataId)
                        .append("\",\"value\":")
                        .append(value)
                        .append(",\"value_text\":null,\"ts\":")
                        .append(ts)
                        .append('}');
            }
            out.add(new Record(device, json.append(']').toString().getBytes(StandardCharsets.UTF_8), readings));
        }
        return out;
    }

    /** The records in batches of {@code size} records, as a sink route polls them (at most that many). */
    static List<List<Record>> batches(List<Record> records, int size) {
        List<List<Record>> out = new ArrayList<>();
        for (int i = 0; i < records.size(); i += size) {
            out.add(records.subList(i, Math.min(records.size(), i + size)));
        }
        return out;
    }

    /** InfluxDB line protocol of a batch, as InfluxLines writes it (ts in ns). */
    static byte[] lines(List<Record> batch) {
        StringBuilder out = new StringBuilder(batch.size() * 800);
        for (Record record : batch) {
            for (MachineReading r : record.readings()) {
                out.append("machine_data,device_id=")
                        .append(r.deviceId())
                        .append(",data_id=")
                        .append(r.dataId())
                        .append(" value=")
                        .append(r.value().doubleValue())
                        .append(' ')
                        .append(r.ts())
                        .append("000000\n");
            }
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
