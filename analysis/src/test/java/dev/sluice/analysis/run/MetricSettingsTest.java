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

  @Test
  void dryRunAndRetentionByNameOrWildcard() {
    MetricSettings named = MetricSettings.of(metric(null, null, null), List.of(new DryRun("m")), List.of(new MeasurementRetention("m", 3)));
    assertThat(named.dryRun()).isTrue();
    assertThat(named.retention()).isEqualTo(3);
    MetricSettings wildcard = MetricSettings.of(metric(null, null, null), List.of(new DryRun("*")),
        List.of(new MeasurementRetention("*", 2), new MeasurementRetention("other", 7)));
    assertThat(wildcard.dryRun()).isTrue();
    assertThat(wildcard.retention()).isEqualTo(2);
    assertThat(MetricSettings.of(metric(null, null, null), List.of(new DryRun("other")), null).dryRun()).isFalse();
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
