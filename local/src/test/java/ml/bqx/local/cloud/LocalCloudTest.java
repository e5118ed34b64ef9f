package ml.bqx.local.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.cloud.pubsub.v1.Publisher;
import com.google.cloud.pubsub.v1.TopicAdminClient;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.TopicName;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import ml.bqx.core.config.Deployment;
import ml.bqx.core.message.BusMessage;
import ml.bqx.core.testing.ChildProcesses;
import ml.bqx.local.pubsub.EmulatorClients;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local cloud built from the deployment's table, driven as a local run drives it: the real
 * Pub/Sub client publishing over gRPC, pushes to functions in the function host's child JVM, the
 * reconcile tick. The functions are recording stand-ins with the deployment's names and topics.
 */
@ExtendWith(ChildProcesses.class)
class LocalCloudTest {
  private static final String PROJECT = "bqx-local";
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void pushesEachFunctionFromItsTopic_bySubscriptionsNamedAsInTerraform_andCloseEndsTheHost()
      throws Exception {
    Path pushes = Files.createDirectories(dir.resolve("pushes"));
    List<BusMessage> heard = new CopyOnWriteArrayList<>();
    Set<ProcessHandle> before = Set.copyOf(ProcessHandle.current().children().toList());
    List<ProcessHandle> host;
    try (LocalCloud cloud =
            LocalCloud.start(
                PROJECT,
                standIns(),
                Map.of("BQX_TEST_PUSHES", pushes.toString(), "BQX_GIVEN", "kept"),
                dir.resolve("functions.log"),
                notice -> {});
        EmulatorClients clients = new EmulatorClients(cloud.pubsubHost())) {
      host = ProcessHandle.current().children().filter(p -> !before.contains(p)).toList();
      assertThat(host).as("the function host").hasSize(1);
      cloud.listen(Deployment.EVENTS_TOPIC, "bqx-test-listener", heard::add);
      try (TopicAdminClient admin = clients.topicAdmin()) {
        for (String topic : Deployment.TOPICS) {
          assertThat(admin.getTopic(TopicName.of(PROJECT, topic)).getName()).endsWith(topic);
        }
      }
      publish(clients, Deployment.PAIRS_TOPIC, "a pair");
      publish(clients, Deployment.EVENTS_TOPIC, "an event");
      cloud.startReconcileTick(Duration.ofMillis(100));

      for (Deployment.Function function : Deployment.FUNCTIONS) {
        String push = awaitPush(pushes, standInFor(function));
        assertThat(push)
            .contains("\"subscription\":\"projects/" + PROJECT + "/subscriptions/")
            .contains("/subscriptions/" + function.subscription() + "\"")
            .contains("PUBSUB_EMULATOR_HOST=" + cloud.pubsubHost())
            .contains("BQX_PAIRS_TOPIC=" + Deployment.PAIRS_TOPIC)
            .contains("BQX_EVENTS_TOPIC=" + Deployment.EVENTS_TOPIC)
            .contains("BQX_GIVEN=kept");
      }
      assertThat(awaitPush(pushes, RecordingPushes.Dispatch.class)).contains(base64("a pair"));
      assertThat(awaitPush(pushes, RecordingPushes.Completion.class)).contains(base64("an event"));
      await().atMost(PATIENCE).until(() -> !heard.isEmpty());
      assertThat(new String(heard.get(0).data(), StandardCharsets.UTF_8)).isEqualTo("an event");
      assertThat(cloud.environment())
          .containsEntry("PUBSUB_EMULATOR_HOST", cloud.pubsubHost())
          .containsEntry("BQX_GIVEN", "kept");
    }
    await().atMost(PATIENCE).until(() -> !host.get(0).isAlive());
  }

  @Test
  void aHostKilledWhileMessagesWait_isRestarted_theyReachTheNewOne_andAfterThreeItGivesUp()
      throws Exception {
    Path pushes = Files.createDirectories(dir.resolve("pushes"));
    Path log = dir.resolve("functions.log");
    List<String> notices = new CopyOnWriteArrayList<>();
    try (LocalCloud cloud =
            LocalCloud.start(
                PROJECT,
                standIns(),
                Map.of("BQX_TEST_PUSHES", pushes.toString()),
                log,
                notices::add);
        EmulatorClients clients = new EmulatorClients(cloud.pubsubHost())) {
      for (int restart = 1; restart <= FunctionHostSupervisor.MAX_RESTARTS; restart++) {
        kill(host());
        // Published while no host is up: its pushes fail until the subscription follows the host.
        publish(clients, Deployment.PAIRS_TOPIC, "while down " + restart);
        String body = base64("while down " + restart);
        await().atMost(PATIENCE).until(() -> pushContaining(pushes, body).isPresent());
        int restarts = restart;
        await().atMost(PATIENCE).until(() -> notices.size() == restarts);
        assertThat(notices.get(restart - 1))
            .isEqualTo(
                "the function host ended (exit code 137): restarted ("
                    + restart
                    + " of 3 restarts), log "
                    + log);
        assertThat(cloud.failure()).isEmpty();
      }
      kill(host());
      await().atMost(PATIENCE).until(() -> cloud.failure().isPresent());
      assertThat(cloud.failure().get())
          .isEqualTo("the function host ended (exit code 137) after 3 restarts: see " + log);
      assertThat(notices).hasSize(3);
    }
  }

  /** The one function host up now: this JVM's only live child. */
  private static ProcessHandle host() {
    await().atMost(PATIENCE).until(() -> ProcessHandle.current().children().count() == 1);
    return ProcessHandle.current().children().findFirst().orElseThrow();
  }

  private static void kill(ProcessHandle process) throws Exception {
    process.destroyForcibly(); // SIGKILL: no hook, no goodbye
    process.onExit().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
  }

  private static Optional<Path> pushContaining(Path pushes, String text) throws IOException {
    try (Stream<Path> files = Files.list(pushes)) {
      for (Path file : files.filter(f -> !f.toString().endsWith(".part")).toList()) {
        if (Files.readString(file, StandardCharsets.UTF_8).contains(text)) {
          return Optional.of(file);
        }
      }
    }
    return Optional.empty();
  }

  /** The deployment's functions, each served by a recording stand-in. */
  private static List<Deployment.Function> standIns() {
    return Deployment.FUNCTIONS.stream()
        .map(
            f ->
                new Deployment.Function(
                    f.component(), f.name(), standInFor(f).getName(), f.topic()))
        .toList();
  }

  private static Class<?> standInFor(Deployment.Function function) {
    return switch (function.component()) {
      case DISPATCH -> RecordingPushes.Dispatch.class;
      case COMPLETION -> RecordingPushes.Completion.class;
      case RECONCILE -> RecordingPushes.Reconcile.class;
      default -> throw new IllegalArgumentException("no stand-in for " + function);
    };
  }

  private static void publish(EmulatorClients clients, String topic, String data) throws Exception {
    Publisher publisher = clients.publisher(PROJECT, topic);
    try {
      publisher
          .publish(PubsubMessage.newBuilder().setData(ByteString.copyFromUtf8(data)).build())
          .get(30, TimeUnit.SECONDS);
    } finally {
      publisher.shutdown();
      publisher.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  /** A push the stand-in recorded, once there is one. */
  private static String awaitPush(Path pushes, Class<?> standIn) throws IOException {
    String prefix = standIn.getSimpleName() + "-";
    await().atMost(PATIENCE).until(() -> first(pushes, prefix).isPresent());
    return Files.readString(first(pushes, prefix).orElseThrow(), StandardCharsets.UTF_8);
  }

  private static Optional<Path> first(Path pushes, String prefix) throws IOException {
    try (Stream<Path> files = Files.list(pushes)) {
      return files.filter(f -> f.getFileName().toString().startsWith(prefix)).sorted().findFirst();
    }
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
