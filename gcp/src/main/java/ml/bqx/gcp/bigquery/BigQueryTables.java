package ml.bqx.gcp.bigquery;

import java.net.URI;
import java.util.regex.Pattern;

/** Reads and checks the project and dataset of a {@code bigquery://PROJECT/DATASET} URI. */
final class BigQueryTables {
  static final String SCHEME = "bigquery";

  /** Project ids (optionally domain-scoped, {@code example.com:proj}): they go into SQL. */
  private static final Pattern PROJECT =
      Pattern.compile("([a-z][a-z0-9.-]*[a-z0-9]:)?[a-z][a-z0-9-]{4,28}[a-z0-9]");

  private static final Pattern DATASET = Pattern.compile("[A-Za-z0-9_]{1,1024}");

  private BigQueryTables() {}

  static String project(String project) {
    if (project == null || !PROJECT.matcher(project).matches()) {
      throw new IllegalArgumentException("'" + project + "' is not a Google Cloud project id");
    }
    return project;
  }

  static String dataset(String dataset) {
    if (dataset == null || !DATASET.matcher(dataset).matches()) {
      throw new IllegalArgumentException(
          "'" + dataset + "' is not a BigQuery dataset name: letters, digits and underscores");
    }
    return dataset;
  }

  /** {@code [project, dataset]} of the URI; refuses any other shape with a reason. */
  static String[] projectAndDataset(URI uri) {
    if (!SCHEME.equalsIgnoreCase(uri.getScheme())) {
      throw new IllegalArgumentException("'" + uri + "' is not a bigquery:// URI");
    }
    String path = uri.getPath() == null ? "" : uri.getPath();
    if (uri.getAuthority() == null || !path.matches("/[^/]+/?")) {
      throw new IllegalArgumentException(
          "'" + uri + "' names no dataset: expected bigquery://PROJECT/DATASET");
    }
    return new String[] {project(uri.getAuthority()), dataset(path.replaceAll("^/|/$", ""))};
  }
}
