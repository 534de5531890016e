package dev.sluice.analysis.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.analysis.judge.Series;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the JSON of Prometheus' {@code /api/v1/query_range} into one {@link Series}. No series is an
 * empty Series (nothing scraped yet: the judge waits for data); several are an error, because
 * adding them up would be wrong for a ratio and averaging wrong for a count: the query must say
 * how to aggregate, e.g. {@code sum(rate(errors[1m])) / sum(rate(requests[1m]))}.
 */
final class PrometheusRange {
  private static final ObjectMapper JSON = new ObjectMapper();

  private PrometheusRange() {}

  /** @param role "canaryQuery" or "baselineQuery", for messages */
  static Series read(PrometheusProvider.Reply reply, String role) throws PrometheusProvider.Unanswered {
    String where = reply.where();
    JsonNode root;
    try {
      root = JSON.readTree(reply.body());
    } catch (IOException e) {
      throw new PrometheusProvider.Unanswered(where + " answered " + role + " with HTTP " + reply.status()
          + " and something that is not JSON: " + PrometheusResponse.abbreviate(reply.body()));
    }
    if (root == null || !root.isObject() || !"success".equals(root.path("status").asText())) {
      String error = root == null ? "" : root.path("errorType").asText("") + (root.has("error") ? ": " + root.path("error").asText() : "");
      throw new PrometheusProvider.Unanswered(where + " rejected " + role + " (HTTP " + reply.status() + "): "
          + (error.isBlank() ? PrometheusResponse.abbreviate(reply.body()) : error.replaceFirst("^: ", "")));
    }
    JsonNode data = root.path("data");
    if (!"matrix".equals(data.path("resultType").asText())) {
      throw new PrometheusProvider.Unanswered(where + " returned a " + data.path("resultType").asText() + " for " + role
          + " where a range query gives a matrix");
    }
    JsonNode series = data.path("result");
    if (series.size() == 0) {
      return new Series(new long[0], new double[0]);
    }
    if (series.size() > 1) {
      List<String> labels = new ArrayList<>();
      series.forEach(s -> labels.add(s.path("metric").toString()));
      throw new PrometheusProvider.Unanswered(role + " returned " + series.size() + " series " + abbreviated(labels)
          + "; the judge compares one series per side: aggregate the query, e.g. with sum(...)");
    }
    JsonNode values = series.get(0).path("values");
    long[] times = new long[values.size()];
    double[] numbers = new double[values.size()];
    for (int i = 0; i < values.size(); i++) {
      JsonNode sample = values.get(i);
      try {
        times[i] = new BigDecimal(sample.path(0).asText()).movePointRight(3).longValue();
        numbers[i] = number(sample.path(1).asText());
      } catch (NumberFormatException e) {
        throw new PrometheusProvider.Unanswered(where + " returned a sample for " + role + " that is not a number: " + sample);
      }
    }
    return new Series(times, numbers);
  }

  private static double number(String text) {
    return switch (text) {
      case "NaN" -> Double.NaN;
      case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(text);
    };
  }

  private static String abbreviated(List<String> labels) {
    String all = String.join(", ", labels);
    return all.length() > 200 ? all.substring(0, 200) + "..." : all;
  }
}
