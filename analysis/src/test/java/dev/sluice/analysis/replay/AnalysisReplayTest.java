package dev.sluice.analysis.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.sluice.analysis.AnalysisSpecException;
import dev.sluice.analysis.provider.HttpClients;
import dev.sluice.analysis.provider.ProviderAddressPolicy;
import dev.sluice.api.v1alpha1.AnalysisTemplateSpec;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Replaying a template against a local HTTP server that answers like Prometheus for any moment:
 * the canary's error ratio is 0.02 on hash "bad" and 0.01 (as the baseline's) on any other.
 */
class AnalysisReplayTest {
  private static final Instant FROM = Instant.parse("2026-01-01T10:00:00Z");

  private final MockWebServer server = new MockWebServer();
  private final List<HttpUrl> seen = new ArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        HttpUrl url = request.getUrl();
        synchronized (seen) {
          seen.add(url);
        }
        String query = url.queryParameter("query");
        double ratio = query.contains("bad") ? 0.02 : 0.01;
        if (url.encodedPath().equals("/api/v1/query")) {
          return ok("{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[" + url.queryParameter("time") + ",\"" + ratio + "\"]}]}");
        }
        double start = Double.parseDouble(url.queryParameter("start"));
        double end = Double.parseDouble(url.queryParameter("end"));
        List<String> samples = new ArrayList<>();
        int i = 0;
        for (double t = start; t <= end; t++, i++) {
          samples.add("[" + t + ",\"" + (ratio + 0.001 * Math.sin(i)) + "\"]");
        }
        return ok("{\"resultType\":\"matrix\",\"result\":[{\"metric\":{},\"values\":[" + String.join(",", samples) + "]}]}");
      }
    });
    server.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static MockResponse ok(String data) {
    return new MockResponse.Builder().code(200).body("{\"status\":\"success\",\"data\":" + data + "}").build();
  }

  private static AnalysisTemplateSpec template(String yaml) {
    try {
      return new ObjectMapper(new YAMLFactory()).readValue(yaml, AnalysisTemplateSpec.class);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final String JUDGE = """
      args:
      - name: canary-hash
        valueFrom: {podTemplateHashValue: Latest}
      metrics:
      - name: errors
        interval: 5s
        count: 6
        provider:
          judge:
            prometheus: {address: http://prometheus.monitoring:9090}
            canaryQuery: ratio{hash="{{args.canary-hash}}"}
            baselineQuery: ratio{hash="stable"}
            sampleStep: 1s
      """;

  @Test
  void aWorseCanaryFailsAtTheMeasurementTheControllerWouldHaveFailedIt() {
    var run = AnalysisReplay.prepare(template(JUDGE), Map.of("canary-hash", "bad"), "http://127.0.0.1:" + server.getPort());

    var result = new AnalysisReplay(HttpClients.shared(), ProviderAddressPolicy.defaults()).replay(run, FROM, FROM.plusSeconds(3600));

    assertThat(result.steps()).extracting(s -> s.number() + "@" + s.at() + " " + s.measurement().phase()).containsExactly(
        "1@2026-01-01T10:00:00Z Successful", "2@2026-01-01T10:00:05Z Successful", "3@2026-01-01T10:00:10Z Failed");
    assertThat(result.steps().get(2).measurement().value()).startsWith("{\"verdict\":\"fail\",\"canary\":{\"n\":11,");
    assertThat(result.status().phase()).isEqualTo("Failed");
    assertThat(seen).allMatch(u -> u.encodedPath().equals("/api/v1/query_range") && "1767261600".equals(u.queryParameter("start")));
  }

  @Test
  void anEqualCanaryPassesAtTheCountAndAnEarlierEndLeavesTheRunRunning() {
    var run = AnalysisReplay.prepare(template(JUDGE), Map.of("canary-hash", "good"), "http://127.0.0.1:" + server.getPort());

    var full = new AnalysisReplay(HttpClients.shared(), ProviderAddressPolicy.defaults()).replay(run, FROM, FROM.plusSeconds(3600));
    assertThat(full.steps()).hasSize(6).allMatch(s -> s.measurement().phase().equals("Successful"));
    assertThat(full.steps().get(5).measurement().value()).startsWith("{\"verdict\":\"pass\"");
    assertThat(full.status().phase()).isEqualTo("Successful");

    var cut = new AnalysisReplay(HttpClients.shared(), ProviderAddressPolicy.defaults()).replay(run, FROM, FROM.plusSeconds(12));
    assertThat(cut.steps()).extracting(s -> s.at().toString())
        .containsExactly("2026-01-01T10:00:00Z", "2026-01-01T10:00:05Z", "2026-01-01T10:00:10Z");
    assertThat(cut.status().phase()).isEqualTo("Running");
  }

  @Test
  void aPrometheusMetricIsAskedForTheValueAtEachMeasurementsMoment() {
    var run = AnalysisReplay.prepare(template("""
        metrics:
        - name: ratio
          interval: 30s
          count: 2
          successCondition: result[0] < 0.05
          provider:
            prometheus: {address: "http://127.0.0.1:%d", query: ratio}
        """.formatted(server.getPort())), Map.of(), null);

    var result = new AnalysisReplay(HttpClients.shared(), ProviderAddressPolicy.defaults()).replay(run, FROM, FROM.plusSeconds(3600));

    assertThat(result.status().phase()).isEqualTo("Successful");
    assertThat(seen).extracting(u -> u.queryParameter("time")).containsExactly("1767261600", "1767261630");
  }

  @Test
  void refusesWhatCannotBeReplayed() {
    assertThatThrownBy(() -> AnalysisReplay.prepare(template("""
        metrics:
        - name: smoke
          provider: {web: {url: "http://app/health"}}
        """), Map.of(), null)).isInstanceOf(AnalysisSpecException.class)
        .hasMessage("metric \"smoke\": replay works for prometheus and judge metrics only");
    assertThatThrownBy(() -> AnalysisReplay.prepare(template(JUDGE), Map.of("stable-hash", "x"), null))
        .hasMessage("the template has no argument \"stable-hash\" (it has canary-hash)");
    assertThatThrownBy(() -> AnalysisReplay.prepare(template(JUDGE), Map.of(), null))
        .isInstanceOf(AnalysisSpecException.class).hasMessageContaining("canary-hash");
  }
}
