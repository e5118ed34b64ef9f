package ml.bqx.job.merge;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import ml.bqx.core.port.ObjectStore;

/**
 * Reads the byte ranges the merge will copy, in the order it copies them, a few ahead of it on a
 * small pool: on GCS each request waits tens of milliseconds for its first byte, so reads overlap
 * instead of queueing. What is fetched or in flight stays within a byte budget, so the merge's
 * memory does not follow the data.
 */
final class SpanPrefetcher implements AutoCloseable {
  /** One ranged read: a piece of a checkpoint's row-group span, at most {@link #PIECE} bytes. */
  record Piece(URI uri, long size, long offset, int length) {}

  /** A fetched piece. */
  record Fetched(Piece piece, byte[] bytes, int read) {}

  /** Largest single ranged read. */
  static final int PIECE = 16 << 20;

  /** Buffers are allocated in whole MiB, so one serves pieces of slightly different sizes. */
  private static final int ROUND = 1 << 20;

  /** Reads queued ahead, at most, however small: tiny spans need no deeper queue. */
  private static final int MOST_AHEAD = 64;

  private final ObjectStore store;
  private final Iterator<Piece> pending;
  private final long budget;
  private final ExecutorService readers;
  private final ArrayDeque<Future<Fetched>> ahead = new ArrayDeque<>();
  private final ArrayDeque<Piece> aheadPieces = new ArrayDeque<>();
  private long aheadBytes;

  /**
   * Buffers of a MiB or more the copy has finished with, reused (spans of ~5 MB a piece then make
   * no garbage), within the same budget as the read-ahead.
   */
  private final ConcurrentLinkedQueue<byte[]> free = new ConcurrentLinkedQueue<>();

  private final AtomicLong freeBytes = new AtomicLong();

  /**
   * @param pieces every read, in the order {@link #next()} will be asked for them
   * @param budget bytes fetched or in flight at once (at least one piece, however large)
   */
  SpanPrefetcher(ObjectStore store, List<Piece> pieces, ExecutorService readers, long budget) {
    this.store = store;
    this.pending = pieces.iterator();
    this.budget = budget;
    this.readers = readers;
  }

  /** The next piece in order, waiting for its read; refills the read-ahead behind it. */
  Fetched next() throws IOException {
    topUp();
    if (ahead.isEmpty()) {
      throw new IllegalStateException("no piece left to read");
    }
    Future<Fetched> head = ahead.poll();
    aheadBytes -= aheadPieces.poll().length();
    try {
      Fetched fetched = head.get();
      topUp();
      return fetched;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while reading " + head);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UncheckedIOException io) {
        throw io.getCause();
      }
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IOException(e.getCause());
    }
  }

  private void topUp() {
    while (pending.hasNext()
        && (ahead.isEmpty() || (aheadBytes < budget && ahead.size() < MOST_AHEAD))) {
      Piece piece = pending.next();
      aheadPieces.add(piece);
      aheadBytes += piece.length();
      ahead.add(readers.submit(() -> fetch(piece)));
    }
  }

  /** Gives a piece's buffer back once the copy has read it; it is not read again. */
  void release(Fetched fetched) {
    byte[] bytes = fetched.bytes();
    if (bytes.length >= ROUND && freeBytes.get() + bytes.length <= budget) {
      freeBytes.addAndGet(bytes.length);
      free.add(bytes);
    }
  }

  /** A buffer for a piece: exact below a MiB, else a freed one at most twice its size or new. */
  private byte[] buffer(int length) {
    if (length < ROUND) {
      return new byte[length];
    }
    for (byte[] candidate : free) {
      if (candidate.length >= length && candidate.length <= 2L * length && free.remove(candidate)) {
        freeBytes.addAndGet(-candidate.length);
        return candidate;
      }
    }
    return new byte[(int) Math.min(PIECE, ((long) length + ROUND - 1) / ROUND * ROUND)];
  }

  private Fetched fetch(Piece piece) {
    byte[] bytes = buffer(piece.length());
    try {
      int read = 0;
      while (read < piece.length()) {
        int n =
            store.readKnownRange(
                piece.uri(),
                piece.size(),
                piece.offset() + read,
                bytes,
                read,
                piece.length() - read);
        if (n <= 0) {
          break;
        }
        read += n;
      }
      return new Fetched(piece, bytes, read);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Drops the reads still ahead (the merge failed or ended). */
  @Override
  public void close() {
    ahead.forEach(read -> read.cancel(true));
    ahead.clear();
  }
}
