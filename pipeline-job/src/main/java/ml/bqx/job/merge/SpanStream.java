package ml.bqx.job.merge;

import java.io.EOFException;
import java.io.IOException;
import ml.bqx.job.merge.SpanPrefetcher.Fetched;
import ml.bqx.trainingfile.io.BulkInputStream;

/**
 * One checkpoint's row-group span as the chunk copy reads it: forward through pieces the prefetcher
 * already holds, so the copy itself makes no request. A read outside the span is a bug of the
 * merge, not something to fetch quietly: it fails.
 */
final class SpanStream extends BulkInputStream {
  private final SpanPrefetcher prefetcher;
  private final String name;
  private final long end;
  private Fetched piece;
  private long position;

  /** Where the next piece starts: the span's start, then each piece's end. */
  private long next;

  SpanStream(SpanPrefetcher prefetcher, String name, long start, long end) {
    this.prefetcher = prefetcher;
    this.name = name;
    this.end = end;
    this.position = start;
    this.next = start;
  }

  /** Takes the span's remaining pieces off the prefetcher, so the next span starts on its own. */
  void finish() throws IOException {
    while (next < end) {
      advance();
    }
    if (piece != null) {
      prefetcher.release(piece);
      piece = null;
    }
  }

  private void advance() throws IOException {
    if (piece != null) {
      prefetcher.release(piece);
    }
    piece = prefetcher.next();
    if (piece.piece().offset() != next) {
      throw new IllegalStateException(
          "merge read " + name + " out of order: at " + next + ", got " + piece.piece());
    }
    next += piece.piece().length();
    if (piece.read() < piece.piece().length()) {
      throw new EOFException(
          name
              + " ends at byte "
              + (piece.piece().offset() + piece.read())
              + ", before its column chunks do ("
              + end
              + "): the checkpoint is shorter than its record");
    }
  }

  @Override
  public long getPos() {
    return position;
  }

  @Override
  public void seek(long newPos) throws IOException {
    long pieceStart = piece == null ? next : piece.piece().offset();
    if (newPos < pieceStart || newPos > end) {
      throw new IllegalStateException(
          "merge seeks " + name + " to " + newPos + ", outside its span read ahead");
    }
    position = newPos;
  }

  @Override
  public int read(byte[] bytes, int offset, int count) throws IOException {
    if (count == 0) {
      return 0;
    }
    if (position >= end) {
      return -1;
    }
    while (piece == null || position >= next) {
      advance();
    }
    int at = (int) (position - piece.piece().offset());
    int n = (int) Math.min(count, Math.min(piece.read() - at, end - position));
    System.arraycopy(piece.bytes(), at, bytes, offset, n);
    position += n;
    return n;
  }

  @Override
  protected String name() {
    return name;
  }
}
