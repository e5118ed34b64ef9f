package ml.bqx.functions;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import ml.bqx.core.control.ControlContext;
import ml.bqx.core.control.StoredObjectVerifier;
import ml.bqx.core.ledger.RunSettings;
import ml.bqx.core.message.BusMessage;
import ml.bqx.core.message.RunId;
import ml.bqx.core.pair.PairUniverse;
import ml.bqx.core.port.StoreUris;
import ml.bqx.core.port.WritePrecondition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reconcile runs every few minutes over a staging bucket where each pair in flight keeps about
 * 1,300 checkpoints and markers (and a failed pair's stay 30 days): it lists the ledgers only.
 */
class ReconcileListingTest {
  @TempDir Path dir;

  @Test
  void reconcile_listsTheLedgersOnly_notTheCheckpointsBesideThem() throws IOException {
    Harness h = new Harness(dir, 8);
    List<RunId> runs = List.of(RunId.of("r1"), RunId.of("r2"));
    for (RunId run : runs) {
      h.control.create(run, PairUniverse.PRODUCTION.subList(0, 2), new RunSettings(2, 3, 0));
    }
    h.drain();
    for (int i = 0; i < 500; i++) {
      h.store.write(
          StoreUris.resolve(h.staging, "runs/r1/eurusd/attempt-1/checkpoints/t" + i + ".parquet"),
          new byte[] {1},
          WritePrecondition.none());
    }
    CountingObjectStore counting = new CountingObjectStore(h.store);
    ControlContext context =
        new ControlContext(
            counting,
            h.staging,
            h.launcher,
            h.publisher,
            new StoredObjectVerifier(counting),
            h.clock,
            h.context.settings());

    new ReconcileFunction(context)
        .accept(Harness.cloudEvent("bqx-reconcile", new BusMessage(new byte[0], Map.of()), "r1"));

    assertThat(counting.listedByGlob.get()).isEqualTo(runs.size());
    assertThat(counting.listedByPrefix.get()).isZero();
    assertThat(context.ledgers().runs()).containsExactlyInAnyOrderElementsOf(runs);
  }
}
