package dev.sluice.cli.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The number a measurement's value stands for, for the charts: a number ({@code 0.97}), or a list
 * holding exactly one number (a Prometheus vector of one series: {@code [0.97]}). Anything else
 * (text, several series, NaN) is not charted and is shown as text.
 */
public final class MeasurementValues {
  private static final ObjectMapper JSON = new ObjectMapper();

  private MeasurementValues() {}

  public static Double number(String value) {
    if (value == null || value.isBlank()) return null;
    String text = value.strip();
    if (text.startsWith("[")) {
      try {
        JsonNode list = JSON.readTree(text);
        if (list.isArray() && list.size() == 1 && list.get(0).isNumber()) return finite(list.get(0).asDouble());
        if (list.isArray() && list.size() == 1 && list.get(0).isTextual()) return plainNumber(list.get(0).asText());
      } catch (JsonProcessingException e) {
        return null;
      }
      return null;
    }
    return plainNumber(text);
  }

  private static Double plainNumber(String text) {
    // Double.parseDouble also takes "NaN", "Infinity" and "1d": only plain decimal numbers are charted
    if (!text.matches("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?")) return null;
    return finite(Double.parseDouble(text));
  }

  private static Double finite(double value) {
    return Double.isFinite(value) ? value : null;
  }
}
