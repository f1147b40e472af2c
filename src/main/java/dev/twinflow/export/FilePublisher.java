package dev.twinflow.export;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Renames a partition's file into its hour folder (one instance at a time, never over an overlap) and keeps its commit due. */
final class FilePublisher {

    private static final Logger LOG = LoggerFactory.getLogger(FilePublisher.class);

    // a publish holds its partition's lock for milliseconds; one this old was left by a crash
    private static final Duration LOCK_STALE = Duration.ofSeconds(30);
    private static final Duration LOCK_WAIT = Duration.ofSeconds(40);

    private final HdfsStore store;
    private final Path topicDir;
    private final RowFormat format;
    private final PublishedOffsets offsets;
    private final ExportStats stats;
    // of files published since they were last taken, per partition (the last covers the earlier ones)
    private final Map<Integer, KafkaManualCommit> due = new LinkedHashMap<>();

    FilePublisher(HdfsStore store, Path topicDir, RowFormat format, PublishedOffsets offsets, ExportStats stats) {
        this.store = store;
        this.topicDir = topicDir;
        this.format = format;
        this.offsets = offsets;
        this.stats = stats;
    }

    /**
     * Closes and publishes {@code file} (no longer open), records it in {@code offsets} and keeps its
     * commit due; when the file system fails, or another instance exported the partition beyond the
     * file's first offset, the file is dropped and the exception thrown.
     */
    void publish(PartitionFile file) throws IOException {
        String name;
        try {
            file.close();
            name = lockAndPublish(file);
        } catch (IOException | RuntimeException e) {
            file.drop();
            throw e;
        }
        if (file.lastCommit() != null) {
            due.put(file.partition, file.lastCommit());
        }
        stats.rowsExported.addAndGet(file.rows());
        stats.filesPublished.incrementAndGet();
        LOG.debug("export: published {} ({} readings)", name, file.rows());
    }

    /** The commits of the files published since the last call. */
    List<KafkaManualCommit> takeDue() {
        List<KafkaManualCommit> commits = new ArrayList<>(due.values());
        due.clear();
        return commits;
    }

    /** Forgets the due commits: after a failure the consumer reads again from the last commit made. */
    void forgetDue() {
        due.clear();
    }

    private String lockAndPublish(PartitionFile file) throws IOException {
        // the scan and the rename are one step across instances: after a rebalance the old and the new
        // owner of a partition may both hold a file from the same offset, and both may be due at once
        Path lock = new Path(new Path(topicDir, "_locks"), "partition-" + file.partition);
        long deadline = System.nanoTime() + LOCK_WAIT.toNanos();
        while (!store.tryLock(lock, LOCK_STALE)) {
            if (System.nanoTime() > deadline) {
                throw new IOException("partition " + file.partition + "'s publish lock " + lock + " is held");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted waiting for " + lock, e);
            }
        }
        try {
            return publishLocked(file);
        } finally {
            store.unlock(lock);
        }
    }

    private String publishLocked(PartitionFile file) throws IOException {
        // after a rebalance, another instance may have exported this partition from the committed
        // offset meanwhile: then this file overlaps, and the failure path re-reads from the commits
        offsets.rescan(file.partition);
        if (offsets.upTo(file.partition) >= file.firstOffset) {
            throw new IOException("partition " + file.partition + " was exported up to offset "
                    + offsets.upTo(file.partition) + " by another instance; this file from offset "
                    + file.firstOffset + " is dropped");
        }
        String name = file.publishedName(format);
        if (!store.publish(file.tmp, new Path(new Path(topicDir, file.hour), name))) {
            // the same partition and offsets, published before a crash: the same rows
            store.deleteQuietly(file.tmp);
        }
        offsets.published(file.partition, file.lastOffset(), file.hour);
        return name;
    }
}
