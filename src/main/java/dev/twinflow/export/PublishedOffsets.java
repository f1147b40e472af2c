package dev.twinflow.export;

import java.io.IOException;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/** What is exported per partition, read back from the offset ranges in the published file names. */
final class PublishedOffsets {

    private static final Pattern FILE = Pattern.compile("machine_data\\+(\\d+)\\+(\\d+)\\+(\\d+)\\.[a-z]+");

    private final HdfsStore store;
    private final Path topicDir;
    // highest offset in a published file, and the day folder it is in, per partition
    private final Map<Integer, Long> upTo = new HashMap<>();
    private final Map<Integer, String> day = new HashMap<>();

    PublishedOffsets(HdfsStore store, Path topicDir) {
        this.store = store;
        this.topicDir = topicDir;
    }

    /** The highest exported offset of {@code partition}, -1 if none. */
    long upTo(int partition) {
        return upTo.getOrDefault(partition, -1L);
    }

    /** Forgets what was read and reads every day folder again (at start, and after a failure). */
    void scanAll() throws IOException {
        upTo.clear();
        day.clear();
        scanFrom(null);
    }

    /**
     * Reads again what {@code partition}'s exports may have grown by: the day folders from its last
     * published file's day (minus one) on, every partition's names among them (all folders if it has none).
     */
    void rescan(int partition) throws IOException {
        scanFrom(day.get(partition));
    }

    /** This instance published {@code partition} up to {@code lastOffset} in the folder of {@code hour}. */
    void published(int partition, long lastOffset, String hour) {
        upTo.put(partition, lastOffset);
        day.put(partition, hour.substring(0, hour.indexOf('/')));
    }

    private void scanFrom(String fromDay) throws IOException {
        String from = fromDay == null
                ? null
                : "dt=" + LocalDate.parse(fromDay.substring(3)).minusDays(1);
        for (FileStatus folder : store.folders(topicDir)) {
            String name = folder.getPath().getName();
            if (!name.startsWith("dt=") || (from != null && name.compareTo(from) < 0)) {
                continue;
            }
            for (FileStatus file : store.files(folder.getPath())) {
                Matcher m = FILE.matcher(file.getPath().getName());
                if (m.matches()) {
                    int partition = Integer.parseInt(m.group(1));
                    long last = Long.parseLong(m.group(3));
                    if (last > upTo(partition)) {
                        upTo.put(partition, last);
                        day.put(partition, name);
                    }
                }
            }
        }
    }
}
