package dev.twinflow.readings;

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
 *
 * <p>Over 200 lines: one grammar, its tokens and its refusals read best in one place.
 */
public final class PlainReadings {

    private static final byte[] DEVICE_ID = field("{", MachineReading.DEVICE_ID);
    private static final byte[] DATA_ID = field(",", MachineReading.DATA_ID);
    private static final byte[] VALUE = field(",", MachineReading.VALUE);
    private static final byte[] VALUE_TEXT = field(",", MachineReading.VALUE_TEXT);
    private static final byte[] TS = field(",", MachineReading.TS);
    private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);
    /** Longer numbers are left to Jackson (its limits, its rounding of huge integers). */
    private static final int MAX_NUMBER = 40;

    private final byte[] json;
    private int at;
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
        this.json = json;
        if (json == null || json.length < 2 || json[0] != '[') {
            fail();
        } else {
            at = 1;
        }
    }

    /** Moves to the next reading: false at the array's end, or where the record is not plain. */
    public boolean next() {
        if (ended) {
            return false;
        }
        if (at > 1 && !expect(',')) {
            ended = expect(']') && at == json.length;
            return ended ? false : fail();
        }
        if (!expect(DEVICE_ID)
                || (device = string(device)) == null
                || device.isEmpty()
                || !expect(DATA_ID)
                || (dataId = string(dataId)) == null
                || dataId.isEmpty()
                || !expect(VALUE)) {
            return fail();
        }
        valueStart = at;
        if (!expect(NULL) && !number()) {
            return fail();
        }
        valueEnd = at;
        textStart = -1;
        if (expect(VALUE_TEXT) && !expect(NULL)) {
            textStart = at;
            if (string(null) == null) {
                return fail();
            }
            textEnd = at;
        }
        // a reading with neither value nor text goes the tree's way, which says why
        if ((valueIsNull() && textStart < 0) || !expect(TS)) {
            return fail();
        }
        int tsStart = at;
        if (!integer() || at - tsStart > 18) {
            return fail();
        }
        ts = Long.parseLong(ascii(tsStart, at - tsStart));
        return expect('}') || fail();
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
        String number = new String(json, valueStart, valueEnd - valueStart, StandardCharsets.ISO_8859_1);
        boolean integral = number.indexOf('.') < 0 && number.indexOf('e') < 0 && number.indexOf('E') < 0;
        // Jackson reads an integer as a long first: -0 is 0.0, not -0.0
        return integral && number.length() <= 18 ? (double) Long.parseLong(number) : Double.parseDouble(number);
    }

    /** {@code value} as its JSON text: the number as written, or {@code null}. */
    public byte[] valueJson() {
        return Arrays.copyOfRange(json, valueStart, valueEnd);
    }

    /** {@code value_text}, or null. */
    public String text() {
        return textStart < 0
                ? null
                : new String(json, textStart + 1, textEnd - textStart - 2, StandardCharsets.ISO_8859_1);
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

    private boolean expect(char c) {
        if (at < json.length && json[at] == c) {
            at++;
            return true;
        }
        return false;
    }

    private boolean expect(byte[] token) {
        int end = at + token.length;
        if (end <= json.length && Arrays.equals(json, at, end, token, 0, token.length)) {
            at = end;
            return true;
        }
        return false;
    }

    /** A quoted ASCII string without escapes; {@code same} when its bytes spell it (a record's device repeats). */
    private String string(String same) {
        if (!expect('"')) {
            return null;
        }
        int start = at;
        while (at < json.length) {
            byte b = json[at];
            if (b == '"') {
                int length = at - start;
                at++;
                return spells(same, start, length) ? same : ascii(start, length);
            }
            if (b < 0x20 || b == '\\') { // also every non-ASCII byte (negative)
                return null;
            }
            at++;
        }
        return null;
    }

    private boolean spells(String same, int start, int length) {
        if (same == null || same.length() != length) {
            return false;
        }
        for (int k = 0; k < length; k++) {
            if (same.charAt(k) != json[start + k]) {
                return false;
            }
        }
        return true;
    }

    private String ascii(int start, int length) {
        return new String(json, start, length, StandardCharsets.ISO_8859_1);
    }

    /** JSON's number grammar, as Jackson reads it by default: -?(0|[1-9]d*)(.d+)?([eE][+-]?d+)? */
    private boolean number() {
        int start = at;
        if (!integer()) {
            return false;
        }
        if (expect('.') && digits() == 0) {
            return false;
        }
        if (expect('e') || expect('E')) {
            if (!expect('+')) {
                expect('-');
            }
            if (digits() == 0) {
                return false;
            }
        }
        return at - start <= MAX_NUMBER;
    }

    private boolean integer() {
        expect('-');
        if (expect('0')) {
            return at >= json.length || json[at] < '0' || json[at] > '9';
        }
        return digits() > 0;
    }

    private int digits() {
        int start = at;
        while (at < json.length && json[at] >= '0' && json[at] <= '9') {
            at++;
        }
        return at - start;
    }

    private static byte[] field(String before, String name) {
        return (before + "\"" + name + "\":").getBytes(StandardCharsets.US_ASCII);
    }
}
