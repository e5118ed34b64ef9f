package ml.bqx.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OneLineTest {
  @Test
  void keepsTheFirstLineOnly() {
    assertThat(OneLine.of("Binder Error: no column x\r\n\nLINE 1: SELECT x"))
        .isEqualTo("Binder Error: no column x");
  }

  @Test
  void missingOrBlankText_saysSo() {
    assertThat(OneLine.of(null)).isEqualTo("no reason given");
    assertThat(OneLine.of(" \n ")).isEqualTo("no reason given");
  }

  @Test
  void leadingBlankLines_doNotHideTheReason() {
    assertThat(OneLine.of("\n  disk full  \nat ...")).isEqualTo("disk full");
  }
}
