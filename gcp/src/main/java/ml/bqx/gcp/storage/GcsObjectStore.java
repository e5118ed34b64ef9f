package ml.bqx.gcp.storage;

import com.google.cloud.ReadChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobListOption;
import com.google.cloud.storage.Storage.BlobTargetOption;
import com.google.cloud.storage.Storage.BlobWriteOption;
import com.google.cloud.storage.Storage.CopyRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;
import ml.bqx.core.port.Crc32c;
import ml.bqx.core.port.ObjectGlob;
import ml.bqx.core.port.ObjectInfo;
import ml.bqx.core.port.ObjectStore;
import ml.bqx.core.port.ObjectUpload;
import ml.bqx.core.port.StoredObject;
import ml.bqx.core.port.WritePrecondition;

/**
 * The object store on Google Cloud Storage: resumable CRC32C-checked uploads, ranged reads,
 * generation preconditions and server-side copies, addressed by {@code gs://bucket/key}.
 */
public final class GcsObjectStore implements ObjectStore {
  private static final int READ_CHUNK = 2 * 1024 * 1024;

  /** Tries of a small read whose generation keeps being replaced before its content is read. */
  private static final int READ_LOOKS = 5;

  /**
   * The part of a parallel composite upload: 454 parts and 16 composes for a seed-scale pair's 7.6
   * GB, well under the 1,024 components a composite once allowed.
   */
  public static final int PART_SIZE = 16 * 1024 * 1024;

  /**
   * Parts on the wire at once, each its own stream (GCS's throughput grows with streams, not within
   * one): with the one filling, 144 MiB of the merge's memory.
   */
  public static final int PARTS_IN_FLIGHT = 8;

  private final Storage storage;
  private final int partSize;
  private final int partsInFlight;

  /** A store over this client (Google's, or LocalStorageHelper's in tests). */
  public GcsObjectStore(Storage storage) {
    this(storage, PART_SIZE, PARTS_IN_FLIGHT);
  }

  /** A store whose uploads of more than {@code partSize} bytes go up in parallel parts. */
  public GcsObjectStore(Storage storage, int partSize, int partsInFlight) {
    if (partSize <= 0 || partsInFlight <= 0) {
      throw new IllegalArgumentException(
          "part size and parts in flight must be positive: " + partSize + ", " + partsInFlight);
    }
    this.storage = storage;
    this.partSize = partSize;
    this.partsInFlight = partsInFlight;
  }

  @Override
  public Optional<ObjectInfo> stat(URI uri) throws IOException {
    BlobId id = GcsUris.blobId(uri);
    try {
      return Optional.ofNullable(storage.get(id)).map(blob -> info(uri, blob));
    } catch (RuntimeException e) {
      throw GcsErrors.translate(e, uri);
    }
  }

  /**
   * Reads the generation the metadata just named, so that content and generation belong together (a
   * compare-and-swap writes against that generation). When that generation was replaced in between,
   * GCS answers 404 for it: look again.
   */
  @Override
  public Optional<StoredObject> read(URI uri) throws IOException {
    for (int looks = 1; ; looks++) {
      Optional<ObjectInfo> info = stat(uri);
      if (info.isEmpty()) {
        return Optional.empty();
      }
      BlobId id = GcsUris.blobId(uri);
      try {
        byte[] content =
            storage.readAllBytes(BlobId.of(id.getBucket(), id.getName(), info.get().generation()));
        return Optional.of(new StoredObject(content, info.get()));
      } catch (RuntimeException e) {
        IOException failure = GcsErrors.translate(e, uri);
        if (!(failure instanceof NoSuchFileException) || looks == READ_LOOKS) {
          throw failure;
        }
      }
    }
  }

  @Override
  public ObjectInfo write(URI uri, byte[] content, WritePrecondition precondition)
      throws IOException {
    return write(uri, content, content.length, precondition);
  }

  private ObjectInfo write(URI uri, byte[] content, int length, WritePrecondition precondition)
      throws IOException {
    // Through a write session, not storage.create: the session enforces preconditions on the
    // test double too, and the CRC32C check comes with it.
    // The checksum is known before sending: GCS then refuses to finalize corrupted bytes.
    CRC32C crc = new CRC32C();
    crc.update(content, 0, length);
    BlobInfo target =
        BlobInfo.newBuilder(GcsUris.blobId(uri)).setCrc32c(Crc32c.toBase64(crc.getValue())).build();
    try (GcsObjectUpload upload =
        upload(target, uri, precondition, BlobWriteOption.crc32cMatch())) {
      upload.write(content, 0, length);
      return upload.finish();
    }
  }

  /** Up to one part, one resumable upload; more, a parallel composite upload. */
  @Override
  public ObjectUpload upload(URI uri) throws IOException {
    return new GcsCompositeUpload(storage, this::write, uri, partSize, partsInFlight);
  }

  private GcsObjectUpload upload(
      BlobInfo target, URI uri, WritePrecondition precondition, BlobWriteOption... extra)
      throws IOException {
    try {
      return new GcsObjectUpload(
          uri,
          storage.blobWriteSession(
              target, BlobWriteOption.dedupe(writeOptions(precondition), extra)),
          this::crc32cOfStored);
    } catch (RuntimeException e) {
      throw GcsErrors.translate(e, uri);
    }
  }

  @Override
  public InputStream open(URI uri) throws IOException {
    if (stat(uri).isEmpty()) {
      throw new NoSuchFileException(uri.toString());
    }
    try {
      ReadChannel reader = storage.reader(GcsUris.blobId(uri));
      reader.setChunkSize(READ_CHUNK);
      return Channels.newInputStream(reader);
    } catch (RuntimeException e) {
      throw GcsErrors.translate(e, uri);
    }
  }

  @Override
  public byte[] readRange(URI uri, long offset, int length) throws IOException {
    checkRange(uri, offset, length);
    // The size bounds the range: a limit past the end is not trusted to stop at the end.
    long size = sizeOf(uri);
    byte[] bytes = new byte[(int) Math.max(0, Math.min(length, size - offset))];
    int read = readKnownRange(uri, size, offset, bytes, 0, bytes.length);
    return read == bytes.length ? bytes : Arrays.copyOf(bytes, read);
  }

  @Override
  public int readRange(URI uri, long offset, byte[] into, int at, int length) throws IOException {
    checkRange(uri, offset, length);
    return readKnownRange(uri, sizeOf(uri), offset, into, at, length);
  }

  /**
   * One media GET with a Range header (cloud.google.com/storage/docs/downloads): the size the
   * caller knows bounds the range, so no metadata request goes before it.
   */
  @Override
  public int readKnownRange(URI uri, long size, long offset, byte[] into, int at, int length)
      throws IOException {
    checkRange(uri, offset, length);
    long end = Math.min(size, offset + length);
    if (offset >= end) {
      return 0;
    }
    ByteBuffer buffer = ByteBuffer.wrap(into, at, (int) (end - offset));
    try (ReadChannel reader = storage.reader(GcsUris.blobId(uri))) {
      reader.seek(offset);
      reader.limit(end);
      // No buffer of the client's own: the bytes go straight into the caller's array.
      reader.setChunkSize(0);
      while (buffer.hasRemaining() && reader.read(buffer) >= 0) {
        // keep reading until the range is full or the object ends
      }
    } catch (RuntimeException | IOException e) {
      throw GcsErrors.translate(e, uri);
    }
    return buffer.position() - at;
  }

  private long sizeOf(URI uri) throws IOException {
    return stat(uri).orElseThrow(() -> new NoSuchFileException(uri.toString())).size();
  }

  private static void checkRange(URI uri, long offset, int length) {
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException(
          "bad range of " + uri + ": offset " + offset + ", length " + length);
    }
  }

  @Override
  public ObjectInfo copy(URI source, URI target, WritePrecondition targetPrecondition)
      throws IOException {
    // Copy the generation just looked at, so the target's checksum is known to be the source's.
    ObjectInfo from = stat(source).orElseThrow(() -> new NoSuchFileException(source.toString()));
    BlobId sourceId = GcsUris.blobId(source);
    CopyRequest request =
        CopyRequest.newBuilder()
            .setSource(BlobId.of(sourceId.getBucket(), sourceId.getName(), from.generation()))
            .setTarget(
                BlobInfo.newBuilder(GcsUris.blobId(target)).build(),
                targetOptions(targetPrecondition))
            .build();
    try {
      Blob copied = storage.copy(request).getResult();
      ObjectInfo info = info(target, copied);
      return info.crc32c() != null
          ? info
          : new ObjectInfo(target, from.size(), info.generation(), from.crc32c());
    } catch (RuntimeException e) {
      IOException failure = GcsErrors.translate(e, target);
      if (failure instanceof NoSuchFileException) {
        NoSuchFileException missing = new NoSuchFileException(source.toString());
        missing.initCause(e);
        throw missing;
      }
      throw failure;
    }
  }

  @Override
  public boolean delete(URI uri) throws IOException {
    try {
      return storage.delete(GcsUris.blobId(uri));
    } catch (RuntimeException e) {
      throw GcsErrors.translate(e, uri);
    }
  }

  @Override
  public List<ObjectInfo> list(URI prefix) throws IOException {
    return list(prefix, null);
  }

  /**
   * GCS filters by {@code matchGlob} on the whole name, so the others are never sent. The glob is
   * checked again here: LocalStorageHelper ignores the option.
   */
  @Override
  public List<ObjectInfo> list(URI prefix, ObjectGlob glob) throws IOException {
    String bucket = GcsUris.bucket(prefix);
    String key = GcsUris.key(prefix);
    List<BlobListOption> options = new ArrayList<>(List.of(BlobListOption.prefix(key)));
    if (glob != null) {
      options.add(BlobListOption.matchGlob(key + glob));
    }
    List<ObjectInfo> found = new ArrayList<>();
    try {
      for (Blob blob : storage.list(bucket, options.toArray(BlobListOption[]::new)).iterateAll()) {
        boolean wanted = glob == null || glob.matches(blob.getName().substring(key.length()));
        if (!blob.isDirectory() && wanted) {
          found.add(info(GcsUris.uri(bucket, blob.getName()), blob));
        }
      }
    } catch (RuntimeException e) {
      throw GcsErrors.translate(e, prefix);
    }
    found.sort(Comparator.comparing(info -> info.uri().toString()));
    return found;
  }

  /** Streams the stored object back to checksum it, when GCS reported no CRC32C. */
  private String crc32cOfStored(URI uri, long generation) throws IOException {
    CRC32C crc = new CRC32C();
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = open(uri)) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        crc.update(buffer, 0, n);
      }
    }
    return Crc32c.toBase64(crc.getValue());
  }

  private static ObjectInfo info(URI uri, BlobInfo blob) {
    long size = blob.getSize() == null ? 0L : blob.getSize();
    long generation = blob.getGeneration() == null ? 0L : blob.getGeneration();
    return new ObjectInfo(uri, size, generation, blob.getCrc32c());
  }

  private static BlobWriteOption[] writeOptions(WritePrecondition precondition) {
    if (precondition instanceof WritePrecondition.DoesNotExist) {
      return new BlobWriteOption[] {BlobWriteOption.doesNotExist()};
    }
    if (precondition instanceof WritePrecondition.GenerationMatches match) {
      return new BlobWriteOption[] {BlobWriteOption.generationMatch(match.generation())};
    }
    return new BlobWriteOption[0];
  }

  private static BlobTargetOption[] targetOptions(WritePrecondition precondition) {
    if (precondition instanceof WritePrecondition.DoesNotExist) {
      return new BlobTargetOption[] {BlobTargetOption.doesNotExist()};
    }
    if (precondition instanceof WritePrecondition.GenerationMatches match) {
      return new BlobTargetOption[] {BlobTargetOption.generationMatch(match.generation())};
    }
    return new BlobTargetOption[0];
  }

  /**
   * True: "objects are immutable, which means that an uploaded object cannot change throughout its
   * storage lifetime" (cloud.google.com/storage/docs/objects); a new upload is a new generation.
   * And {@link GcsObjectUpload} refuses an upload whose CRC32C GCS stored differs from the bytes
   * sent, so a generation recorded at its upload names exactly those bytes.
   */
  @Override
  public boolean generationFixesContent() {
    return true;
  }
}
