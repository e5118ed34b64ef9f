package ml.bqx.local.cloud;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * Stand-ins for the deployed push entry points, hosted in the function host's child JVM: each
 * writes what it was pushed, and the settings it runs with, into a file under {@code
 * $BQX_TEST_PUSHES}, named after itself (the child's memory is not the test's).
 */
public final class RecordingPushes {
  /** The settings a function reads that the local cloud provides or passes on. */
  static final List<String> SETTINGS =
      List.of("PUBSUB_EMULATOR_HOST", "BQX_PAIRS_TOPIC", "BQX_EVENTS_TOPIC", "BQX_GIVEN");

  private RecordingPushes() {}

  /** Records the push body, then one {@code KEY=value} line per setting. */
  abstract static class Recording implements HttpFunction {
    @Override
    public void service(HttpRequest request, HttpResponse response) throws Exception {
      StringBuilder text =
          new StringBuilder(
              new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
      for (String key : SETTINGS) {
        text.append('\n').append(key).append('=').append(System.getenv(key));
      }
      Path dir = Path.of(System.getenv("BQX_TEST_PUSHES"));
      Path part = dir.resolve(UUID.randomUUID() + ".part");
      Files.writeString(part, text, StandardCharsets.UTF_8);
      // Whole files only: the test reads a push once its name appears.
      Files.move(part, dir.resolve(getClass().getSimpleName() + "-" + UUID.randomUUID()));
    }
  }

  /** Stands in for the dispatch function. */
  public static final class Dispatch extends Recording {}

  /** Stands in for the completion function. */
  public static final class Completion extends Recording {}

  /** Stands in for the reconcile function. */
  public static final class Reconcile extends Recording {}
}
