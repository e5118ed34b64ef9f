package ml.bqx.gcp.run;

import com.google.cloud.run.v2.JobName;
import java.net.URI;

/** Reads the Cloud Run job a {@code cloudrun://projects/P/locations/R/jobs/J} URI names. */
final class CloudRunJobs {
  static final String SCHEME = "cloudrun";

  private CloudRunJobs() {}

  /** The job's resource name, {@code projects/P/locations/R/jobs/J}; refuses any other shape. */
  static String jobName(URI uri) {
    if (!SCHEME.equalsIgnoreCase(uri.getScheme())) {
      throw new IllegalArgumentException("'" + uri + "' is not a cloudrun:// URI");
    }
    String name = (uri.getAuthority() == null ? "" : uri.getAuthority()) + uri.getPath();
    String[] parts = name.split("/", -1);
    boolean shaped =
        parts.length == 6
            && parts[0].equals("projects")
            && parts[2].equals("locations")
            && parts[4].equals("jobs")
            && !parts[1].isEmpty()
            && !parts[3].isEmpty()
            && !parts[5].isEmpty();
    if (!shaped || !JobName.isParsableFrom(name)) {
      throw new IllegalArgumentException(
          "'" + uri + "' names no job: expected cloudrun://projects/P/locations/R/jobs/J");
    }
    return name;
  }
}
