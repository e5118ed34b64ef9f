package ml.bqx.gcp.storage;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.ComposeRequest;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import ml.bqx.core.port.ObjectInfo;
import ml.bqx.core.port.WritePrecondition;

/**
 * A parallel composite upload (cloud.google.com/storage/docs/parallel-composite-uploads): the
 * stream is cut into parts of a fixed size, each full part is written as its own temporary object
 * on its own stream while the next one fills (a bounded number in flight, the writer waiting for a
 * free slot, so at most {@code (inFlight + 1) * partSize} bytes are held), and {@link #finish}
 * composes the parts into the object ("The compose operation creates a new composite object whose
 * contents are the concatenation of a given sequence of source objects", between 1 and 32 of them,
 * cloud.google.com/storage/docs/composite-objects; the JSON API's objects/compose), in levels when
 * there are more than 32. A composite object has a CRC32C and no MD5 (ibid.): it is checked against
 * the CRC32C of the bytes written. The parts are deleted after success and after abandon, and the
 * object itself appears only with the last compose, whole. An object of at most one part is written
 * in one plain resumable upload, as before.
 *
 * <p>Not java-storage's own {@code BlobWriteSessionConfigs.parallelCompositeUpload()}: it is set on
 * the client as a whole, so every write (the run ledger's compare-and-swap too) would go through
 * parts and composes, where only the merge's big file gains from it.
 */
public final class GcsCompositeUpload extends ChecksummedUpload {
  /**
   * Where the parts go, in the target's bucket, out of every folder the job lists. A killed job
   * leaves its parts behind: the staging bucket's retention rule deletes this prefix too.
   */
  public static final String PARTS_PREFIX = "bqx-upload-parts/";

  /** Deletes of parts at once. */
  private static final int DELETERS = 32;

  /** Sources one compose takes at most (cloud.google.com/storage/docs/composite-objects). */
  static final int MAX_SOURCES = 32;

  /** Writes one whole object, its CRC32C checked, as the store's plain upload does. */
  interface PartWriter {
    ObjectInfo write(URI uri, byte[] bytes, int length, WritePrecondition precondition)
        throws IOException;
  }

  private final Storage storage;
  private final PartWriter writer;
  private final BlobId target;
  private final int partSize;
  private final Semaphore slots;
  private final ExecutorService streams;
  private final String partPrefix;
  private final List<Future<BlobId>> parts = new ArrayList<>();
  private final List<BlobId> made = new ArrayList<>();

  /** Part buffers whose upload ended, filled again: no new array for every part. */
  private final Queue<byte[]> spare = new ConcurrentLinkedQueue<>();

  private byte[] buffer;
  private int filled;

  GcsCompositeUpload(Storage storage, PartWriter writer, URI uri, int partSize, int inFlight) {
    super(uri);
    this.storage = storage;
    this.writer = writer;
    this.target = GcsUris.blobId(uri);
    this.partSize = partSize;
    this.slots = new Semaphore(inFlight);
    this.streams = Executors.newFixedThreadPool(inFlight, GcsCompositeUpload::daemon);
    // Out of the target's folder, so that a listing of it never meets a part.
    this.partPrefix = PARTS_PREFIX + UUID.randomUUID() + "/";
    this.buffer = new byte[Math.min(partSize, 64 * 1024)];
  }

  private static Thread daemon(Runnable runnable) {
    Thread thread = new Thread(runnable, "gcs-part-upload");
    thread.setDaemon(true);
    return thread;
  }

  @Override
  void send(byte[] bytes, int offset, int length) throws IOException {
    int at = offset;
    int left = length;
    while (left > 0) {
      if (filled == partSize) {
        // Only once more bytes come: an object of exactly one part stays a plain upload.
        sendPart();
      }
      if (filled == buffer.length) {
        buffer = Arrays.copyOf(buffer, Math.min(partSize, buffer.length * 2));
      }
      int take = Math.min(left, buffer.length - filled);
      System.arraycopy(bytes, at, buffer, filled, take);
      filled += take;
      at += take;
      left -= take;
    }
  }

  /** Hands the full buffer to a free stream, waiting for one; a failed part fails the upload. */
  private void sendPart() throws IOException {
    failIfAPartFailed();
    try {
      slots.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted uploading " + uri, e);
    }
    byte[] part = buffer;
    int length = filled;
    URI partUri = GcsUris.uri(target.getBucket(), partPrefix + "part-" + (parts.size() + 1));
    parts.add(
        streams.submit(
            () -> {
              try {
                ObjectInfo info = writer.write(partUri, part, length, WritePrecondition.none());
                return BlobId.of(target.getBucket(), GcsUris.key(partUri), info.generation());
              } finally {
                spare.add(part);
                slots.release();
              }
            }));
    byte[] reused = spare.poll();
    buffer = reused != null ? reused : new byte[partSize];
    filled = 0;
  }

  private void failIfAPartFailed() throws IOException {
    for (Future<BlobId> part : parts) {
      if (part.isDone()) {
        result(part);
      }
    }
  }

  private BlobId result(Future<BlobId> part) throws IOException {
    try {
      return part.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted uploading " + uri, e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    }
  }

  @Override
  public ObjectInfo finish() throws IOException {
    checkOpen();
    ObjectInfo info;
    try {
      info = upload();
    } catch (IOException | RuntimeException e) {
      done = true;
      try {
        cleanUp();
      } catch (IOException cleaning) {
        e.addSuppressed(cleaning);
      }
      throw e;
    }
    done = true;
    cleanUp();
    return info;
  }

  /** One plain upload when no part went yet, else the last part and the compose. */
  private ObjectInfo upload() throws IOException {
    if (parts.isEmpty()) {
      done = true;
      return writer.write(uri, buffer, filled, WritePrecondition.none());
    }
    if (filled > 0) {
      sendPart();
    }
    done = true;
    List<BlobId> sources = new ArrayList<>();
    for (Future<BlobId> part : parts) {
      sources.add(result(part));
    }
    return composed(composeInLevels(sources));
  }

  /** Groups of 32 composed into intermediates until one compose of at most 32 makes the object. */
  private Blob composeInLevels(List<BlobId> sources) throws IOException {
    List<BlobId> level = sources;
    for (int depth = 1; level.size() > MAX_SOURCES; depth++) {
      List<BlobId> next = new ArrayList<>();
      for (int from = 0; from < level.size(); from += MAX_SOURCES) {
        List<BlobId> group = level.subList(from, Math.min(level.size(), from + MAX_SOURCES));
        BlobId into =
            BlobId.of(target.getBucket(), partPrefix + "level-" + depth + "-" + (next.size() + 1));
        made.add(into);
        next.add(compose(group, into).getBlobId());
      }
      level = next;
    }
    return compose(level, target);
  }

  private Blob compose(List<BlobId> sources, BlobId into) throws IOException {
    ComposeRequest.Builder request =
        ComposeRequest.newBuilder().setTarget(BlobInfo.newBuilder(into).build());
    for (BlobId source : sources) {
      // Each source pinned to the generation written: the bytes are exactly those sent.
      request.addSource(source.getName(), source.getGeneration());
    }
    try {
      return storage.compose(request.build());
    } catch (RuntimeException e) {
      throw GcsErrors.translate(e, GcsUris.uri(into.getBucket(), into.getName()));
    }
  }

  private ObjectInfo composed(Blob blob) throws IOException {
    if (!crc32cSoFar().equals(blob.getCrc32c())) {
      // Never leave corrupted bytes under the name: remove exactly that generation.
      storage.delete(BlobId.of(target.getBucket(), target.getName(), generationOf(blob)));
    }
    return verified(blob, blob.getCrc32c(), "composed");
  }

  /** Abandons an unfinished upload: the object never appears, and its parts are deleted. */
  @Override
  public void close() throws IOException {
    if (!done) {
      done = true;
      cleanUp();
    }
  }

  /** Waits for the parts in flight, then deletes every part and intermediate, in parallel. */
  private void cleanUp() throws IOException {
    if (streams.isShutdown()) {
      return;
    }
    List<BlobId> doomed = new ArrayList<>(made);
    for (Future<BlobId> part : parts) {
      try {
        doomed.add(result(part));
      } catch (IOException e) {
        // a part that failed left no object (its session never finalized)
      }
    }
    streams.shutdown();
    // Deletes are small and mostly wait for their answer: wider than the parts' streams (a
    // seed-scale file leaves 290 parts and intermediates).
    ExecutorService deleters =
        Executors.newFixedThreadPool(
            Math.min(DELETERS, Math.max(1, doomed.size())), GcsCompositeUpload::daemon);
    List<Future<Boolean>> deletes = new ArrayList<>();
    for (BlobId id : doomed) {
      deletes.add(deleters.submit(() -> storage.delete(id)));
    }
    deleters.shutdown();
    IOException failure = null;
    for (Future<Boolean> delete : deletes) {
      try {
        delete.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failure = new IOException("interrupted deleting the parts of " + uri, e);
      } catch (ExecutionException e) {
        failure = GcsErrors.translate(e.getCause(), uri);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
