package ml.bqx.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import ml.bqx.core.message.BusMessage;
import ml.bqx.core.message.OutputFacts;
import ml.bqx.core.message.RunId;
import ml.bqx.core.message.Stage;
import ml.bqx.core.message.StageEvent;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.port.EventPublisher;
import org.junit.jupiter.api.Test;

/** A bus that stops answering costs the job one try per event at most until its terminal one. */
class JobEventsTest {
  /** A bus that refuses every publish after the first {@code accepted}, recording each try. */
  private static final class FailingBus implements EventPublisher {
    final List<StageEvent> tried = new ArrayList<>();
    private final int accepted;

    FailingBus(int accepted) {
      this.accepted = accepted;
    }

    @Override
    public String publish(String topic, BusMessage message) throws IOException {
      tried.add(StageEvent.parse(message));
      if (tried.size() > accepted) {
        throw new IOException("UNAVAILABLE: connection refused");
      }
      return "id-" + tried.size();
    }

    @Override
    public void close() {}
  }

  private static JobEvents events(FailingBus bus) {
    return new JobEvents(
        bus,
        "bqx-stage-events",
        new JobSettings.Identity(Pair.parse("eurusd"), RunId.of("bus-down"), 1),
        Clock.fixed(Instant.parse("2026-11-28T10:00:00Z"), ZoneOffset.UTC));
  }

  @Test
  void publish_afterTheBusFails_skipsProgressButStillTriesTheTerminalEvent() {
    FailingBus bus = new FailingBus(1);
    JobEvents events = events(bus);

    events.started(Stage.EXTRACT, "extract started", Map.of());
    events.progress(Stage.EXTRACT, "1/7 tables", Map.of()); // refused: the bus is down
    events.progress(Stage.EXTRACT, "2/7 tables", Map.of());
    events.succeeded(Stage.EXTRACT, "7 tables", Map.of(), null);
    events.succeeded(
        Stage.JOB, "job succeeded", Map.of(), new OutputFacts("file:///o", 10, "AAAAAA==", 1, 1));

    assertThat(bus.tried)
        .extracting(e -> e.stage() + " " + e.status() + " " + e.message())
        .containsExactly(
            "EXTRACT STARTED extract started",
            "EXTRACT PROGRESS 1/7 tables",
            "JOB SUCCEEDED job succeeded");
  }

  @Test
  void publish_whileTheBusAnswers_sendsEveryEvent() {
    FailingBus bus = new FailingBus(Integer.MAX_VALUE);
    JobEvents events = events(bus);

    events.started(Stage.EXTRACT, "extract started", Map.of());
    events.progress(Stage.EXTRACT, "1/7 tables", Map.of());
    events.failed(Stage.JOB, "job failed", true, Map.of());

    assertThat(bus.tried).hasSize(3);
  }
}
