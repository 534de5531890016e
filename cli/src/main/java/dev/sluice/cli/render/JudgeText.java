package dev.sluice.cli.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Locale;
import java.util.Optional;

/**
 * A judge measurement's value ({@code {"verdict":...,"canary":{"n","mean"},"baseline":{...},"effect":...}})
 * as people read it: {@code fail: canary 0.02 (n=30) vs baseline 0.01 (n=30), effect +98.0%}.
 */
public final class JudgeText {
  private static final ObjectMapper JSON = new ObjectMapper();

  private JudgeText() {}

  /** The summary, or empty when the value is not a judge's. */
  public static Optional<String> of(String value) {
    if (value == null || !value.startsWith("{\"verdict\":")) return Optional.empty();
    JsonNode v;
    try {
      v = JSON.readTree(value);
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
    if (!v.path("canary").isObject() || !v.path("baseline").isObject()) return Optional.empty();
    String effect = v.path("effect").isNumber()
        ? String.format(Locale.ROOT, ", effect %+.1f%%", 100 * v.path("effect").asDouble()) : "";
    return Optional.of(v.path("verdict").asText() + ": canary " + side(v.path("canary")) + " vs baseline " + side(v.path("baseline")) + effect);
  }

  private static String side(JsonNode side) {
    String mean = side.path("mean").isNumber() ? String.format(Locale.ROOT, "%.4g", side.path("mean").asDouble()) : "-";
    return mean + " (n=" + side.path("n").asInt() + ")";
  }
}
