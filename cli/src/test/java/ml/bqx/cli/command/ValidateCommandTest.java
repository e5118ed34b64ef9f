package ml.bqx.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import ml.bqx.cli.context.CliContext;
import ml.bqx.cli.testing.CliRun;
import ml.bqx.core.port.Crc32c;
import ml.bqx.core.port.ObjectUpload;
import ml.bqx.gcp.storage.GcsObjectStore;
import ml.bqx.job.testing.JobFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code bqx validate FILE} through its entry point, on a training file a real job made: a copy
 * with no store beside it, the store's own file by file://, a flipped byte, bad files of every
 * kind, and gs:// on LocalStorageHelper.
 */
class ValidateCommandTest {
  private static final String TINY = "--min-rows=480 --min-columns=26";

  @TempDir Path dir;
  private Path published;
  private byte[] bytes;

  @BeforeEach
  void makeFile() throws Exception {
    JobFixture fixture = new JobFixture(dir.resolve("job")).seeded();
    assertThat(JobFixture.runInProcess(fixture.env("eurusd", "val-run", 1)).exitCode()).isZero();
    published = fixture.output.resolve("training_eurusd.parquet");
    bytes = Files.readAllBytes(published);
  }

  private CliRun validate(String file, String flags) {
    String line = "validate " + file + (flags.isEmpty() ? "" : " " + flags);
    return CliRun.of(dir, line.split(" "));
  }

  @Test
  void copiedFile_plainPath_isValid_withItsFactsAndTheCrcOfItsBytes() throws Exception {
    Path copy = Files.createDirectories(dir.resolve("downloads")).resolve("eurusd.parquet");
    Files.copy(published, copy);

    CliRun run = validate("downloads/eurusd.parquet", TINY);

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("valid: " + copy.toUri())
        .contains(
            String.format(
                Locale.ROOT,
                "480 rows x 26 columns, 7 of 7 horizons, 5 row groups, %,d bytes",
                bytes.length))
        .contains(
            "CRC32C " + Crc32c.of(bytes) + " (computed from the bytes; no store record beside")
        .contains("all-null columns: none")
        .contains("run val-run, pair eurusd, attempt 1")
        .contains("bqx.tables = 7");
  }

  @Test
  void storeFile_byFileUri_matchesTheStoredCrc() {
    CliRun run = validate(published.toUri().toString(), TINY);

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains(
            "CRC32C " + Crc32c.of(bytes) + " (computed from the bytes, as the store recorded)");
  }

  @Test
  void flippedByte_isInvalid_namingBothCrcs() throws Exception {
    String stored = Crc32c.of(bytes);
    byte[] flipped = bytes.clone();
    flipped[flipped.length / 2] ^= 0x01; // a data page, not the frame: the footer still parses
    Files.write(published, flipped);

    CliRun run = validate(published.toString(), TINY);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .startsWith("invalid: " + published.toUri())
        .contains("CRC32C is " + Crc32c.of(flipped) + ", expected " + stored);
  }

  @Test
  void byDefault_productionMinimumsApply() {
    CliRun run = validate(published.toString(), "");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .contains("rows 480 < minimum 100000")
        .contains("columns 26 < minimum 10000");
  }

  @Test
  void badFiles_getOneLineNamingTheProblem() throws Exception {
    Path bad = Files.createDirectories(dir.resolve("bad"));
    Files.write(bad.resolve("empty.parquet"), new byte[0]);
    Files.write(bad.resolve("truncated.parquet"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
    Files.writeString(bad.resolve("notes.parquet"), "interval_time,target_h15\n1,2\n");
    byte[] badFooterLength = bytes.clone();
    badFooterLength[bytes.length - 6] = 0x7f; // the footer length's high byte: far past the start
    Files.write(bad.resolve("footer.parquet"), badFooterLength);
    byte[] garbledFooter = bytes.clone();
    for (int i = bytes.length - 40; i < bytes.length - 8; i++) {
      garbledFooter[i] = (byte) 0xff;
    }
    Files.write(bad.resolve("garbled.parquet"), garbledFooter);

    Map<String, String> expected =
        Map.of(
            "bad/empty.parquet", "it is empty (0 bytes)",
            "bad/truncated.parquet",
                "it is truncated: it starts as Parquet but does not end with PAR1",
            "bad/notes.parquet", "it is not a Parquet file (it does not start with PAR1)",
            "bad/footer.parquet", "it is truncated: its footer claims",
            "bad/garbled.parquet", "its footer is unreadable: ",
            "bad", "it is a directory",
            "bad/missing.parquet", "it does not exist");
    expected.forEach(
        (file, reason) -> {
          CliRun run = validate(file, TINY);
          assertThat(run.exitCode()).as(file).isEqualTo(1);
          assertThat(run.err().lines()).as(file).hasSize(1);
          assertThat(run.err())
              .as(file)
              .startsWith("invalid: " + dir.resolve(file).toUri().toString().replaceAll("/$", ""))
              .contains(reason)
              .doesNotContain("null");
        });
  }

  @Test
  void gsFile_onLocalStorageHelper_isValid_withTheStoresCrc() throws Exception {
    GcsObjectStore gcs = new GcsObjectStore(LocalStorageHelper.customOptions(false).getService());
    URI uri = URI.create("gs://bqx-output/training_eurusd.parquet");
    ObjectUpload upload = gcs.upload(uri);
    upload.write(bytes, 0, bytes.length);
    upload.finish();
    // What GCS's metadata says (LocalStorageHelper records no CRC32C: the line says so).
    String stored = gcs.stat(uri).orElseThrow().crc32c();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CliContext context =
        new CliContext(
            Map.of(),
            Clock.systemUTC(),
            dir,
            new PrintWriter(out, true),
            new PrintWriter(err, true));

    int code =
        new CommandLine(new ValidateCommand(context, (u, config) -> gcs))
            .execute(uri.toString(), "--min-rows", "480", "--min-columns", "26");

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString())
        .contains("valid: " + uri + " - 480 rows x 26 columns, 7 of 7 horizons")
        .contains(
            stored == null
                ? "CRC32C: the store reports none"
                : "CRC32C " + stored + " (as the store reports it)")
        .contains("run val-run, pair eurusd, attempt 1");
  }
}
