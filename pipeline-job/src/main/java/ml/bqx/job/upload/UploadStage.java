package ml.bqx.job.upload;

import static ml.bqx.job.stage.StageReport.metrics;

import java.io.IOException;
import ml.bqx.core.message.Stage;
import ml.bqx.core.port.ObjectInfo;
import ml.bqx.core.port.ObjectStore;
import ml.bqx.job.stage.JobPaths;
import ml.bqx.job.stage.JobStage;
import ml.bqx.job.stage.StageProgress;
import ml.bqx.job.stage.StageReport;

/** Stage 4: the validated staging file becomes the pair's training file. */
public final class UploadStage implements JobStage<ObjectInfo> {
  private final ObjectStore output;
  private final JobPaths paths;
  private final String crc32c;

  /**
   * @param crc32c the staging file's, as the merge's upload reported it
   */
  public UploadStage(ObjectStore output, JobPaths paths, String crc32c) {
    this.output = output;
    this.paths = paths;
    this.crc32c = crc32c;
  }

  @Override
  public Stage stage() {
    return Stage.UPLOAD;
  }

  @Override
  public ObjectInfo run(StageProgress progress) throws IOException {
    return new TrainingFilePublisher(output)
        .publish(paths.stagingFile(), crc32c, paths.trainingFile());
  }

  @Override
  public StageReport succeeded(ObjectInfo published, long durationMs) {
    return StageReport.done(stage(), metrics("bytes", published.size()), durationMs);
  }
}
