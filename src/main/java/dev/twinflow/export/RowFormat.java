package dev.twinflow.export;

/** File formats of the exports; each file is written under a temporary name and renamed when complete. */
public enum RowFormat {
    PARQUET("parquet"),
    CSV("csv"),
    JSONL("jsonl");

    private final String extension;

    RowFormat(String extension) {
        this.extension = extension;
    }

    public String extension() {
        return extension;
    }

    /** The format a file name ends with, or null. */
    static RowFormat ofFileName(String name) {
        for (RowFormat f : values()) {
            if (name.endsWith("." + f.extension)) {
                return f;
            }
        }
        return null;
    }
}
