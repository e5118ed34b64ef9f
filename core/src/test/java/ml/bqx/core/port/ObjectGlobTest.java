package ml.bqx.core.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ObjectGlobTest {
  @Test
  void star_staysInOneSegment_doubleStarCrossesThem() {
    ObjectGlob one = ObjectGlob.of("*/ledger.json");
    ObjectGlob any = ObjectGlob.of("**/ledger.json");

    assertThat(one.matches("r1/ledger.json")).isTrue();
    assertThat(one.matches("r1/eurusd/ledger.json")).isFalse();
    assertThat(one.matches("ledger.json")).isFalse();
    assertThat(one.matches("r1/ledger.jsonx")).isFalse();
    assertThat(any.matches("ledger.json")).isTrue();
    assertThat(any.matches("r1/eurusd/ledger.json")).isTrue();
    assertThat(ObjectGlob.of("r?/a.json").matches("r1/a.json")).isTrue();
    assertThat(ObjectGlob.of("r?/a.json").matches("r/a.json")).isFalse();
    assertThat(ObjectGlob.of("a.b").matches("axb")).isFalse();
  }

  @Test
  void refusesWhatNotEveryStoreReadsAlike() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ObjectGlob.of("runs/{a,b}/x"));
    assertThat(e).hasMessage("glob 'runs/{a,b}/x' uses '{': only *, ** and ? are supported");
  }
}
