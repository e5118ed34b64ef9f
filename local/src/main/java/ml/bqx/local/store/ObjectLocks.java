package ml.bqx.local.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One object's lock across threads and processes: a JVM lock (a file lock is held per process, so
 * two threads of one process must not both ask for it) and then an OS file lock.
 */
final class ObjectLocks {
  /** JVM-wide: two stores in one process must not both ask the OS for the same file lock. */
  private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS =
      new ConcurrentHashMap<>();

  Held lock(ObjectPaths paths) throws IOException {
    ReentrantLock local = IN_PROCESS.computeIfAbsent(paths.lock(), p -> new ReentrantLock());
    local.lock();
    FileChannel channel = null;
    try {
      channel = FileChannel.open(paths.lock(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      return new Held(local, channel, channel.lock());
    } catch (IOException | RuntimeException e) {
      if (channel != null) {
        channel.close();
      }
      local.unlock();
      throw e;
    }
  }

  /** A held lock; closing releases the file lock, then the JVM lock. */
  static final class Held implements AutoCloseable {
    private final ReentrantLock local;
    private final FileChannel channel;
    private final FileLock fileLock;

    Held(ReentrantLock local, FileChannel channel, FileLock fileLock) {
      this.local = local;
      this.channel = channel;
      this.fileLock = fileLock;
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
