package dev.sluice.controller.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.v1alpha1.AnalysisRun;
import dev.sluice.api.v1alpha1.Rollout;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What Prometheus reads on /metrics as rollouts come, change and go. */
class ControllerMetricsTest {
  private final ControllerMetrics metrics = new ControllerMetrics();
  private final List<Rollout> rollouts = new CopyOnWriteArrayList<>();
  private final List<AnalysisRun> runs = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    metrics.close();
  }

  private String scrape() {
    var page = new ByteArrayOutputStream();
    try {
      metrics.scrape().writeTo(page);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return page.toString(StandardCharsets.UTF_8);
  }

  private List<String> lines(String prefix) {
    return scrape().lines().filter(l -> l.startsWith(prefix)).toList();
  }

  @Test
  void rolloutGaugesFollowTheCacheAtEachScrapeAndVanishWithTheRollout() {
    metrics.watch(rollouts::stream, runs::stream);
    rollouts.add(Resources.pausedCanary("shop", "web"));
    rollouts.add(Resources.pausedCanary("shop", "api"));

    assertThat(lines("sluice_rollout_canary_weight{")).containsExactlyInAnyOrder(
        "sluice_rollout_canary_weight{namespace=\"shop\",rollout=\"api\"} 40.0",
        "sluice_rollout_canary_weight{namespace=\"shop\",rollout=\"web\"} 40.0");
    assertThat(lines("sluice_rollout_phase{")).contains(
        "sluice_rollout_phase{namespace=\"shop\",phase=\"Paused\",rollout=\"web\",strategy=\"canary\"} 1.0",
        "sluice_rollout_phase{namespace=\"shop\",phase=\"Healthy\",rollout=\"web\",strategy=\"canary\"} 0.0");
    assertThat(lines("sluice_rollout_current_step_index{")).contains("sluice_rollout_current_step_index{namespace=\"shop\",rollout=\"web\"} 3.0");
    assertThat(lines("sluice_rollout_steps{")).contains("sluice_rollout_steps{namespace=\"shop\",rollout=\"web\"} 4.0");

    rollouts.remove(0); // web deleted
    rollouts.set(0, Resources.rollout("""
        metadata: {namespace: shop, name: api}
        spec:
          replicas: 5
          selector: {matchLabels: {app: api}}
          strategy: {canary: {steps: [{setWeight: 20}]}}
        status: {phase: Healthy, currentStepIndex: 1, canary: {weights: {canary: {weight: 100}}}}
        """));

    assertThat(lines("sluice_rollout_canary_weight{")).containsExactly(
        "sluice_rollout_canary_weight{namespace=\"shop\",rollout=\"api\"} 100.0");
    assertThat(lines("sluice_rollout_phase{")).hasSize(4).contains(
        "sluice_rollout_phase{namespace=\"shop\",phase=\"Healthy\",rollout=\"api\",strategy=\"canary\"} 1.0",
        "sluice_rollout_phase{namespace=\"shop\",phase=\"Paused\",rollout=\"api\",strategy=\"canary\"} 0.0");
    assertThat(scrape()).doesNotContain("rollout=\"web\"");
  }

  /** A rollout as the informer cache holds it: a uid, and a resourceVersion that each change moves on. */
  private static Rollout cached(String uid, String resourceVersion, String name, String phase, int weight) {
    return Resources.rollout("""
        metadata: {namespace: shop, name: %s, uid: %s, resourceVersion: "%s"}
        spec:
          replicas: 5
          selector: {matchLabels: {app: %s}}
          strategy: {canary: {steps: [{setWeight: 20}, {pause: {}}]}}
        status: {phase: %s, currentStepIndex: 1, canary: {weights: {canary: {weight: %d}}}}
        """.formatted(name, uid, resourceVersion, name, phase, weight));
  }

  @Test
  void gaugesOfCachedRolloutsFollowEachNewResourceVersionAndANewRolloutOfTheSameName() {
    metrics.watch(rollouts::stream, runs::stream);
    rollouts.add(cached("u1", "10", "web", "Paused", 20));
    rollouts.add(cached("u2", "11", "api", "Healthy", 100));
    assertThat(lines("sluice_rollout_canary_weight{")).containsExactlyInAnyOrder(
        "sluice_rollout_canary_weight{namespace=\"shop\",rollout=\"api\"} 100.0",
        "sluice_rollout_canary_weight{namespace=\"shop\",rollout=\"web\"} 20.0");
    assertThat(lines("sluice_rollout_canary_weight{")).as("scraped again, nothing changed").hasSize(2);

    rollouts.set(0, cached("u1", "12", "web", "Healthy", 100)); // a watch event: web promoted

    assertThat(lines("sluice_rollout_canary_weight{")).contains("sluice_rollout_canary_weight{namespace=\"shop\",rollout=\"web\"} 100.0");
    assertThat(lines("sluice_rollout_phase{")).contains(
        "sluice_rollout_phase{namespace=\"shop\",phase=\"Healthy\",rollout=\"web\",strategy=\"canary\"} 1.0",
        "sluice_rollout_phase{namespace=\"shop\",phase=\"Paused\",rollout=\"web\",strategy=\"canary\"} 0.0");

    rollouts.remove(1); // api deleted
    assertThat(scrape()).doesNotContain("rollout=\"api\"");
    rollouts.add(cached("u3", "13", "api", "Paused", 20)); // and created again

    assertThat(lines("sluice_rollout_canary_weight{")).containsExactlyInAnyOrder(
        "sluice_rollout_canary_weight{namespace=\"shop\",rollout=\"api\"} 20.0",
        "sluice_rollout_canary_weight{namespace=\"shop\",rollout=\"web\"} 100.0");
  }

  @Test
  void eachScrapeIsOneValidPageWhoseGaugesAreThoseOfTheRolloutsCachedThen() {
    metrics.watch(rollouts::stream, runs::stream);
    rollouts.add(cached("u1", "10", "web", "Paused", 20));
    rollouts.add(cached("u2", "11", "api", "Healthy", 100));
    metrics.pauseEnded(Duration.ofMillis(300));

    Exposition first = Exposition.parse(scrape());
    assertThat(first.type()).containsEntry("sluice_rollout_phase", "gauge").containsEntry("sluice_rollout_canary_weight", "gauge")
        .containsEntry("sluice_pause_overrun_seconds", "histogram").containsEntry("jvm_memory_used_bytes", "gauge");
    assertThat(first.help()).containsEntry("sluice_rollout_steps", SluiceGauge.ROLLOUT_STEPS.help());
    assertThat(first.series()).containsEntry("sluice_rollout_canary_weight{namespace=\"shop\",rollout=\"web\"}", 20.0)
        .containsEntry("sluice_rollout_canary_weight{namespace=\"shop\",rollout=\"api\"}", 100.0)
        .containsEntry("sluice_pause_overrun_seconds_count", 1.0);
    assertThat(sluiceSeries(Exposition.parse(scrape()))).as("scraped again, nothing changed").isEqualTo(sluiceSeries(first))
        .hasSizeGreaterThan(20);

    rollouts.set(0, cached("u1", "12", "web", "Healthy", 100)); // web promoted
    rollouts.remove(1); // api deleted

    Exposition next = Exposition.parse(scrape());
    assertThat(next.series()).containsEntry("sluice_rollout_canary_weight{namespace=\"shop\",rollout=\"web\"}", 100.0)
        .containsEntry("sluice_rollout_phase{namespace=\"shop\",phase=\"Healthy\",rollout=\"web\",strategy=\"canary\"}", 1.0)
        .containsEntry("sluice_rollout_phase{namespace=\"shop\",phase=\"Paused\",rollout=\"web\",strategy=\"canary\"}", 0.0);
    assertThat(next.series().keySet()).noneMatch(series -> series.contains("rollout=\"api\""));

    rollouts.clear();
    assertThat(Exposition.parse(scrape()).series().keySet()).as("no rollout left").noneMatch(series -> series.startsWith("sluice_rollout_"));
  }

  /** Sluice's own series (the JVM's move between two scrapes). */
  private static Map<String, Double> sluiceSeries(Exposition page) {
    return page.series().entrySet().stream().filter(e -> e.getKey().startsWith("sluice_"))
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }

  @Test
  void analysisGaugesShowWithAnEmptyLabelWhereTheSubjectHasNone() {
    metrics.watch(rollouts::stream, runs::stream);
    runs.add(Resources.analysisRun("""
        metadata:
          namespace: shop
          name: web-7d9f8c6b5-2-0
          ownerReferences: [{apiVersion: sluice.dev/v1alpha1, kind: Rollout, name: web, uid: u1}]
        spec: {metrics: []}
        status:
          phase: Successful
          metricResults: [{name: error-rate, phase: Successful, measurements: [{phase: Successful, value: "[0.01]"}]}]
        """));

    assertThat(lines("sluice_analysis_metric_value{")).containsExactly(
        "sluice_analysis_metric_value{analysisrun=\"\",metric=\"error-rate\",namespace=\"shop\",rollout=\"web\"} 0.01");
    assertThat(lines("sluice_analysis_run_phase{")).contains(
        "sluice_analysis_run_phase{analysisrun=\"\",namespace=\"shop\",phase=\"Successful\",rollout=\"web\"} 1.0");
    assertThat(scrape()).doesNotContain("7d9f8c6b5");
  }

  @Test
  void aCacheThatCannotBeReadKeepsTheLastValuesAndTheRestOfTheScrape() {
    rollouts.add(Resources.pausedCanary("shop", "web"));
    boolean[] broken = {false};
    metrics.watch(() -> {
      if (broken[0]) throw new IllegalStateException("informer stopped");
      return rollouts.stream();
    }, Stream::empty);
    assertThat(lines("sluice_rollout_canary_weight{")).hasSize(1);

    broken[0] = true;

    assertThat(lines("sluice_rollout_canary_weight{")).containsExactly(
        "sluice_rollout_canary_weight{namespace=\"shop\",rollout=\"web\"} 40.0");
    assertThat(lines("jvm_memory_used_bytes{")).isNotEmpty();
  }

  @Test
  void beforeTheOperatorRunsThereAreNoRolloutGaugesButTheJvmIsThere() {
    assertThat(lines("sluice_rollout_")).isEmpty();
    assertThat(lines("jvm_memory_used_bytes{")).isNotEmpty();
    assertThat(lines("process_uptime_seconds")).isNotEmpty();
  }
}
