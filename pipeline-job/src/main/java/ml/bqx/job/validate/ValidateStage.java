package ml.bqx.job.validate;

import static ml.bqx.job.stage.StageReport.metrics;

import java.io.IOException;
import java.net.URI;
import ml.bqx.core.message.Stage;
import ml.bqx.core.port.ObjectStore;
import ml.bqx.job.stage.JobStage;
import ml.bqx.job.stage.StageProgress;
import ml.bqx.job.stage.StageReport;
import ml.bqx.trainingfile.TrainingFileExpectations;
import ml.bqx.trainingfile.TrainingFileFacts;
import ml.bqx.trainingfile.TrainingFileValidator;

/** Stage 3: the staging file passes the same validator the completion function runs. */
public final class ValidateStage implements JobStage<TrainingFileFacts> {
  private final ObjectStore staging;
  private final URI file;
  private final TrainingFileExpectations expectations;

  public ValidateStage(ObjectStore staging, URI file, TrainingFileExpectations expectations) {
    this.staging = staging;
    this.file = file;
    this.expectations = expectations;
  }

  @Override
  public Stage stage() {
    return Stage.VALIDATE;
  }

  @Override
  public TrainingFileFacts run(StageProgress progress) throws IOException {
    return new TrainingFileValidator(staging).validate(file, expectations);
  }

  @Override
  public StageReport succeeded(TrainingFileFacts facts, long durationMs) {
    return StageReport.done(
        stage(),
        metrics("rows", facts.rows(), "columns", facts.columns(), "bytes", facts.bytes()),
        durationMs);
  }
}
