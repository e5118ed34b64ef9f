package ml.bqx.trainingfile.parquet;

import com.github.luben.zstd.Zstd;
import io.airlift.compress.lz4.Lz4Decompressor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.zip.GZIPInputStream;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.xerial.snappy.Snappy;

/**
 * Decompresses one page with the libraries parquet-hadoop's codecs wrap (zstd-jni, snappy-java,
 * aircompressor, the JDK's gzip), called directly: parquet-java reaches them only through Hadoop's
 * {@code CompressionCodec}. The codecs are those the Parquet format defines for pages; LZO, BROTLI
 * and Hadoop's framed LZ4 are refused with their name (no mainstream writer defaults to them).
 */
final class PageCodecs {
  private PageCodecs() {}

  static byte[] decompress(CompressionCodecName codec, byte[] page, int uncompressedSize)
      throws IOException {
    byte[] bytes =
        switch (codec) {
          case UNCOMPRESSED -> page;
          case ZSTD -> Zstd.decompress(page, uncompressedSize);
          case SNAPPY -> Snappy.uncompress(page);
          case GZIP -> gunzip(page);
          case LZ4_RAW -> lz4Raw(page, uncompressedSize);
          default -> throw new IOException(codec + " pages cannot be read here");
        };
    if (bytes.length != uncompressedSize) {
      throw new IOException(
          codec
              + " page decompressed to "
              + bytes.length
              + " bytes, its header says "
              + uncompressedSize);
    }
    return bytes;
  }

  private static byte[] gunzip(byte[] page) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(page))) {
      return in.readAllBytes();
    }
  }

  private static byte[] lz4Raw(byte[] page, int uncompressedSize) {
    byte[] out = new byte[uncompressedSize];
    int n = new Lz4Decompressor().decompress(page, 0, page.length, out, 0, out.length);
    return n == out.length ? out : java.util.Arrays.copyOf(out, n);
  }
}
