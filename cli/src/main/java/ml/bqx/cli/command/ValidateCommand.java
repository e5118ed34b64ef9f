package ml.bqx.cli.command;

import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import ml.bqx.cli.CliContext;
import ml.bqx.cli.target.Target;
import ml.bqx.cli.target.TargetOptions;
import ml.bqx.core.config.EnvKey;
import ml.bqx.core.control.ControlSettings;
import ml.bqx.core.port.Adapters;
import ml.bqx.job.validate.InvalidTrainingFileException;
import ml.bqx.job.validate.TrainingFileExpectations;
import ml.bqx.job.validate.TrainingFileFacts;
import ml.bqx.job.validate.TrainingFileValidator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bqx validate URI}: checks a training file from its footer with ranged reads, as the
 * pipeline does, on {@code gs://} or a local file.
 */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = "Checks a training file (gs://..., file:///... or a path) from its footer.")
public final class ValidateCommand implements Callable<Integer> {
  private final CliContext context;

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
    this.context = context;
  }

  @Override
  public Integer call() throws Exception {
    Target resolved = target.resolve(context);
    URI uri = uri(location);
    long rows = minRows != null ? minRows : resolved.config().intValue(EnvKey.BQX_MIN_ROWS);
    int columns =
        minColumns != null ? minColumns : resolved.config().intValue(EnvKey.BQX_MIN_COLUMNS);
    TrainingFileExpectations expect =
        TrainingFileExpectations.minimums(rows, columns)
            .withSizeBetween(ControlSettings.MIN_BYTES, ControlSettings.MAX_BYTES);
    TrainingFileValidator validator =
        new TrainingFileValidator(Adapters.objectStore(uri, resolved.config()));
    try {
      TrainingFileFacts facts = validator.validate(uri, expect);
      context
          .out()
          .printf(
              "valid: %s - %,d rows x %,d columns, %d row groups, %,d bytes, CRC32C %s%n",
              uri, facts.rows(), facts.columns(), facts.rowGroups(), facts.bytes(), facts.crc32c());
      facts.metadata().entrySet().stream()
          .filter(e -> e.getKey().startsWith("bqx."))
          .forEach(e -> context.out().println("  " + e.getKey() + " = " + e.getValue()));
      return 0;
    } catch (InvalidTrainingFileException e) {
      context.err().println(e.getMessage());
      return 1;
    }
  }

  private URI uri(String text) {
    if (text.matches("[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
      return URI.create(text);
    }
    Path path = context.cwd().resolve(text).toAbsolutePath().normalize();
    return URI.create("file://" + path.toUri().getRawPath());
  }
}
