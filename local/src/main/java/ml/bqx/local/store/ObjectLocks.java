package ml.bqx.local.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One object's lock across threads and processes: a JVM lock (a file lock is held per process, so
 * two threads of one process must not both ask for it) and then an OS file lock.
 *
 * <p>A lock file is removed only by {@link #retire}, under its own lock: it first marks the file (a
 * byte; a live lock file is empty), then unlinks it. Whoever was waiting on the old file then holds
 * a lock on a file no longer at the path: it sees the mark and takes the lock again, on the path's
 * new file.
 */
final class ObjectLocks {
  private static final byte[] RETIRED = {'x'};

  /** JVM-wide: two stores in one process must not both ask the OS for the same file lock. */
  private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS =
      new ConcurrentHashMap<>();

  Held lock(ObjectPaths paths) throws IOException {
    ReentrantLock local = IN_PROCESS.computeIfAbsent(paths.lock(), p -> new ReentrantLock());
    local.lock();
    try {
      while (true) {
        FileChannel channel =
            FileChannel.open(paths.lock(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
          FileLock fileLock = channel.lock();
          if (channel.size() == 0) {
            return new Held(local, channel, fileLock, paths.lock());
          }
          fileLock.release();
          channel.close();
          // Retired while we waited; if its retirer was killed before the unlink, finish it.
          unlinkIfRetired(paths.lock());
        } catch (IOException | RuntimeException e) {
          channel.close();
          throw e;
        }
      }
    } catch (IOException | RuntimeException e) {
      local.unlock();
      throw e;
    }
  }

  /** Removes a lock file for good (its object is gone), under its own lock; absent is fine. */
  void retire(Path lockFile) throws IOException {
    ReentrantLock local = IN_PROCESS.computeIfAbsent(lockFile, p -> new ReentrantLock());
    local.lock();
    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
        FileLock held = channel.lock()) {
      channel.write(ByteBuffer.wrap(RETIRED), 0);
      Files.deleteIfExists(lockFile);
    } catch (NoSuchFileException gone) {
      // retired already
    } finally {
      local.unlock();
    }
  }

  private static void unlinkIfRetired(Path lockFile) throws IOException {
    try {
      if (Files.size(lockFile) > 0) {
        Files.deleteIfExists(lockFile);
      }
    } catch (NoSuchFileException gone) {
      // its retirer unlinked it
    }
  }

  /** A held lock; closing releases the file lock, then the JVM lock. */
  static final class Held implements AutoCloseable {
    private final ReentrantLock local;
    private final FileChannel channel;
    private final FileLock fileLock;
    private final Path file;

    Held(ReentrantLock local, FileChannel channel, FileLock fileLock, Path file) {
      this.local = local;
      this.channel = channel;
      this.fileLock = fileLock;
      this.file = file;
    }

    /** Marks the lock file retired and unlinks it, still holding it: its object is gone. */
    void retire() throws IOException {
      channel.write(ByteBuffer.wrap(RETIRED), 0);
      Files.deleteIfExists(file);
    }

    @Override
    public void close() throws IOException {
      try {
        fileLock.release();
        channel.close();
      } finally {
        local.unlock();
      }
    }
  }
}
