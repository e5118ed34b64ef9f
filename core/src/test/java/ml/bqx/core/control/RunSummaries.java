package ml.bqx.core.control;

import java.util.List;
import ml.bqx.core.message.Attributes;
import ml.bqx.core.report.RunSummary;
import ml.bqx.core.testing.ControlHarness;
import ml.bqx.core.testing.RecordingPublisher;

/** The run summaries published on the events topic, in order. */
final class RunSummaries {
  private RunSummaries() {}

  static List<RunSummary> of(RecordingPublisher publisher) {
    return publisher.on(ControlHarness.EVENTS).stream()
        .filter(p -> RunSummary.KIND.equals(p.message().attribute(Attributes.KIND)))
        .map(p -> RunSummary.parse(p.message()))
        .toList();
  }
}
