package dev.twinflow.export;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;

/** The partitions' open files, one at most each, under {@code machine_data/_tmp/<node>/} until published. */
final class OpenFiles {

    private final Map<Integer, PartitionFile> files = new HashMap<>();
    private final HdfsStore store;
    private final ExportProperties properties;
    private final Path tmpDir;

    OpenFiles(HdfsStore store, ExportProperties properties, Path tmpDir) {
        this.store = store;
        this.properties = properties;
        this.tmpDir = tmpDir;
    }

    /** The open file of {@code partition}, or null. */
    PartitionFile get(int partition) {
        return files.get(partition);
    }

    /** Opens {@code partition}'s file, for records of {@code hour} from {@code firstOffset} on. */
    PartitionFile open(int partition, long firstOffset, String hour) throws IOException {
        PartitionFile f = new PartitionFile(store, properties, tmpDir, partition, firstOffset, hour);
        files.put(partition, f);
        return f;
    }

    /** {@code file} is no longer open (being published). */
    void remove(PartitionFile file) {
        files.remove(file.partition);
    }

    /** The files open for {@code max-age} or longer at {@code now} (System.nanoTime). */
    List<PartitionFile> due(long now) {
        List<PartitionFile> due = new ArrayList<>();
        for (PartitionFile f : files.values()) {
            if (now - f.openedAt >= properties.maxAge().toNanos()) {
                due.add(f);
            }
        }
        return due;
    }

    /** Every open file (a copy). */
    List<PartitionFile> all() {
        return new ArrayList<>(files.values());
    }

    /** Drops every open file; how many there were. */
    int dropAll() {
        int n = files.size();
        files.values().forEach(PartitionFile::drop);
        files.clear();
        return n;
    }

    /** Deletes what an earlier run of this node left in its temporary folder. */
    void clearLeftovers() {
        store.deleteQuietly(tmpDir);
    }
}
