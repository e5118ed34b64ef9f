package ml.bqx.core.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import ml.bqx.core.json.Json;
import ml.bqx.core.ledger.PairState;
import ml.bqx.core.ledger.RunSettings;
import ml.bqx.core.message.RunId;
import ml.bqx.core.message.StageEvent;
import ml.bqx.core.pair.PairUniverse;
import ml.bqx.core.testing.ControlHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the failed-pair alert counts: one structured line when a pair ends FAILED, none for an
 * attempt that is retried, none again when the terminal event is delivered twice.
 */
class PairFailedLogTest {
  private static final RunId RUN = RunId.of("alerts");
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream originalErr;

  @BeforeEach
  void captureStderr() {
    originalErr = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restoreStderr() {
    System.setErr(originalErr);
  }

  private List<JsonNode> pairFailedLines() {
    return err.toString(StandardCharsets.UTF_8)
        .lines()
        .filter(line -> line.startsWith("{"))
        .map(line -> Json.fromBytes(line.getBytes(StandardCharsets.UTF_8), JsonNode.class))
        .filter(json -> PairFailedLog.PAIR_FAILED.equals(json.path(PairFailedLog.EVENT).asText()))
        .toList();
  }

  @Test
  void aPairThatFailsForGood_logsOneLine_retriesAndRedeliveriesNone() throws IOException {
    ControlHarness h = new ControlHarness(8);
    h.control.create(RUN, PairUniverse.PRODUCTION.subList(0, 1), new RunSettings(4, 2, 0));
    h.drain();
    h.fail(h.launcher.running().get(0), true);
    h.drain();

    assertThat(pairFailedLines()).isEmpty(); // attempt 1 failed, attempt 2 is on its way

    StageEvent last = h.fail(h.launcher.running().get(0), true);
    h.drain();
    h.deliver(ControlHarness.EVENTS, last.toBusMessage()); // Pub/Sub delivers at least once

    assertThat(h.ledger(RUN).pairs().get(0).state()).isEqualTo(PairState.FAILED);
    assertThat(pairFailedLines())
        .singleElement()
        .satisfies(
            line -> {
              assertThat(line.path("severity").asText()).isEqualTo("ERROR");
              assertThat(line.path(PairFailedLog.PAIR).asText())
                  .isEqualTo(PairUniverse.PRODUCTION.get(0).name());
              assertThat(line.path(PairFailedLog.RUN).asText()).isEqualTo(RUN.value());
              assertThat(line.path(PairFailedLog.ATTEMPT).asInt()).isEqualTo(2);
              assertThat(line.path("message").asText())
                  .contains("failed after attempt 2: extract failed: table x unreadable");
            });
  }
}
