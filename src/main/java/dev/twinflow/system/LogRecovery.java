package dev.twinflow.system;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens an {@link AppendLog}'s file: scans it once to build the index and cuts off a torn tail.
 *
 * <p>Records are only ever acknowledged after their trailing {@code \n} is synced, so anything after
 * the last well-formed line is an unacknowledged torn write: it is copied aside to {@code
 * <file>.torn-<epoch-ms>} and cut off.
 */
final class LogRecovery {

    // logged under AppendLog, as before it was split
    private static final Logger LOG = LoggerFactory.getLogger(AppendLog.class);

    private LogRecovery() {}

    /** Opens (or creates) {@code file} for reading and writing; a new file's directory entry is synced. */
    static FileChannel open(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        boolean created = !Files.exists(file);
        FileChannel channel =
                FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        if (created) {
            syncDirectory(file.toAbsolutePath().getParent());
        }
        return channel;
    }

    /** Scans the file, builds the index and cuts off a torn or corrupt tail. */
    static LogIndex recover(Path file, FileChannel channel) throws IOException {
        long size = channel.size();
        ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
        long[] index = new long[1024];
        int n = 0;
        long lineStart = 0;
        long goodEnd = 0;
        boolean lineOk = true;
        byte previous = '\n';
        long pos = 0;
        scan:
        while (pos < size) {
            chunk.clear();
            int read = channel.read(chunk, pos);
            if (read <= 0) {
                break;
            }
            byte[] a = chunk.array();
            for (int i = 0; i < read; i++) {
                byte c = a[i];
                if (previous == '\n' && c != '{') {
                    lineOk = false;
                }
                if (c == 0) {
                    lineOk = false; // zero-filled blocks: data that never reached the disk
                }
                if (c == '\n') {
                    if (!lineOk || previous != '}') {
                        break scan;
                    }
                    if (n + 1 == index.length) {
                        index = Arrays.copyOf(index, index.length * 2);
                    }
                    index[n++] = lineStart;
                    lineStart = pos + i + 1;
                    goodEnd = lineStart;
                    lineOk = true;
                }
                previous = c;
            }
            pos += read;
        }
        if (goodEnd < size) {
            Path aside = file.resolveSibling(file.getFileName() + ".torn-" + System.currentTimeMillis());
            try (FileChannel out = FileChannel.open(aside, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                channel.transferTo(goodEnd, size - goodEnd, out);
                out.force(true);
            }
            LOG.warn(
                    "{}: dropped {} bytes after the last complete record (a write cut short by a crash); copied to {}",
                    file,
                    size - goodEnd,
                    aside);
            channel.truncate(goodEnd);
            channel.force(true);
        }
        index[n] = goodEnd;
        return new LogIndex(index, n);
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            LOG.debug("cannot sync directory {}: {}", dir, e.toString());
        }
    }
}
