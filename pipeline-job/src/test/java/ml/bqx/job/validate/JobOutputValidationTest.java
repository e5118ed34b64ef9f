package ml.bqx.job.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import ml.bqx.core.message.RunId;
import ml.bqx.core.port.Crc32c;
import ml.bqx.job.testing.JobFixture;
import ml.bqx.local.store.FolderObjectStore;
import ml.bqx.local.warehouse.WarehouseSeeder;
import ml.bqx.trainingfile.InvalidTrainingFileException;
import ml.bqx.trainingfile.TrainingFileExpectations;
import ml.bqx.trainingfile.TrainingFileFacts;
import ml.bqx.trainingfile.TrainingFileValidator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The validator on what the job writes, as the completion function uses it: on the published file,
 * from its footer (its own cases, on files of other writers, are in training-file).
 */
class JobOutputValidationTest {
  @TempDir Path dir;

  private URI publish(JobFixture fixture, String run) {
    assertThat(JobFixture.runInProcess(fixture.env("eurusd", run, 1)).exitCode()).isZero();
    return fixture.output.resolve("training_eurusd.parquet").toUri();
  }

  @Test
  void validate_publishedFile_returnsItsFacts() throws Exception {
    JobFixture fixture = new JobFixture(dir).seeded();
    URI file = publish(fixture, "val-1");
    byte[] bytes = Files.readAllBytes(Path.of(file));

    TrainingFileFacts facts =
        new TrainingFileValidator(new FolderObjectStore())
            .validate(
                file,
                TrainingFileExpectations.minimums(480, 26)
                    .withColumns(26)
                    .withCrc32c(Crc32c.of(bytes))
                    .withOrigin(RunId.of("val-1"), JobFixture.EURUSD, 1)
                    .withSizeBetween(1, bytes.length));

    assertThat(facts.rows()).isEqualTo(480);
    assertThat(facts.columns()).isEqualTo(26);
    assertThat(facts.bytes()).isEqualTo(bytes.length);
    assertThat(facts.rowGroups()).isEqualTo(5);
    assertThat(facts.metadata()).containsEntry("bqx.pair", "eurusd").containsKey("bqx.schema_hash");
  }

  @Test
  void validate_wrongCrcOriginAndSize_listsEveryFailure() throws Exception {
    JobFixture fixture = new JobFixture(dir).seeded();
    URI file = publish(fixture, "val-1");

    InvalidTrainingFileException e =
        assertThrows(
            InvalidTrainingFileException.class,
            () ->
                new TrainingFileValidator(new FolderObjectStore())
                    .validate(
                        file,
                        TrainingFileExpectations.minimums(1, 1)
                            .withColumns(27)
                            .withCrc32c("AAAAAA==")
                            .withOrigin(RunId.of("val-2"), JobFixture.EURUSD, 3)
                            .withSizeBetween(1, 100)));

    assertThat(e.failures())
        .anyMatch(f -> f.startsWith("CRC32C is ") && f.endsWith(", expected AAAAAA=="))
        .anyMatch(f -> f.startsWith("size ") && f.endsWith("bytes > maximum 100"))
        .contains("metadata bqx.run is val-1, expected val-2")
        .contains("metadata bqx.attempt is 1, expected 3")
        .contains("columns 26 != 27 (the tables' columns summed)");
  }

  @Test
  void validate_featureColumnEntirelyNull_failsNamingIt() throws Exception {
    JobFixture fixture = new JobFixture(dir).seeded();
    String table = WarehouseSeeder.featureTableName(JobFixture.EURUSD, 3);
    fixture.sql("UPDATE bqx_ml_v3_features_v2." + table + " SET f02 = NULL");
    Map<String, String> env = fixture.env("eurusd", "val-1", 1);

    JobFixture.Outcome outcome = JobFixture.runInProcess(env);

    assertThat(outcome.exitCode()).isEqualTo(1);
    assertThat(outcome.log())
        .contains("1 feature column(s) entirely null, e.g. " + table + "__f02");
  }
}
