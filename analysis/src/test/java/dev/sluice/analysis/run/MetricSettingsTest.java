package dev.sluice.analysis.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.analysis.AnalysisSpecException;
import dev.sluice.api.v1alpha1.Metric;
import dev.sluice.api.v1alpha1.MetricProvider;
import dev.sluice.api.v1alpha1.RolloutAnalysis.DryRun;
import dev.sluice.api.v1alpha1.RolloutAnalysis.MeasurementRetention;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricSettingsTest {
  private static final MetricProvider PROMETHEUS = new MetricProvider(
      new MetricProvider.Prometheus("http://127.0.0.1:9090", "up", null, null, null, null), null, null);

  private static Metric metric(String interval, String initialDelay, IntOrString count) {
    return new Metric("m", interval, initialDelay, count, null, null, null, null, null, null, PROMETHEUS);
  }

  @Test
  void defaultsAreArgos() {
    MetricSettings s = MetricSettings.of(metric(null, null, null), null, null);
    assertThat(s.interval()).isNull();
    assertThat(s.initialDelay()).isZero();
    assertThat(s.count()).as("one measurement without an interval").isEqualTo(1);
    assertThat(s.failureLimit()).isZero();
    assertThat(s.inconclusiveLimit()).isZero();
    assertThat(s.consecutiveErrorLimit()).isEqualTo(4);
    assertThat(s.consecutiveSuccessLimit()).isNull();
    assertThat(s.dryRun()).isFalse();
    assertThat(s.retention()).isEqualTo(10);
    assertThat(s.retryAfter(true)).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.retryAfter(false)).isNull();
  }

  @Test
  void anIntervalWithoutCountRunsUntilTerminated() {
    assertThat(MetricSettings.of(metric("30s", null, null), null, null).count()).isNull();
    assertThat(MetricSettings.of(metric("30s", null, new IntOrString(0)), null, null).count()).isNull();
    MetricSettings s = MetricSettings.of(metric("1m30s", "250ms", new IntOrString("5")), null, null);
    assertThat(s.count()).isEqualTo(5);
    assertThat(s.interval()).isEqualTo(Duration.ofSeconds(90));
    assertThat(s.initialDelay()).isEqualTo(Duration.ofMillis(250));
    assertThat(s.retryAfter(true)).as("errors retry at the metric's own interval").isEqualTo(Duration.ofSeconds(90));
  }

  private static Metric named(String name) {
    return new Metric(name, null, null, null, null, null, null, null, null, null, PROMETHEUS);
  }

  @Test
  void dryRunMetricNameIsAnArgoRegularExpression() {
    List<DryRun> everything = List.of(new DryRun(".*"));
    assertThat(MetricSettings.of(named("success-rate"), everything, null).dryRun()).as(".* dry-runs every metric").isTrue();
    assertThat(MetricSettings.of(named("latency-p99"), everything, null).dryRun()).isTrue();
    List<DryRun> rates = List.of(new DryRun("rate"));
    assertThat(MetricSettings.of(named("error-rate"), rates, null).dryRun()).as("matched anywhere, like Go's regexp.MatchString").isTrue();
    assertThat(MetricSettings.of(named("latency"), rates, null).dryRun()).isFalse();
    List<DryRun> exact = List.of(new DryRun("^error-rate$"));
    assertThat(MetricSettings.of(named("error-rate"), exact, null).dryRun()).isTrue();
    assertThat(MetricSettings.of(named("error-rate-5m"), exact, null).dryRun()).isFalse();
    assertThat(MetricSettings.of(named("m"), List.of(new DryRun("other")), null).dryRun()).isFalse();
  }

  @Test
  void measurementRetentionTakesTheLastMatchingRule() {
    List<MeasurementRetention> rules = List.of(new MeasurementRetention(".*", 2), new MeasurementRetention("^latency", 7));
    assertThat(MetricSettings.of(named("latency-p99"), null, rules).retention()).isEqualTo(7);
    assertThat(MetricSettings.of(named("error-rate"), null, rules).retention()).isEqualTo(2);
    assertThat(MetricSettings.of(named("error-rate"), null, List.of(new MeasurementRetention("^latency", 7))).retention())
        .as("no rule matches: the default").isEqualTo(10);
  }

  @Test
  void aMetricNameThatIsNotARegularExpressionIsASpecError() {
    assertThatThrownBy(() -> MetricSettings.of(named("m"), List.of(new DryRun("*")), null))
        .isInstanceOf(AnalysisSpecException.class)
        .hasMessageContaining("\"*\" is not a regular expression").hasMessageContaining("write \".*\"");
  }

  @Test
  void badValuesAreRejectedWithTheMetricAndField() {
    assertThatThrownBy(() -> MetricSettings.of(metric("soon", null, null), null, null))
        .isInstanceOf(AnalysisSpecException.class).hasMessageStartingWith("metric \"m\": interval: invalid duration \"soon\"");
    assertThatThrownBy(() -> MetricSettings.of(metric(null, null, new IntOrString(3)), null, null))
        .hasMessage("metric \"m\": count 3 needs an interval between measurements");
    assertThatThrownBy(() -> MetricSettings.of(metric("1s", null, new IntOrString("three")), null, null))
        .hasMessage("metric \"m\": count \"three\" is not an integer");
    assertThatThrownBy(() -> MetricSettings.of(metric("0s", null, null), null, null))
        .hasMessage("metric \"m\": interval must be longer than 0");
    assertThatThrownBy(() -> MetricSettings.of(new Metric("m", null, null, null, null, null, new IntOrString(-2), null, null, null, PROMETHEUS), null, null))
        .hasMessage("metric \"m\": failureLimit must be -1 (unlimited) or more");
    assertThatThrownBy(() -> MetricSettings.of(metric(null, null, null), null, List.of(new MeasurementRetention("m", 0))))
        .hasMessage("metric \"m\": measurementRetention limit must be at least 1");
  }
}
