package dev.sluice.analysis.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.analysis.AnalysisRunPreparer;
import dev.sluice.analysis.MeasurementTaker;
import dev.sluice.analysis.PreparedRun;
import dev.sluice.analysis.args.ArgumentContext;
import dev.sluice.analysis.args.SecretLookup;
import dev.sluice.analysis.condition.ConditionEvaluator;
import dev.sluice.analysis.run.DueMeasurement;
import dev.sluice.api.v1alpha1.AnalysisArgument.SecretKeyRef;
import dev.sluice.api.v1alpha1.AnalysisRunSpec;
import dev.sluice.api.v1alpha1.AnalysisRunStatus.Measurement;
import dev.sluice.api.v1alpha1.Metric;
import dev.sluice.api.v1alpha1.MetricProvider;
import dev.sluice.api.v1alpha1.MetricProvider.Authentication;
import dev.sluice.api.v1alpha1.MetricProvider.BearerAuth;
import dev.sluice.api.v1alpha1.MetricProvider.JudgePrometheus;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleUnaryOperator;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The judge provider against a local HTTP server answering {@code /api/v1/query_range} like
 * Prometheus: one sample per step between start and end, from a function of the sample's index
 * per query. (The e2e tests run the real Prometheus.)
 */
class JudgeProviderTest {
  private static final Instant STARTED = Instant.parse("2026-01-01T10:00:00.400Z");
  private static final SecretLookup SECRETS = (name, key) -> "tok-123";

  private final MockWebServer server = new MockWebServer();
  private volatile DoubleUnaryOperator canary = i -> 0.01;
  private volatile DoubleUnaryOperator baseline = i -> 0.01;
  private volatile String canaryAnswer;

  @BeforeEach
  void start() throws IOException {
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        HttpUrl url = request.getUrl();
        if (!url.encodedPath().equals("/api/v1/query_range")) {
          return new MockResponse.Builder().code(404).body("not found").build();
        }
        String query = url.queryParameter("query");
        if (query.startsWith("canary") && canaryAnswer != null) {
          return new MockResponse.Builder().code(200).body(canaryAnswer).build();
        }
        return new MockResponse.Builder().code(200).body(matrix(url, query.startsWith("canary") ? canary : baseline)).build();
      }
    });
    server.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static String matrix(HttpUrl url, DoubleUnaryOperator values) {
    double start = Double.parseDouble(url.queryParameter("start"));
    double end = Double.parseDouble(url.queryParameter("end"));
    double step = Double.parseDouble(url.queryParameter("step"));
    List<String> samples = new ArrayList<>();
    int i = 0;
    for (double t = start; t <= end; t += step, i++) {
      samples.add("[" + t + ",\"" + values.applyAsDouble(i) + "\"]");
    }
    return "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{},\"values\":["
        + String.join(",", samples) + "]}]}}";
  }

  private Metric metric(String successCondition, String method) {
    var judge = new MetricProvider.Judge(
        new JudgePrometheus("http://127.0.0.1:" + server.getPort(), null, null,
            new Authentication(new BearerAuth(new SecretKeyRef("prom", "token")), null)),
        "canary_errors", "baseline_errors", null, null, method, null, "1s");
    return new Metric("errors", "5s", null, null, successCondition, null, null, null, null, null,
        new MetricProvider(null, null, null, judge));
  }

  /** One measurement {@code seconds} after the run started; {@code last} when it reaches the count. */
  private Measurement take(Metric metric, long seconds, boolean last) {
    PreparedRun run = new AnalysisRunPreparer(new ConditionEvaluator())
        .prepare(new AnalysisRunSpec(List.of(metric), null, null, null, null), ArgumentContext.none(), SECRETS);
    Clock at = Clock.fixed(STARTED.plusSeconds(seconds), ZoneOffset.UTC);
    var taker = new MeasurementTaker(MeasurementProviders.standard(HttpClients.shared(), ProviderAddressPolicy.defaults(), null), at);
    return taker.take(new DueMeasurement("errors", 1, null, last), STARTED, run,
        new RunReference("team", "run", "uid", "sluice.dev/v1alpha1", "AnalysisRun"), SECRETS);
  }

  @Test
  void rangeQueriesRunFromTheRunsStartToTheMeasurementAtTheSampleStepWithTheConnectionsAuthentication() throws Exception {
    take(metric(null, null), 40, false);

    RecordedRequest first = server.takeRequest(5, TimeUnit.SECONDS);
    RecordedRequest second = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(List.of(first.getUrl().queryParameter("query"), second.getUrl().queryParameter("query")))
        .containsExactly("canary_errors", "baseline_errors");
    assertThat(first.getUrl().queryParameter("start")).as("the run's start, rounded up to a whole second").isEqualTo("1767261601");
    assertThat(first.getUrl().queryParameter("end")).isEqualTo("1767261640.400");
    assertThat(first.getUrl().queryParameter("step")).isEqualTo("1");
    assertThat(first.getHeaders().get("Authorization")).isEqualTo("Bearer tok-123");
  }

  @Test
  void anEqualCanaryContinuesAndPassesAtTheLastMeasurement() {
    canary = i -> 0.01 + 0.002 * Math.sin(i);
    baseline = i -> 0.01 + 0.002 * Math.sin(i);

    Measurement early = take(metric(null, null), 30, false);
    assertThat(early.phase()).as("continue keeps the run going").isEqualTo("Successful");
    assertThat(early.value()).startsWith("{\"verdict\":\"continue\",\"canary\":{\"n\":30,");

    Measurement last = take(metric(null, null), 30, true);
    assertThat(last.phase()).isEqualTo("Successful");
    assertThat(last.value()).startsWith("{\"verdict\":\"pass\"").contains("\"effect\":0.0").contains("\"evidence\":");
  }

  /** The noise in these series changes from one sample to the next (a slower wave would be autocorrelated). */
  @Test
  void aCanaryWithTwiceTheErrorRateFailsBeforeTheLastMeasurement() {
    canary = i -> 0.02 + 0.002 * Math.cos(2.4 * i);
    baseline = i -> 0.01 + 0.002 * Math.sin(2.4 * i);

    Measurement m = take(metric(null, null), 30, false);

    assertThat(m.phase()).isEqualTo("Failed");
    assertThat(m.value()).startsWith("{\"verdict\":\"fail\",\"canary\":{\"n\":30,\"mean\":0.0200689");
    assertThat(m.message()).isNotBlank();
  }

  @Test
  void tooFewSamplesAtTheLastMeasurementAreInconclusiveNeverFailed() {
    canary = i -> 0.5;
    baseline = i -> 0.01;

    Measurement m = take(metric(null, null), 4, true);

    assertThat(m.phase()).isEqualTo("Inconclusive");
    assertThat(m.value()).startsWith("{\"verdict\":\"inconclusive\",\"canary\":{\"n\":4,");
  }

  @Test
  void mannWhitneyJudgesOnlyAtTheLastMeasurementAndReportsAPValue() {
    canary = i -> 0.02 + 0.002 * Math.cos(2.4 * i);
    baseline = i -> 0.01 + 0.002 * Math.sin(2.4 * i);

    assertThat(take(metric(null, "mann-whitney"), 30, false).value()).startsWith("{\"verdict\":\"continue\"");
    Measurement last = take(metric(null, "mann-whitney"), 30, true);
    assertThat(last.phase()).isEqualTo("Failed");
    assertThat(last.value()).startsWith("{\"verdict\":\"fail\"").contains("\"pValue\":");
  }

  @Test
  void explicitConditionsJudgeTheMap() {
    canary = i -> 0.02 + 0.002 * Math.cos(2.4 * i);
    baseline = i -> 0.01 + 0.002 * Math.sin(2.4 * i);

    assertThat(take(metric("result.canary.mean < 0.05", null), 30, false).phase())
        .as("the user's condition, not the verdict, decides").isEqualTo("Successful");
    assertThat(take(metric("result.verdict != 'fail'", null), 30, false).phase()).isEqualTo("Failed");
  }

  @Test
  void aQueryGivingSeveralSeriesIsAnErrorAskingToAggregate() {
    canaryAnswer = "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
        + "{\"metric\":{\"pod\":\"a\"},\"values\":[[1,\"1\"]]},{\"metric\":{\"pod\":\"b\"},\"values\":[[1,\"1\"]]}]}}";

    Measurement m = take(metric(null, null), 30, false);

    assertThat(m.phase()).isEqualTo("Error");
    assertThat(m.message()).isEqualTo("canaryQuery returned 2 series {\"pod\":\"a\"}, {\"pod\":\"b\"}; "
        + "the judge compares one series per side: aggregate the query, e.g. with sum(...)");
  }

  @Test
  void aRejectedQueryIsAnErrorWithPrometheusReason() {
    canaryAnswer = "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"parse error at char 7\"}";

    Measurement m = take(metric(null, null), 30, false);

    assertThat(m.phase()).isEqualTo("Error");
    assertThat(m.message()).isEqualTo("Prometheus at http://127.0.0.1:" + server.getPort()
        + " rejected canaryQuery (HTTP 200): bad_data: parse error at char 7");
  }

  @Test
  void theValueIsAMapConditionsCanRead() {
    var j = new dev.sluice.analysis.judge.Judgement(dev.sluice.analysis.judge.Verdict.FAIL, 30, 0.0200001234, 30,
        0.01, 1.000012, Double.NaN, 512.5, "worse");
    assertThat(JudgeProvider.value(j)).isEqualTo(Map.of("verdict", "fail", "canary", Map.of("n", 30, "mean", 0.0200001),
        "baseline", Map.of("n", 30, "mean", 0.01), "effect", 1.00001, "evidence", 512.5));
  }
}
