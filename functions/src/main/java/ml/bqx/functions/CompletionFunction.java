package ml.bqx.functions;

import java.io.IOException;
import ml.bqx.core.control.CompletionHandler;
import ml.bqx.core.control.ControlContext;
import ml.bqx.core.message.Attributes;
import ml.bqx.core.message.BusMessage;
import ml.bqx.core.message.Stage;
import ml.bqx.core.message.StageEvent;

/**
 * Pub/Sub topic bqx-stage-events: on a job's terminal event, verifies the output, ends the attempt,
 * promotes queued pairs and finishes the run. Other events (progress, run summaries, error events
 * that share the topic) are skipped from their attributes alone.
 */
public final class CompletionFunction extends PubSubFunction {
  public CompletionFunction() {}

  public CompletionFunction(ControlContext context) {
    super(context);
  }

  @Override
  String name() {
    return "completion";
  }

  @Override
  String handle(BusMessage message, ControlContext context) throws IOException {
    String kind = message.attribute(Attributes.KIND);
    if (kind != null && !kind.equals(StageEvent.KIND)) {
      return "skipped a " + kind + " message";
    }
    String stage = message.attribute(Attributes.STAGE);
    if (stage != null && !stage.equals(Stage.JOB.wireName())) {
      return "skipped a " + stage + " event";
    }
    return new CompletionHandler(context).handle(StageEvent.parse(message)).toString();
  }
}
