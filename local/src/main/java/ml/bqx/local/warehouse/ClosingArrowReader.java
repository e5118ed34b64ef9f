package ml.bqx.local.warehouse;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/** An Arrow reader that also closes the JDBC result, statement and connection it streams from. */
final class ClosingArrowReader extends ArrowReader {
  private final ArrowReader delegate;
  private final List<AutoCloseable> resources;

  ClosingArrowReader(
      BufferAllocator allocator, ArrowReader delegate, List<AutoCloseable> resources) {
    super(allocator);
    this.delegate = delegate;
    this.resources = List.copyOf(resources);
  }

  @Override
  public VectorSchemaRoot getVectorSchemaRoot() throws IOException {
    return delegate.getVectorSchemaRoot();
  }

  @Override
  public Map<Long, Dictionary> getDictionaryVectors() throws IOException {
    return delegate.getDictionaryVectors();
  }

  @Override
  public Dictionary lookup(long id) {
    return delegate.lookup(id);
  }

  @Override
  public Set<Long> getDictionaryIds() {
    return delegate.getDictionaryIds();
  }

  @Override
  public boolean loadNextBatch() throws IOException {
    return delegate.loadNextBatch();
  }

  @Override
  public long bytesRead() {
    return delegate.bytesRead();
  }

  @Override
  public void close() throws IOException {
    try {
      delegate.close();
    } finally {
      closeReadSource();
    }
  }

  @Override
  protected void closeReadSource() throws IOException {
    IOException failure = null;
    for (AutoCloseable resource : resources) {
      try {
        resource.close();
      } catch (Exception e) {
        failure = failure == null ? new IOException("cannot close a DuckDB query", e) : failure;
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  protected Schema readSchema() throws IOException {
    return delegate.getVectorSchemaRoot().getSchema();
  }
}
