package dev.twinflow.machine;

import dev.twinflow.readings.MachineReading;
import dev.twinflow.system.JsonCursor;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The ingest's fastest path: a seed payload {@code {"values":[{"id":"X","values":[12.5, ...]}, ...]}} with
 * nothing else in it (white space allowed, as Python's {@code json.dumps} writes it), plain ASCII ids and
 * texts, read byte by byte and its readings written byte by byte: ids, texts and integers are copied, a
 * decimal is parsed and written as Jackson writes a double. Anything else returns {@code null} and goes
 * {@link SeedPayload}'s way; {@code MachineReadingsTest} checks every path gives the same bytes.
 */
final class SeedBytes {

    private static final byte[] VALUES = utf8("\"values\"");
    private static final byte[] ID = utf8("\"id\"");
    private static final byte[] TRUE = utf8("true");
    private static final byte[] FALSE = utf8("false");
    private static final byte[] NULL = utf8("null");
    private static final byte[] DATA_ID = utf8("\",\"" + MachineReading.DATA_ID + "\":\"");
    private static final byte[] VALUE = utf8("\",\"" + MachineReading.VALUE + "\":");
    private static final byte[] NO_TEXT = utf8(",\"" + MachineReading.VALUE_TEXT + "\":null");
    private static final byte[] TEXT = utf8("null,\"" + MachineReading.VALUE_TEXT + "\":");
    /** Longer numbers are left to Jackson (its limits, its big integers). */
    private static final int MAX_NUMBER = 40;

    private byte[] out;
    private int size;

    private SeedBytes(int capacity) {
        out = new byte[capacity];
    }

    /** The readings, or {@code null} when the payload or the device id is not of the plain shape. */
    static byte[] readings(String device, byte[] payload, long ts) {
        if (payload == null || !plain(device)) {
            return null;
        }
        byte[] start = utf8("{\"" + MachineReading.DEVICE_ID + "\":\"" + device);
        byte[] end = utf8(",\"" + MachineReading.TS + "\":" + ts + "}");
        SeedBytes w = new SeedBytes(payload.length * 3 + 256);
        JsonCursor c = new JsonCursor(payload, 0);
        if (!c.space().expect('{')
                || !c.space().expect(VALUES)
                || !c.space().expect(':')
                || !c.space().expect('[')) {
            return null;
        }
        w.put('[');
        do {
            if (!c.space().expect('{') || !c.space().expect(ID) || !c.space().expect(':')) {
                return null;
            }
            int id = c.space().string();
            int idEnd = c.at() - 1;
            if (id < 0
                    || !c.space().expect(',')
                    || !c.space().expect(VALUES)
                    || !c.space().expect(':')) {
                return null;
            }
            if (!c.space().expect('[')) {
                return null;
            }
            int first = c.space().at();
            boolean text = c.string() >= 0;
            if (!text && !c.number()) {
                return null;
            }
            int firstEnd = c.at();
            while (c.space().expect(',')) {
                if (c.space().string() < 0 && !c.number() && !c.expect(TRUE) && !c.expect(FALSE) && !c.expect(NULL)) {
                    return null;
                }
            }
            if (!c.expect(']') || !c.space().expect('}')) {
                return null;
            }
            if (w.size > 1) {
                w.put(',');
            }
            w.put(start, 0, start.length);
            w.put(DATA_ID, 0, DATA_ID.length);
            w.put(payload, id, idEnd - id);
            w.put(VALUE, 0, VALUE.length);
            if (text) {
                w.put(TEXT, 0, TEXT.length);
                w.put(payload, first, firstEnd - first);
            } else if (!w.number(c, first, firstEnd)) {
                return null;
            } else {
                w.put(NO_TEXT, 0, NO_TEXT.length);
            }
            w.put(end, 0, end.length);
        } while (c.space().expect(','));
        if (!c.expect(']') || !c.space().expect('}') || !c.space().atEnd()) {
            return null;
        }
        w.put(']');
        return Arrays.copyOf(w.out, w.size);
    }

    /** A number as Jackson writes what it read: an integer as written (-0 as 0), a decimal as a double. */
    private boolean number(JsonCursor c, int start, int end) {
        int length = end - start;
        if (length > MAX_NUMBER) {
            return false;
        }
        String number = c.ascii(start, length);
        if (number.indexOf('.') < 0 && number.indexOf('e') < 0 && number.indexOf('E') < 0) {
            if (length > 18) {
                return false; // a long or a big integer: Jackson's path
            }
            if (number.equals("-0")) {
                put('0');
            } else {
                put(c.json(), start, length);
            }
            return true;
        }
        double d = Double.parseDouble(number);
        if (Double.isInfinite(d)) {
            return false;
        }
        byte[] written = utf8(Double.toString(d));
        put(written, 0, written.length);
        return true;
    }

    /** Printable ASCII without a quote or a backslash: written as it is. */
    private static boolean plain(String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < 0x20 || ch > 0x7e || ch == '"' || ch == '\\') {
                return false;
            }
        }
        return true;
    }

    private void put(char b) {
        grow(1);
        out[size++] = (byte) b;
    }

    private void put(byte[] bytes, int from, int length) {
        grow(length);
        System.arraycopy(bytes, from, out, size, length);
        size += length;
    }

    private void grow(int more) {
        if (size + more > out.length) {
            out = Arrays.copyOf(out, Math.max(out.length * 2, size + more));
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
