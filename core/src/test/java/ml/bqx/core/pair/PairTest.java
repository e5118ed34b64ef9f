package ml.bqx.core.pair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PairTest {
  @Test
  void universe_hasTwentyEightPairs_inMarketOrder() {
    assertThat(PairUniverse.ALL).hasSize(28).isSorted().doesNotHaveDuplicates();
    assertThat(PairUniverse.ALL.get(0).name()).isEqualTo("eurgbp");
    assertThat(PairUniverse.ALL.get(27).name()).isEqualTo("chfjpy");
    assertThat(PairUniverse.ALL).extracting(Pair::name).contains("eurusd", "usdjpy", "audnzd");
  }

  @Test
  void production_isTheTwentySixPairsOtherThanThePilots() {
    assertThat(PairUniverse.PRODUCTION).hasSize(26);
    assertThat(PairUniverse.PRODUCTION).extracting(Pair::name).doesNotContain("eurusd", "gbpusd");
    assertThat(PairUniverse.PILOT).extracting(Pair::name).containsExactly("eurusd", "gbpusd");
  }

  @ParameterizedTest
  @ValueSource(strings = {"eurusd", "gbpusd", "usdjpy", "chfjpy", "audnzd"})
  void parse_acceptsEveryPairOfTheUniverse(String name) {
    assertThat(Pair.parse(name).name()).isEqualTo(name);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "EURUSD|'EURUSD' is not a pair: expected six lower-case letters, e.g. eurusd",
        "eurus|'eurus' is not a pair: expected six lower-case letters, e.g. eurusd",
        "eurusdx|'eurusdx' is not a pair: expected six lower-case letters, e.g. eurusd",
        "usdeur|'usdeur' is not a pair in market order (EUR GBP AUD NZD USD CAD CHF JPY)",
        "eureur|'eureur' is not a pair: both sides are EUR",
        "eurbtc|'eurbtc' is not a pair: 'btc' is not one of EUR GBP AUD NZD USD CAD CHF JPY",
        "eur;dr|'eur;dr' is not a pair: expected six lower-case letters, e.g. eurusd",
        "../etc|'../etc' is not a pair: expected six lower-case letters, e.g. eurusd",
      })
  void parse_refusesNonPairs_withAReasonNamingTheValue(String input, String reason) {
    InvalidPairException e = assertThrows(InvalidPairException.class, () -> Pair.parse(input));
    assertThat(e).hasMessage(reason);
  }

  @Test
  void parse_refusesMissingAndBlankValues() {
    assertThat(assertThrows(InvalidPairException.class, () -> Pair.parse(null)))
        .hasMessage("pair is missing");
    assertThat(assertThrows(InvalidPairException.class, () -> Pair.parse("  ")))
        .hasMessage("pair is missing");
  }

  @Test
  void parse_keepsControlCharactersOutOfTheReason() {
    InvalidPairException e = assertThrows(InvalidPairException.class, () -> Pair.parse("eur\nusd"));
    assertThat(e.getMessage()).doesNotContain("\n").contains("eur?usd");
  }

  @Test
  void parseList_keepsOrder_dropsRepeats_andRefusesTheFirstBadValue() {
    assertThat(PairUniverse.parseList("usdjpy, eurusd usdjpy"))
        .extracting(Pair::name)
        .containsExactly("usdjpy", "eurusd");
    assertThat(
            assertThrows(InvalidPairException.class, () -> PairUniverse.parseList("eurusd,xxxyyy")))
        .hasMessageContaining("'xxxyyy'");
    assertThat(assertThrows(InvalidPairException.class, () -> PairUniverse.parseList(" ")))
        .hasMessage("pair list is empty");
  }
}
