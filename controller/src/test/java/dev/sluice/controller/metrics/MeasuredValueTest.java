package dev.sluice.controller.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalDouble;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MeasuredValueTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', nullValues = "none", value = {
      "0.01           | 0.01",
      "[0.01]         | 0.01",
      "'[0.5,0.7]'    | 0.5",
      "' [ 12 ] '     | 12",
      "NaN            | NaN",
      "[+Inf]         | Infinity",
      "-Inf           | -Infinity",
      "[]             | none",
      "'{\"ok\":true}'| none",
      "ok             | none",
      "none           | none"})
  void theFirstNumberOfAMeasuredValue(String value, String expected) {
    OptionalDouble parsed = MeasuredValue.firstNumber(value);
    if (expected == null) {
      assertThat(parsed).isEmpty();
    } else {
      assertThat(parsed).hasValue(Double.parseDouble(expected));
    }
  }
}
