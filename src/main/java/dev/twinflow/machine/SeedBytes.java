package dev.twinflow.machine;

import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.twinflow.readings.MachineReading;
import dev.twinflow.system.JsonCursor;
import java.nio.charset.StandardCharsets;

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

    private SeedBytes() {}

    /** The readings, or {@code null} when the payload or the device id is not of the plain shape. */
    static byte[] readings(String device, byte[] payload, long ts) {
        if (payload == null || !plain(device)) {
            return null;
        }
        byte[] start = utf8("{\"" + MachineReading.DEVICE_ID + "\":\"" + device);
        byte[] end = utf8(",\"" + MachineReading.TS + "\":" + ts + "}");
        ByteArrayBuilder w = new ByteArrayBuilder(payload.length * 3 + 256);
        JsonCursor c = new JsonCursor(payload, 0);
        if (!c.space().expect('{')
                || !c.space().expect(VALUES)
                || !c.space().expect(':')
                || !c.space().expect('[')) {
            return null;
        }
        w.append('[');
        do {
            if (!c.space().expect('{') || !c.space().expect(ID) || !c.space().expect(':')) {
                return null;
            }
            int id = c.space().string();
            int idEnd = c.at() - 1;
            if (id < 0
                    || !c.space().expect(',')
                    || !c.space().expect(VALUES)
                    || !c.space().expect(':')
                    || !c.space().expect('[')) {
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
            if (w.size() > 1) {
                w.append(',');
            }
            w.write(start);
            w.write(DATA_ID);
            w.write(payload, id, idEnd - id);
            w.write(VALUE);
            if (text) {
                w.write(TEXT);
                w.write(payload, first, firstEnd - first);
            } else if (!number(w, c, first, firstEnd)) {
                return null;
            } else {
                w.write(NO_TEXT);
            }
            w.write(end);
        } while (c.space().expect(','));
        if (!c.expect(']') || !c.space().expect('}') || !c.space().atEnd()) {
            return null;
        }
        w.append(']');
        return w.toByteArray();
    }

    /** A number as Jackson writes what it read: an integer as written (-0 as 0), a decimal as a double. */
    private static boolean number(ByteArrayBuilder w, JsonCursor c, int start, int end) {
        String number = c.ascii(start, end - start);
        if (JsonCursor.integral(number)) {
            if (number.length() > 18) {
                return false; // a long or a big integer: Jackson's path
            }
            if (number.equals("-0")) {
                w.append('0');
            } else {
                w.write(c.json(), start, end - start);
            }
            return true;
        }
        double d = Double.parseDouble(number);
        if (Double.isInfinite(d)) {
            return false;
        }
        w.write(utf8(Double.toString(d)));
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

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
