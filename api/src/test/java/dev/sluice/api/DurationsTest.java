package dev.sluice.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.IntOrString;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  @ParameterizedTest(name = "\"{0}\" = {1}")
  @CsvSource({
      "30,       PT30S",
      "0,        PT0S",
      "30s,      PT30S",
      "5m,       PT5M",
      "1h,       PT1H",
      "1h30m,    PT1H30M",
      "2h45m10s, PT2H45M10S",
      "250ms,    PT0.25S",
      "1.5s,     PT1.5S",
      ".5s,      PT0.5S",
      "1.5h,     PT1H30M",
      "100us,    PT0.0001S",
      "100µs,    PT0.0001S",
      "42ns,     PT0.000000042S",
      "1m0.5s,   PT1M0.5S",
      "+10s,     PT10S",
  })
  void parsesIntegerSecondsAndGoDurations(String text, String expected) {
    assertThat(Durations.parse(new IntOrString(text))).isEqualTo(Duration.parse(expected));
  }

  @ParameterizedTest(name = "{0} seconds")
  @ValueSource(ints = {0, 1, 30, 3600})
  void parsesAnIntegerAsSeconds(int seconds) {
    assertThat(Durations.parse(new IntOrString(seconds))).isEqualTo(Duration.ofSeconds(seconds));
  }

  @ParameterizedTest(name = "\"{0}\" is rejected")
  @ValueSource(strings = {"", " ", "abc", "10x", "1h 30m", "s", "5 m", "1.2.3s", "-5s", "-5", "1d", "30S", "5m30", "9999999999999999999999h"})
  void rejectsAnythingElseWithAClearMessage(String text) {
    assertThatThrownBy(() -> Durations.parse(new IntOrString(text)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid duration \"" + text + "\"");
  }

  @ParameterizedTest(name = "{0} seconds is rejected")
  @ValueSource(ints = {-1, -30})
  void rejectsNegativeSeconds(int seconds) {
    assertThatThrownBy(() -> Durations.parse(new IntOrString(seconds)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not be negative");
  }

  @Test
  void rejectsAMissingValue() {
    assertThatThrownBy(() -> Durations.parse((IntOrString) null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("duration is missing");
  }

  @Test
  void rejectsALongRepetitionQuicklyInsteadOfOverflowingTheStack() {
    // "1s" x 500 overflowed the stack of the regular expression that used to check durations
    assertThatThrownBy(() -> Durations.parse("1s".repeat(500)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("(1000 characters): at most 64 characters");
    // "1" x 16000 + "x" took seconds of backtracking
    assertThatThrownBy(() -> Durations.parse("1".repeat(16_000) + "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most 64 characters");
  }

  @Test
  void acceptsManyPartsUpToTheLengthLimit() {
    assertThat(Durations.parse("1s".repeat(32))).isEqualTo(Duration.ofSeconds(32));
  }

  @ParameterizedTest(name = "\"{0}\" is too large")
  @ValueSource(strings = {"99999999999999999s", "99999999999999999", "87601h", "315360001", "2562047h47m16.854775807s"})
  void rejectsDurationsBeyondTenYears(String text) {
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid duration \"" + text + "\": too large, at most 87600h (10 years)");
  }

  @Test
  void acceptsExactlyTenYears() {
    assertThat(Durations.parse("87600h")).isEqualTo(Durations.MAX);
    assertThat(Durations.parse(new IntOrString(315_360_000))).isEqualTo(Durations.MAX);
    assertThatThrownBy(() -> Durations.parse(new IntOrString(315_360_001))).hasMessageContaining("too large");
  }
}
