package ml.bqx.core.layout;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import ml.bqx.core.message.RunId;
import ml.bqx.core.pair.Pair;
import org.junit.jupiter.api.Test;

class StoreLayoutTest {
  private static final URI STAGING = URI.create("gs://bqx-staging/prefix");
  private static final RunId RUN = RunId.of("run-1");
  private static final Pair PAIR = Pair.parse("eurusd");

  @Test
  void ledger_isFoundAgainAsItsRun() {
    URI ledger = StoreLayout.ledger(STAGING, RUN);

    assertThat(ledger).hasToString("gs://bqx-staging/prefix/runs/run-1/ledger.json");
    assertThat(StoreLayout.runOfLedger(ledger)).isEqualTo(RUN);
  }

  @Test
  void checkpoints_liveInThePairsCache_outsideEveryRun() {
    assertThat(StoreLayout.cachedCheckpoint(STAGING, PAIR, "reg_eurusd", "0a1b"))
        .hasToString("gs://bqx-staging/prefix/cache/pairs/eurusd/reg_eurusd/0a1b.parquet");
    assertThat(StoreLayout.cachedMarker(STAGING, PAIR, "reg_eurusd", "0a1b"))
        .hasToString("gs://bqx-staging/prefix/cache/pairs/eurusd/reg_eurusd/0a1b.done.json");
    assertThat(StoreLayout.pairCache(STAGING, PAIR).toString())
        .startsWith("gs://bqx-staging/prefix/" + StoreLayout.CHECKPOINT_CACHE);
  }

  @Test
  void stagingFiles_liveUnderTheirRun() {
    assertThat(StoreLayout.stagingFile(STAGING, RUN, PAIR, 2))
        .hasToString(
            "gs://bqx-staging/prefix/runs/run-1/pairs/eurusd/staging/training_eurusd.attempt-2.parquet");
  }

  @Test
  void trainingFile_sitsAtTheOutputRoot() {
    assertThat(StoreLayout.trainingFile(URI.create("file:///out/"), PAIR))
        .hasToString("file:///out/training_eurusd.parquet");
  }
}
