package ml.bqx.core.control;

import static ml.bqx.core.verify.OutputExpectation.STORE_FACTS;

import java.io.IOException;
import java.net.URI;
import java.util.Map;
import ml.bqx.core.layout.StoreLayout;
import ml.bqx.core.ledger.PairRecord;
import ml.bqx.core.message.OutputFacts;
import ml.bqx.core.message.RunId;
import ml.bqx.core.message.Stage;
import ml.bqx.core.verify.Verdict;

/**
 * Speaks for an execution that ended SUCCEEDED but whose terminal event never reached us
 * (reconcile) or is not waited for (a runner that is stopping): the file it published. It must pass
 * the completion's own check, with the run, pair and attempt its footer must carry and the store's
 * size and CRC32C (the job's were in the event); then the attempt succeeded. A missing or
 * unverifiable file is a retryable failure.
 */
final class PublishedOutput {
  private final ControlContext context;

  PublishedOutput(ControlContext context) {
    this.context = context;
  }

  AttemptResult judge(RunId run, PairRecord record) throws IOException {
    URI uri = StoreLayout.trainingFile(context.settings().outputRoot(), record.pair());
    Verdict verdict =
        context
            .verifier()
            .verify(
                context
                    .settings()
                    .expectation(uri, run, record.pair(), record.attempt(), null, STORE_FACTS));
    if (!verdict.valid()) {
      return AttemptResult.failure(
          Stage.VALIDATE,
          "execution "
              + record.execution()
              + " ended SUCCEEDED without its terminal event and its output was rejected: "
              + verdict.reason(),
          true,
          Map.of());
    }
    OutputFacts facts =
        verdict.facts() != null ? verdict.facts() : new OutputFacts(uri.toString(), 0, null, 0, 0);
    return AttemptResult.success(facts, Map.of());
  }
}
