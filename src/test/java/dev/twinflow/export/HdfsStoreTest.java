package dev.twinflow.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twinflow.settings.TwinflowProperties;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HdfsStoreTest {

    @TempDir
    Path dir;

    HdfsStore localStore() throws Exception {
        TwinflowProperties twinflow = new TwinflowProperties(
                dir,
                "n",
                null,
                new TwinflowProperties.Http(
                        org.springframework.util.unit.DataSize.ofMegabytes(1), 1000, 100000, 256, 0));
        return new HdfsStore(new HdfsProperties(null, "/twinflow", null), twinflow);
    }

    @Test
    void publishingNeverReplacesAFileOfTheSameName() throws Exception {
        HdfsStore store = localStore();
        org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(store.root(), "x/snapshot.jsonl");
        org.apache.hadoop.fs.Path first = new org.apache.hadoop.fs.Path(store.root(), "_tmp/a");
        org.apache.hadoop.fs.Path second = new org.apache.hadoop.fs.Path(store.root(), "_tmp/b");
        try (var out = store.create(first)) {
            out.write("first\n".getBytes(StandardCharsets.UTF_8));
        }
        try (var out = store.create(second)) {
            out.write("second\n".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(store.publish(first, target)).isTrue();
        assertThat(store.publish(second, target)).isFalse();
        Path published = dir.resolve("hdfs/twinflow/x/snapshot.jsonl");
        assertThat(Files.readString(published)).isEqualTo("first\n");
        assertThat(store.exists(first)).isFalse();
        assertThat(store.exists(second)).isTrue(); // left to the caller
        store.close();
    }

    @Test
    void aLockIsHeldByOneCallerUntilReleasedOrStale() throws Exception {
        HdfsStore store = localStore();
        org.apache.hadoop.fs.Path lock = new org.apache.hadoop.fs.Path(store.root(), "_locks/partition-0");
        java.time.Duration stale = java.time.Duration.ofSeconds(30);
        assertThat(store.tryLock(lock, stale)).isTrue();
        assertThat(store.tryLock(lock, stale)).isFalse();
        store.unlock(lock);
        assertThat(store.tryLock(lock, stale)).isTrue();
        // left by a crash a minute ago: the next caller takes it over
        Files.setLastModifiedTime(
                dir.resolve("hdfs/twinflow/_locks/partition-0"),
                java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        assertThat(store.tryLock(lock, stale)).isFalse();
        assertThat(store.tryLock(lock, stale)).isTrue();
        store.close();
    }
}
