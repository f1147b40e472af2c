package dev.twinflow.export;

import dev.twinflow.readings.MachineReading;
import dev.twinflow.readings.ReadingArray;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/** Rows of machine-data files: a {@code machine_data} record's readings (read by {@link ReadingArray}) and their Kafka position. */
final class ReadingRows {

    /** The columns: a {@link MachineReading}'s fields by their names on the topic, then the Kafka position. */
    static final Schema SCHEMA = SchemaBuilder.record("MachineReading")
            .namespace("dev.twinflow.export")
            .fields()
            .requiredString("device_id")
            .requiredString("data_id")
            .name("ts")
            .type(LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG)))
            .noDefault()
            .optionalDouble("value")
            .optionalString("value_text")
            .requiredInt("kafka_partition")
            .requiredLong("kafka_offset")
            .endRecord();

    // positions in SCHEMA: put by position, not by name (a lookup per field and row)
    private static final int DEVICE_ID = 0;
    private static final int DATA_ID = 1;
    private static final int TS = 2;
    private static final int VALUE = 3;
    private static final int VALUE_TEXT = 4;
    private static final int PARTITION = 5;
    private static final int OFFSET = 6;

    private final List<MachineReading> readings = new ArrayList<>();
    private final List<ReadingArray.Invalid> invalid = new ArrayList<>();

    /**
     * The readings of one record as rows, or null when it is not one whole JSON array; its items that are
     * not readings are in {@link #invalid()} until the next call.
     */
    List<GenericRecord> rows(byte[] json, int partition, long offset) {
        readings.clear();
        invalid.clear();
        if (!ReadingArray.read(json, readings, invalid)) {
            return null;
        }
        List<GenericRecord> rows = new ArrayList<>(readings.size());
        for (MachineReading r : readings) {
            GenericRecord row = new GenericData.Record(SCHEMA);
            row.put(DEVICE_ID, r.deviceId());
            row.put(DATA_ID, r.dataId());
            row.put(TS, r.ts());
            row.put(VALUE, r.value());
            row.put(VALUE_TEXT, r.valueText());
            row.put(PARTITION, partition);
            row.put(OFFSET, offset);
            rows.add(row);
        }
        return rows;
    }

    /** The items of the last record that are not readings, each with the reason. */
    List<ReadingArray.Invalid> invalid() {
        return invalid;
    }
}
