package ml.bqx.job.extract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalInt;
import ml.bqx.job.extract.ExtractConcurrency.Choice;
import ml.bqx.job.extract.ExtractConcurrency.Machine;
import org.junit.jupiter.api.Test;

/** The concurrency the extractor chooses from the machine and the tables, and why. */
class ExtractConcurrencyTest {
  private static final long GIB = 1L << 30;
  private static final long MIB = 1L << 20;

  /** The seed's scale: 100,800 rows, 16 feature columns a table, 100,000-row row groups. */
  private static final long ROWS = 100_800;

  private static final int COLUMNS = 16;
  private static final int ROW_GROUP = 100_000;

  /** Cloud Run 4 vCPU / 12 GiB, the Dockerfile's -XX:MaxRAMPercentage=70. */
  private static final Machine CLOUD_RUN = new Machine(4, (long) (12 * GIB * 0.7), 12 * GIB);

  @Test
  void onCloudRun_atTheSeedsScale_theCpusBound_andTheHeapHasRoomToSpare() {
    Choice choice =
        new ExtractConcurrency(OptionalInt.empty(), CLOUD_RUN).choose(ROWS, 16, 100_000);

    assertThat(choice.tables()).isEqualTo(16);
    assertThat(choice.reason())
        .isEqualTo(
            "fitted to the machine: 4 CPUs allow 16, a heap of 8601 MiB allows 161 tables of ~52"
                + " MiB (100800 rows x 16 columns), 12288 MiB of memory allows 385");
  }

  @Test
  void underA128MiBHeap_atTheSeedsScale_oneTableFits_notTheFourThatRanOutOfHeap() {
    Machine small = new Machine(4, 128 * MIB, 12 * GIB);

    Choice choice = new ExtractConcurrency(OptionalInt.empty(), small).choose(ROWS, 16, 100_000);

    assertThat(choice.tables()).isEqualTo(1);
    assertThat(choice.reason()).contains("a heap of 128 MiB allows 1 tables of ~52 MiB");
  }

  @Test
  void theHeapBound_growsWithTheHeap_andShrinksWithTheTablesWidth() {
    Machine machine = new Machine(64, 1024 * MIB, 64 * GIB);
    ExtractConcurrency sizing = new ExtractConcurrency(OptionalInt.empty(), machine);

    int narrow = sizing.choose(ROWS, COLUMNS, ROW_GROUP).tables();
    int wide = sizing.choose(ROWS, COLUMNS * 4, ROW_GROUP).tables();

    assertThat(narrow)
        .isEqualTo(
            (int)
                ((1024 * MIB - ExtractConcurrency.RESERVE - ROWS * 16)
                    / ExtractConcurrency.heapPerTable(ROWS, COLUMNS, ROW_GROUP)));
    assertThat(wide).isLessThan(narrow).isPositive();
  }

  @Test
  void manyCpus_areCappedAtTheMost() {
    Machine big = new Machine(64, 64 * GIB, 96 * GIB);

    assertThat(new ExtractConcurrency(OptionalInt.empty(), big).choose(1_000, 4, 1_000).tables())
        .isEqualTo(ExtractConcurrency.MOST);
  }

  @Test
  void theOverride_wins_andTheReasonSaysWhatTheMachineWouldHaveChosen() {
    Machine small = new Machine(4, 128 * MIB, 12 * GIB);
    ExtractConcurrency sizing = new ExtractConcurrency(OptionalInt.of(4), small);

    Choice choice = sizing.choose(ROWS, 16, 100_000);

    assertThat(sizing.upperBound()).isEqualTo(4);
    assertThat(choice.tables()).isEqualTo(4);
    assertThat(choice.reason())
        .startsWith("BQX_EXTRACT_CONCURRENCY=4 (fitted to the machine it would be 1: ");
  }

  @Test
  void beforeTheTablesAreKnown_theBoundIsTheCpus() {
    assertThat(new ExtractConcurrency(OptionalInt.empty(), CLOUD_RUN).upperBound()).isEqualTo(16);
  }
}
