package ml.bqx.job.extract;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.parquet.bytes.ByteBufferReleaser;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputCompressor;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Compresses a page into one zstd frame with one reused native context and one reused output
 * buffer. parquet-java's own ZSTD compressor streams each page through a new zstd stream and copies
 * it twice; a frame is a frame to every zstd decoder. The returned bytes are valid until the next
 * call: the page writer copies them before it returns.
 */
final class ZstdPageCompressor implements BytesInputCompressor, AutoCloseable {
  private static final HeapByteBufferAllocator HEAP = new HeapByteBufferAllocator();
  private final ZstdCompressCtx context = new ZstdCompressCtx();
  private byte[] output = new byte[0];

  ZstdPageCompressor(int level) {
    context.setLevel(level);
  }

  @Override
  public BytesInput compress(BytesInput bytes) throws IOException {
    try (ByteBufferReleaser releaser = new ByteBufferReleaser(HEAP)) {
      ByteBuffer page = bytes.toByteBuffer(releaser); // a heap page is not copied
      int bound = Math.toIntExact(Zstd.compressBound(page.remaining()));
      if (output.length < bound) {
        output = new byte[bound];
      }
      int length =
          context.compressByteArray(
              output,
              0,
              output.length,
              page.array(),
              page.arrayOffset() + page.position(),
              page.remaining());
      return BytesInput.from(output, 0, length);
    }
  }

  @Override
  public CompressionCodecName getCodecName() {
    return CompressionCodecName.ZSTD;
  }

  @Override
  public void release() {
    close();
  }

  @Override
  public void close() {
    context.close();
  }
}
