package dev.twinflow.system;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A position in JSON bytes for readers of one known layout, where Jackson's tokenizer costs more than the
 * work: each step says whether the bytes at the position are what it expects and moves past them only
 * then. Strings are taken only when plain (ASCII, no escape, no control character) and numbers only in
 * JSON's grammar as Jackson reads it by default, so a reader that gives up on a {@code false} leaves
 * every other input to Jackson.
 */
public final class JsonCursor {

    /** Longer numbers are left to Jackson (its limits, its big integers, its rounding). */
    private static final int MAX_NUMBER = 40;

    private final byte[] json;
    private int at;

    public JsonCursor(byte[] json, int at) {
        this.json = json;
        this.at = at;
    }

    public byte[] json() {
        return json;
    }

    public int at() {
        return at;
    }

    public boolean atEnd() {
        return at == json.length;
    }

    /** Moves past {@code c} if it is next. */
    public boolean expect(char c) {
        if (at < json.length && json[at] == c) {
            at++;
            return true;
        }
        return false;
    }

    /** Moves past {@code token} if it is next. */
    public boolean expect(byte[] token) {
        int end = at + token.length;
        if (end <= json.length && Arrays.equals(json, at, end, token, 0, token.length)) {
            at = end;
            return true;
        }
        return false;
    }

    /** Moves past JSON's white space. */
    public JsonCursor space() {
        while (at < json.length && (json[at] == ' ' || json[at] == '\n' || json[at] == '\r' || json[at] == '\t')) {
            at++;
        }
        return this;
    }

    /**
     * Moves past a quoted plain string: its first byte inside the quotes (it ends before {@code at() - 1}),
     * or -1 for anything else (an escape, a control character, a non-ASCII byte, no closing quote).
     */
    public int string() {
        if (!expect('"')) {
            return -1;
        }
        int start = at;
        while (at < json.length) {
            byte b = json[at++];
            if (b == '"') {
                return start;
            }
            if (b < 0x20 || b == '\\') { // also every non-ASCII byte (negative)
                return -1;
            }
        }
        return -1;
    }

    /** Moves past a number of JSON's grammar, {@code -?(0|[1-9]d*)(.d+)?([eE][+-]?d+)?}, of at most 40 bytes. */
    public boolean number() {
        int start = at;
        return fullNumber() && at - start <= MAX_NUMBER;
    }

    /** Whether a number's text is an integer (no fraction, no exponent): Jackson reads it as a long. */
    public static boolean integral(String number) {
        return number.indexOf('.') < 0 && number.indexOf('e') < 0 && number.indexOf('E') < 0;
    }

    private boolean fullNumber() {
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
            return digits() > 0;
        }
        return true;
    }

    /** Moves past an integer of JSON's grammar, {@code -?(0|[1-9]d*)}. */
    public boolean integer() {
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

    /** The ASCII text of {@code length} bytes from {@code start}. */
    public String ascii(int start, int length) {
        return new String(json, start, length, StandardCharsets.ISO_8859_1);
    }

    /** Whether {@code s} is spelt by the ASCII bytes from {@code start}: a repeated name need not be a new String. */
    public boolean spells(String s, int start, int length) {
        if (s == null || s.length() != length) {
            return false;
        }
        for (int k = 0; k < length; k++) {
            if (s.charAt(k) != json[start + k]) {
                return false;
            }
        }
        return true;
    }
}
