package dev.twinflow.readings;

import dev.twinflow.system.JsonCursor;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A {@code machine_data} record of exactly the layout the ingest writes, read byte by byte:
 * {@code [{"device_id":"…","data_id":"…","value":<number>|null,"value_text":null|"…","ts":<integer>},…]}
 * with no white space, ASCII strings without escapes, {@code value_text} optional. Every consumer of the
 * topic reads every record; Jackson's tokenizer was most of their CPU (and of the latest values' consumer,
 * the last step of the ingest). Anything else, such as another field order, an escape, a non-ASCII text or
 * a number Jackson would refuse, ends the scan as {@linkplain #plain() not plain} and the caller reads the
 * record with Jackson as before: this class only ever says yes to what Jackson reads the same way.
 *
 * <pre>{@code
 * PlainReadings r = new PlainReadings(record);
 * while (r.next()) { ... r.device() ... r.value() ... }
 * if (!r.plain()) { ... Jackson ... }
 * }</pre>
 */
public final class PlainReadings {

    private static final byte[] DEVICE_ID = field("{", MachineReading.DEVICE_ID);
    private static final byte[] DATA_ID = field(",", MachineReading.DATA_ID);
    private static final byte[] VALUE = field(",", MachineReading.VALUE);
    private static final byte[] VALUE_TEXT = field(",", MachineReading.VALUE_TEXT);
    private static final byte[] TS = field(",", MachineReading.TS);
    private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);

    private final JsonCursor c;
    private final byte[] json;
    private boolean ended;
    private boolean plain = true;
    private String device;
    private String dataId;
    private int valueStart;
    private int valueEnd;
    private int textStart;
    private int textEnd;
    private long ts;

    public PlainReadings(byte[] json) {
        this.json = json == null ? new byte[0] : json;
        this.c = new JsonCursor(this.json, 0);
        if (!c.expect('[')) {
            fail();
        }
    }

    /** Moves to the next reading: false at the array's end, or where the record is not plain. */
    public boolean next() {
        if (ended) {
            return false;
        }
        if (c.at() > 1 && !c.expect(',')) {
            ended = c.expect(']') && c.atEnd();
            return ended ? false : fail();
        }
        if (!c.expect(DEVICE_ID)
                || (device = string(device)) == null
                || device.isEmpty()
                || !c.expect(DATA_ID)
                || (dataId = string(dataId)) == null
                || dataId.isEmpty()
                || !c.expect(VALUE)) {
            return fail();
        }
        valueStart = c.at();
        if (!c.expect(NULL) && !c.number()) {
            return fail();
        }
        valueEnd = c.at();
        textStart = -1;
        if (c.expect(VALUE_TEXT) && !c.expect(NULL)) {
            textStart = c.at();
            if (c.string() < 0) {
                return fail();
            }
            textEnd = c.at();
        }
        // a reading with neither value nor text goes the tree's way, which says why
        if ((valueIsNull() && textStart < 0) || !c.expect(TS)) {
            return fail();
        }
        int tsStart = c.at();
        if (!c.integer() || c.at() - tsStart > 18) {
            return fail();
        }
        ts = Long.parseLong(c.ascii(tsStart, c.at() - tsStart));
        return c.expect('}') || fail();
    }

    /** True while every byte read so far was of the plain layout; after the last reading, that it all was. */
    public boolean plain() {
        return plain;
    }

    /** The current reading's fields. */
    public String device() {
        return device;
    }

    public String dataId() {
        return dataId;
    }

    public long ts() {
        return ts;
    }

    /** True when {@code value} is null (the reading is a text). */
    public boolean valueIsNull() {
        return valueEnd - valueStart == NULL.length && json[valueStart] == 'n';
    }

    /** The number in {@code value} (the reading is a number), as Jackson reads it. */
    public double value() {
        String number = c.ascii(valueStart, valueEnd - valueStart);
        // Jackson reads an integer as a long first: -0 is 0.0, not -0.0
        return JsonCursor.integral(number) && number.length() <= 18
                ? (double) Long.parseLong(number)
                : Double.parseDouble(number);
    }

    /** {@code value} as its JSON text: the number as written, or {@code null}. */
    public byte[] valueJson() {
        return Arrays.copyOfRange(json, valueStart, valueEnd);
    }

    /** {@code value_text}, or null. */
    public String text() {
        return textStart < 0 ? null : c.ascii(textStart + 1, textEnd - textStart - 2);
    }

    /** {@code value_text} as its JSON text (quoted), or null. */
    public byte[] textJson() {
        return textStart < 0 ? null : Arrays.copyOfRange(json, textStart, textEnd);
    }

    private boolean fail() {
        plain = false;
        ended = true;
        return false;
    }

    /** A plain string; {@code same} when its bytes spell it (a record's device repeats). */
    private String string(String same) {
        int start = c.string();
        if (start < 0) {
            return null;
        }
        int length = c.at() - 1 - start;
        return c.spells(same, start, length) ? same : c.ascii(start, length);
    }

    private static byte[] field(String before, String name) {
        return (before + "\"" + name + "\":").getBytes(StandardCharsets.US_ASCII);
    }
}
