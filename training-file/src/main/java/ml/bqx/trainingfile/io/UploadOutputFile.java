package ml.bqx.trainingfile.io;

import java.io.IOException;
import ml.bqx.core.port.ObjectUpload;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

/**
 * A Parquet output file streamed into an object store upload. Parquet closes its stream when it
 * writes the footer; that close does not finish the upload: the caller calls {@link
 * ObjectUpload#finish} once the file is whole.
 */
public final class UploadOutputFile implements OutputFile {
  private final ObjectUpload upload;
  private final String name;

  public UploadOutputFile(ObjectUpload upload, String name) {
    this.upload = upload;
    this.name = name;
  }

  @Override
  public PositionOutputStream create(long blockSizeHint) {
    return new PositionOutputStream() {
      private long position;

      @Override
      public long getPos() {
        return position;
      }

      @Override
      public void write(int b) throws IOException {
        upload.write(b);
        position++;
      }

      @Override
      public void write(byte[] bytes, int offset, int length) throws IOException {
        upload.write(bytes, offset, length);
        position += length;
      }

      @Override
      public void flush() throws IOException {
        upload.flush();
      }

      @Override
      public void close() {
        // the upload is finished (or abandoned) by its owner, not by Parquet
      }
    };
  }

  @Override
  public PositionOutputStream createOrOverwrite(long blockSizeHint) {
    return create(blockSizeHint);
  }

  @Override
  public boolean supportsBlockSize() {
    return false;
  }

  @Override
  public long defaultBlockSize() {
    return 0;
  }

  @Override
  public String getPath() {
    return name;
  }
}
