package dev.sluice.cli.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class MeasurementValuesTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "0.97         | 0.97",
      "' 12 '       | 12",
      "-3.5e-2      | -0.035",
      ".5           | 0.5",
      "[0.97]       | 0.97",
      "[ 42 ]       | 42",
      "[\"0.25\"]   | 0.25",
  })
  void aNumberOrAListOfOneNumberIsCharted(String value, double expected) {
    assertThat(MeasurementValues.number(value)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "[{index}] \"{0}\"")
  @NullAndEmptySource
  @ValueSource(strings = {"NaN", "[NaN]", "Infinity", "-Infinity", "1d", "0x10", "true", "ok", "[0.1, 0.2]", "[]",
      "{\"ok\":true}", "[", "<b>1</b>", "[\"x\"]"})
  void anythingElseIsNot(String value) {
    assertThat(MeasurementValues.number(value)).isNull();
  }
}
