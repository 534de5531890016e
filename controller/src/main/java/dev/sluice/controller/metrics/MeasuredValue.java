package dev.sluice.controller.metrics;

import java.util.OptionalDouble;

/**
 * The number in a measurement's value as the providers write it: {@code 0.01}, {@code [0.01]},
 * {@code [0.01,0.02]} (the first is taken), {@code NaN}, {@code +Inf}. Anything else (a JSON
 * object, a word, an empty list) has no number.
 */
final class MeasuredValue {
  private MeasuredValue() {}

  static OptionalDouble firstNumber(String value) {
    if (value == null) return OptionalDouble.empty();
    String text = value.strip();
    if (text.startsWith("[") && text.endsWith("]")) {
      text = text.substring(1, text.length() - 1);
      int comma = text.indexOf(',');
      if (comma >= 0) text = text.substring(0, comma);
      text = text.strip();
    }
    if (text.equals("+Inf") || text.equals("Inf")) return OptionalDouble.of(Double.POSITIVE_INFINITY);
    if (text.equals("-Inf")) return OptionalDouble.of(Double.NEGATIVE_INFINITY);
    try {
      return OptionalDouble.of(Double.parseDouble(text));
    } catch (NumberFormatException e) {
      return OptionalDouble.empty();
    }
  }
}
