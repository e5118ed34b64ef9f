package ml.bqx.cli.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The progress printer's plain output, when stdout is no terminal. */
class ProgressPrinterTest {
  @Test
  void plainOutput_printsALineWhenTheRunChanges_notWhenOnlyTheFiguresMove() {
    String before = "[12s] 1/3 done, 0 failed, 2 running, 0 queued | 42 tables/min | ETA 24s | a:x";
    String later = "[13s] 1/3 done, 0 failed, 2 running, 0 queued | 45 tables/min | ETA 26s | a:x";
    String moved =
        "[13s] 1/3 done, 0 failed, 2 running, 0 queued | 45 tables/min | ETA - | a:merge";
    assertThat(ProgressPrinter.withoutClocks(later))
        .isEqualTo(ProgressPrinter.withoutClocks(before));
    assertThat(ProgressPrinter.withoutClocks(moved))
        .isNotEqualTo(ProgressPrinter.withoutClocks(before));
  }
}
