package ml.bqx.core.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ContentionBackoffTest {
  @Test
  void wait_doublesFromTheFirstUpToTheMax() {
    ContentionBackoff backoff =
        new ContentionBackoff(Duration.ofSeconds(1), Duration.ofSeconds(8), 40);

    assertThat(backoff.wait(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(backoff.wait(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(backoff.wait(4)).isEqualTo(Duration.ofSeconds(8));
    assertThat(backoff.wait(39)).isEqualTo(Duration.ofSeconds(8));
  }

  @Test
  void storesBackOffFromASecondByDefault_asGcsTakesOneWriteASecondPerObject() {
    ContentionBackoff backoff = ContentionBackoff.ONE_WRITE_A_SECOND;

    assertThat(backoff.first()).isEqualTo(Duration.ofSeconds(1));
    // the longest run of lost races stays inside a function's 540 s, jitter included
    long worst = 0;
    for (int i = 1; i <= backoff.maxTries(); i++) {
      worst += backoff.wait(i).toMillis() * 3 / 2;
    }
    assertThat(worst).isLessThan(540_000);
  }

  @Test
  void refusesAFirstWaitLongerThanTheMax() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new ContentionBackoff(Duration.ofSeconds(9), Duration.ofSeconds(8), 1));
  }
}
