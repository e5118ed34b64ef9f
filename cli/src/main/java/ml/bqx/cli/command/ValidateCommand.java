package ml.bqx.cli.command;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.zip.CRC32C;
import ml.bqx.cli.context.CliContext;
import ml.bqx.cli.target.Target;
import ml.bqx.cli.target.TargetOptions;
import ml.bqx.core.config.BqxConfig;
import ml.bqx.core.config.EnvKey;
import ml.bqx.core.control.ControlSettings;
import ml.bqx.core.port.Adapters;
import ml.bqx.core.port.Crc32c;
import ml.bqx.core.port.DamagedObjectException;
import ml.bqx.core.port.ObjectInfo;
import ml.bqx.core.port.ObjectStore;
import ml.bqx.core.port.WarehouseLayout;
import ml.bqx.job.JobLogging;
import ml.bqx.trainingfile.InvalidTrainingFileException;
import ml.bqx.trainingfile.TrainingFileExpectations;
import ml.bqx.trainingfile.TrainingFileFacts;
import ml.bqx.trainingfile.TrainingFileMetadata;
import ml.bqx.trainingfile.TrainingFileValidator;
import ml.bqx.trainingfile.io.PathInputFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bqx validate URI}: checks a training file from its footer with ranged reads, as the
 * pipeline does, on {@code gs://}, {@code file://} or a plain path (a copied file with no store
 * beside it); a local file's CRC32C is computed from its bytes.
 */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = "Checks a training file (gs://..., file:///... or a path) from its footer.")
public final class ValidateCommand implements Callable<Integer> {
  private final CliContext context;
  private final StoreOpener stores;

  @Mixin TargetOptions target;

  @Parameters(paramLabel = "URI", description = "The file: gs://BUCKET/KEY, file:///PATH or PATH.")
  String location;

  @Option(names = "--min-rows", paramLabel = "N", description = "Fewest rows (BQX_MIN_ROWS).")
  Long minRows;

  @Option(
      names = "--min-columns",
      paramLabel = "N",
      description = "Fewest columns (BQX_MIN_COLUMNS).")
  Integer minColumns;

  ValidateCommand(CliContext context) {
    this(context, Adapters::objectStore);
  }

  /** With the stores a test gives (e.g. GCS on LocalStorageHelper). */
  ValidateCommand(CliContext context, StoreOpener stores) {
    this.context = context;
    this.stores = stores;
  }

  /** Opens the object store of a URI, as {@link Adapters#objectStore} does. */
  interface StoreOpener {
    ObjectStore open(URI uri, BqxConfig config) throws IOException;
  }

  @Override
  public Integer call() throws Exception {
    JobLogging.quietLibraries(); // no "Got brand-new decompressor" between the user and the answer
    Target resolved = target.resolve(context);
    URI uri = uri(location);
    long rows = minRows != null ? minRows : resolved.config().intValue(EnvKey.BQX_MIN_ROWS);
    int columns =
        minColumns != null ? minColumns : resolved.config().intValue(EnvKey.BQX_MIN_COLUMNS);
    TrainingFileExpectations expect =
        TrainingFileExpectations.minimums(rows, columns)
            .withSizeBetween(ControlSettings.MIN_BYTES, ControlSettings.MAX_BYTES);
    try {
      Checked checked =
          "file".equalsIgnoreCase(uri.getScheme())
              ? local(uri, resolved.config(), expect)
              : new Checked(
                  new TrainingFileValidator(stores.open(uri, resolved.config()))
                      .validate(uri, expect),
                  "as the store reports it");
      print(uri, checked);
      return 0;
    } catch (InvalidTrainingFileException e) {
      context.err().println("invalid: " + uri + ": " + String.join("; ", e.failures()));
      return 1;
    }
  }

  /**
   * A local file is read here, so its CRC32C is computed from its bytes and compared with the one
   * the folder store recorded beside it, when there is such a record (a copied file has none).
   */
  private Checked local(URI uri, BqxConfig config, TrainingFileExpectations expect)
      throws IOException {
    Path path = Path.of(uri);
    if (Files.isDirectory(path)) {
      throw new InvalidTrainingFileException(uri.toString(), List.of("it is a directory"));
    }
    if (!Files.isRegularFile(path)) {
      throw new InvalidTrainingFileException(uri.toString(), List.of("it does not exist"));
    }
    Optional<ObjectInfo> stored = storedInfo(uri, config);
    long size = Files.size(path);
    ObjectInfo computed =
        new ObjectInfo(uri, size, stored.map(ObjectInfo::generation).orElse(0L), crc32c(path));
    TrainingFileExpectations withStored =
        stored.map(info -> expect.withCrc32c(info.crc32c())).orElse(expect);
    TrainingFileFacts facts =
        TrainingFileValidator.validate(uri, computed, new PathInputFile(path, size), withStored);
    return new Checked(
        facts,
        stored.isPresent()
            ? "computed from the bytes, as the store recorded"
            : "computed from the bytes; no store record beside the file");
  }

  private Optional<ObjectInfo> storedInfo(URI uri, BqxConfig config) throws IOException {
    try {
      return stores.open(uri, config).stat(uri);
    } catch (IllegalArgumentException notAnObjectName) { // e.g. a name starting with '.'
      return Optional.empty();
    } catch (DamagedObjectException noRecordToTrust) {
      // A copied file has no record beside it, and one whose record disagrees with it has none to
      // trust: either way its bytes are what is checked.
      return Optional.empty();
    }
  }

  private static String crc32c(Path path) throws IOException {
    CRC32C crc = new CRC32C();
    byte[] buffer = new byte[1 << 20];
    try (InputStream in = Files.newInputStream(path)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        crc.update(buffer, 0, n);
      }
    }
    return Crc32c.toBase64(crc.getValue());
  }

  private void print(URI uri, Checked checked) {
    TrainingFileFacts facts = checked.facts();
    PrintWriter out = context.out();
    out.printf(
        Locale.ROOT,
        "valid: %s - %,d rows x %,d columns, %d of %d horizons, %d row groups, %,d bytes%n",
        uri,
        facts.rows(),
        facts.columns(),
        facts.horizons(),
        WarehouseLayout.HORIZONS.size(),
        facts.rowGroups(),
        facts.bytes());
    out.println(
        facts.crc32c() == null
            ? "  CRC32C: the store reports none"
            : "  CRC32C " + facts.crc32c() + " (" + checked.crc32cSource() + ")");
    out.println(
        "  all-null columns: "
            + (facts.allNullColumns().isEmpty()
                ? "none"
                : String.join(", ", facts.allNullColumns())));
    Map<String, String> meta = facts.metadata();
    out.printf(
        "  run %s, pair %s, attempt %s%n",
        meta.getOrDefault(TrainingFileMetadata.RUN, "?"),
        meta.getOrDefault(TrainingFileMetadata.PAIR, "?"),
        meta.getOrDefault(TrainingFileMetadata.ATTEMPT, "?"));
    meta.entrySet().stream()
        .filter(e -> e.getKey().startsWith("bqx."))
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> out.println("  " + e.getKey() + " = " + e.getValue()));
  }

  private record Checked(TrainingFileFacts facts, String crc32cSource) {}

  private URI uri(String text) {
    if (text.matches("[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
      return URI.create(text);
    }
    Path path = context.cwd().resolve(text).toAbsolutePath().normalize();
    return path.toUri();
  }
}
