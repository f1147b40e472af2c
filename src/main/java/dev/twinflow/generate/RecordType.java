package dev.twinflow.generate;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The three record kinds of seed 000, named as the API spells them. */
public enum RecordType {
    USER,
    SENSOR,
    TRANSACTION;

    String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    static RecordType parse(String value) {
        for (RecordType t : values()) {
            if (t.key().equals(value)) {
                return t;
            }
        }
        return null;
    }

    static String allowed() {
        return Arrays.stream(values()).map(RecordType::key).collect(Collectors.joining("|"));
    }
}
