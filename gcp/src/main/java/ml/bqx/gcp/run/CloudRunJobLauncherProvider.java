package ml.bqx.gcp.run;

import com.google.cloud.run.v2.ExecutionsClient;
import com.google.cloud.run.v2.JobsClient;
import java.io.IOException;
import java.net.URI;
import ml.bqx.core.config.BqxConfig;
import ml.bqx.core.port.JobLauncher;
import ml.bqx.core.port.JobLauncherProvider;

/** Opens {@link CloudRunJobLauncher} for {@code cloudrun://projects/P/locations/R/jobs/J}. */
public final class CloudRunJobLauncherProvider implements JobLauncherProvider {
  @Override
  public String scheme() {
    return CloudRunJobs.SCHEME;
  }

  @Override
  public JobLauncher open(URI uri, BqxConfig config) throws IOException {
    String job = CloudRunJobs.jobName(uri);
    return new CloudRunJobLauncher(job, JobsClient.create(), ExecutionsClient.create());
  }
}
