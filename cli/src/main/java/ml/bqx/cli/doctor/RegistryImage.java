package ml.bqx.cli.doctor;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Artifact Registry name of a Docker image reference {@code LOCATION-docker.pkg.dev/PROJECT/
 * REPOSITORY/IMAGE:TAG} (or {@code @sha256:DIGEST}): its tag {@code projects/P/locations/L/
 * repositories/R/packages/IMAGE/tags/TAG}, or its version {@code .../versions/sha256:DIGEST}. A
 * nested image name's slashes are escaped in the package part, as Artifact Registry names them
 * (cloud.google.com/artifact-registry/docs/reference/rest/v1/projects.locations.repositories.packages.tags:
 * "If the package part contains slashes, the slashes are escaped").
 */
final class RegistryImage {
  private static final Pattern REFERENCE =
      Pattern.compile(
          "([a-z0-9-]+)-docker\\.pkg\\.dev/([^/]+)/([^/]+)/([^:@]+)(?::([^@]+)|@(sha256:[0-9a-f]{64}))");

  private RegistryImage() {}

  /** The tag's or version's name, or empty for an image not in Artifact Registry. */
  static Optional<String> name(String image) {
    Matcher m = REFERENCE.matcher(image);
    if (!m.matches()) {
      return Optional.empty();
    }
    String pkg =
        "projects/"
            + m.group(2)
            + "/locations/"
            + m.group(1)
            + "/repositories/"
            + m.group(3)
            + "/packages/"
            + URLEncoder.encode(m.group(4), StandardCharsets.UTF_8);
    return Optional.of(
        m.group(5) != null ? pkg + "/tags/" + m.group(5) : pkg + "/versions/" + m.group(6));
  }
}
