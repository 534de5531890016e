package dev.sluice.analysis.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the JSON of Prometheus' {@code /api/v1/query}: a scalar becomes a number, an instant
 * vector a list of numbers (one per series, in Prometheus' order). An empty vector and NaN are
 * values like any other, with a note saying so; a range vector or an error is a Failure.
 */
final class PrometheusResponse {
  private static final ObjectMapper JSON = new ObjectMapper();

  private PrometheusResponse() {}

  /** @param where "Prometheus at http://..." for messages */
  static ProviderResult read(int httpStatus, String body, String where) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      return new ProviderResult.Failure(where + " answered HTTP " + httpStatus + " with something that is not JSON: " + abbreviate(body));
    }
    if (root == null || !root.isObject()) {
      return new ProviderResult.Failure(where + " answered HTTP " + httpStatus + " with unexpected JSON: " + abbreviate(body));
    }
    if (!"success".equals(root.path("status").asText())) {
      String error = root.path("errorType").asText("") + (root.has("error") ? ": " + root.path("error").asText() : "");
      return new ProviderResult.Failure(where + " rejected the query (HTTP " + httpStatus + "): "
          + (error.isBlank() ? abbreviate(body) : error.replaceFirst("^: ", "")));
    }
    JsonNode data = root.path("data");
    String type = data.path("resultType").asText();
    JsonNode result = data.path("result");
    switch (type) {
      case "scalar":
        return scalar(result, where);
      case "vector":
        return vector(result, where);
      case "string":
        return new ProviderResult.Observed(result.path(1).asText(), result.path(1).asText(), null);
      case "matrix":
        return new ProviderResult.Failure(where + " returned a range vector (matrix): use an instant query, e.g. wrap it in rate() or sum()");
      default:
        return new ProviderResult.Failure(where + " returned an unknown result type \"" + type + "\"");
    }
  }

  private static ProviderResult scalar(JsonNode sample, String where) {
    String text = sample.path(1).asText(null);
    Double value = number(text);
    if (value == null) {
      return new ProviderResult.Failure(where + " returned a scalar that is not a number: " + sample);
    }
    return new ProviderResult.Observed(text, value, value.isNaN() ? "the query returned NaN" : null);
  }

  private static ProviderResult vector(JsonNode series, String where) {
    List<Double> values = new ArrayList<>();
    List<String> shown = new ArrayList<>();
    for (JsonNode s : series) {
      String text = s.path("value").path(1).asText(null);
      Double value = number(text);
      if (value == null) {
        return new ProviderResult.Failure(where + " returned a sample that is not a number: " + s);
      }
      values.add(value);
      shown.add(text);
    }
    String note = null;
    if (values.isEmpty()) {
      note = "the query returned an empty result (no series matched)";
    } else if (values.stream().anyMatch(v -> v.isNaN())) {
      note = "the query returned NaN";
    }
    return new ProviderResult.Observed("[" + String.join(",", shown) + "]", values, note);
  }

  private static Double number(String text) {
    if (text == null) {
      return null;
    }
    switch (text) {
      case "NaN":
        return Double.NaN;
      case "+Inf":
      case "Inf":
        return Double.POSITIVE_INFINITY;
      case "-Inf":
        return Double.NEGATIVE_INFINITY;
      default:
        try {
          return Double.parseDouble(text);
        } catch (NumberFormatException e) {
          return null;
        }
    }
  }

  static String abbreviate(String body) {
    String oneLine = body == null ? "" : body.strip().replaceAll("\\s+", " ");
    return oneLine.length() > 200 ? oneLine.substring(0, 200) + "..." : oneLine;
  }
}
