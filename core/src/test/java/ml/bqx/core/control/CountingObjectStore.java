package ml.bqx.core.control;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import ml.bqx.core.port.ContentionBackoff;
import ml.bqx.core.port.ObjectGlob;
import ml.bqx.core.port.ObjectInfo;
import ml.bqx.core.port.ObjectStore;
import ml.bqx.core.port.ObjectUpload;
import ml.bqx.core.port.StoredObject;
import ml.bqx.core.port.WritePrecondition;

/**
 * A store that counts what its listings return, over a real one: on GCS every object listed is paid
 * for in list pages, so a listing's size is what a test of reconcile's cost can check.
 */
final class CountingObjectStore implements ObjectStore {
  private final ObjectStore store;

  /** Objects returned by listings without a glob, and with one. */
  final AtomicInteger listedByPrefix = new AtomicInteger();

  final AtomicInteger listedByGlob = new AtomicInteger();

  CountingObjectStore(ObjectStore store) {
    this.store = store;
  }

  @Override
  public List<ObjectInfo> list(URI prefix) throws IOException {
    List<ObjectInfo> listed = store.list(prefix);
    listedByPrefix.addAndGet(listed.size());
    return listed;
  }

  @Override
  public List<ObjectInfo> list(URI prefix, ObjectGlob glob) throws IOException {
    List<ObjectInfo> listed = store.list(prefix, glob);
    listedByGlob.addAndGet(listed.size());
    return listed;
  }

  @Override
  public Optional<ObjectInfo> stat(URI uri) throws IOException {
    return store.stat(uri);
  }

  @Override
  public Optional<StoredObject> read(URI uri) throws IOException {
    return store.read(uri);
  }

  @Override
  public ObjectInfo write(URI uri, byte[] content, WritePrecondition precondition)
      throws IOException {
    return store.write(uri, content, precondition);
  }

  @Override
  public ObjectUpload upload(URI uri) throws IOException {
    return store.upload(uri);
  }

  @Override
  public InputStream open(URI uri) throws IOException {
    return store.open(uri);
  }

  @Override
  public byte[] readRange(URI uri, long offset, int length) throws IOException {
    return store.readRange(uri, offset, length);
  }

  @Override
  public int readKnownRange(URI uri, long size, long offset, byte[] into, int at, int length)
      throws IOException {
    return store.readKnownRange(uri, size, offset, into, at, length);
  }

  @Override
  public ObjectInfo copy(URI source, URI target, WritePrecondition targetPrecondition)
      throws IOException {
    return store.copy(source, target, targetPrecondition);
  }

  @Override
  public boolean delete(URI uri) throws IOException {
    return store.delete(uri);
  }

  @Override
  public ContentionBackoff contentionBackoff() {
    return store.contentionBackoff();
  }
}
