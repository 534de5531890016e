package dev.sluice.e2e.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Prometheus' HTTP query API, as Grafana uses it: instant and range queries. */
final class PrometheusApi {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One series of a result: its labels and its value as Prometheus prints it. */
  record Sample(Map<String, String> labels, String value) {
    @Override
    public String toString() {
      return labels + " " + value;
    }
  }

  private final String address;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  PrometheusApi(String address) {
    this.address = address;
  }

  /** The series of an instant query now; a PromQL error fails with Prometheus' message. */
  List<Sample> instant(String query) {
    JsonNode result = data("/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8), query).path("result");
    List<Sample> samples = new ArrayList<>();
    if (result.isArray()) {
      for (JsonNode series : result) {
        Map<String, String> labels = new TreeMap<>();
        series.path("metric").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        samples.add(new Sample(labels, series.path("value").path(1).asText()));
      }
    } else if (!result.isMissingNode() && !result.isNull()) {
      samples.add(new Sample(Map.of(), result.path(1).asText())); // a scalar
    }
    return samples;
  }

  /** The values of the first series of a range query, one per step, oldest first. */
  List<String> range(String query, Instant from, Instant to, Duration step) {
    JsonNode result = data("/api/v1/query_range?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8)
        + "&start=" + from.getEpochSecond() + "&end=" + (to.getEpochSecond() + 1) + "&step=" + step.toSeconds() + "s", query).path("result");
    List<String> values = new ArrayList<>();
    if (result.size() > 0) {
      result.get(0).path("values").forEach(v -> values.add(v.path(1).asText()));
    }
    return values;
  }

  private JsonNode data(String pathAndQuery, String query) {
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(address + pathAndQuery))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      JsonNode body = JSON.readTree(response.body());
      if (response.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
        throw new IllegalStateException("Prometheus rejected " + query + ": HTTP " + response.statusCode() + " " + response.body());
      }
      return body.path("data");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
