package ml.bqx.local.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  @Test
  void backoff_doublesPerFailure_andIsCappedAtMaximum() {
    RetryPolicy policy = new RetryPolicy(Duration.ofSeconds(10), Duration.ofSeconds(60));

    assertThat(policy.backoff(1)).isEqualTo(Duration.ofSeconds(10));
    assertThat(policy.backoff(2)).isEqualTo(Duration.ofSeconds(20));
    assertThat(policy.backoff(3)).isEqualTo(Duration.ofSeconds(40));
    assertThat(policy.backoff(4)).isEqualTo(Duration.ofSeconds(60));
    assertThat(policy.backoff(100)).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void backoff_ofZeroMinimum_staysZero() {
    assertThat(new RetryPolicy(Duration.ZERO, Duration.ofSeconds(5)).backoff(7))
        .isEqualTo(Duration.ZERO);
  }

  @Test
  void policy_whenMinimumAboveMaximum_isRefused() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new RetryPolicy(Duration.ofSeconds(20), Duration.ofSeconds(10)));
    assertThat(e).hasMessage("retry minimum backoff PT20S is greater than the maximum PT10S");
  }

  @Test
  void policy_whenNegativeOrBeyondPubSubLimit_isRefused() {
    assertThat(
            assertThrows(
                IllegalArgumentException.class,
                () -> new RetryPolicy(Duration.ofSeconds(-1), Duration.ofSeconds(10))))
        .hasMessageContaining("must not be negative");
    assertThat(
            assertThrows(
                IllegalArgumentException.class,
                () -> new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(601))))
        .hasMessage("retry maximum backoff PT10M1S exceeds Pub/Sub's limit of PT10M");
  }

  @Test
  void backoff_beforeAnyFailure_isRefused() {
    assertThrows(IllegalArgumentException.class, () -> RetryPolicy.PUBSUB_DEFAULT.backoff(0));
  }
}
