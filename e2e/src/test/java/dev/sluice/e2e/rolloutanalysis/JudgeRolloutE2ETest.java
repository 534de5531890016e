package dev.sluice.e2e.rolloutanalysis;

import static dev.sluice.e2e.Rollouts.canaryWeight;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.api.v1alpha1.AnalysisRun;
import dev.sluice.api.v1alpha1.AnalysisRunStatus.Measurement;
import dev.sluice.api.v1alpha1.AnalysisRunStatus.MetricResult;
import dev.sluice.api.v1alpha1.RolloutStatus;
import dev.sluice.cli.SluiceCli;
import dev.sluice.e2e.ControllerInJvm;
import dev.sluice.e2e.LocalCluster;
import dev.sluice.e2e.RealCluster;
import dev.sluice.e2e.RealCluster.TestNamespace;
import dev.sluice.e2e.Rollouts;
import dev.sluice.e2e.analysis.CounterExporter;
import dev.sluice.e2e.analysis.PrometheusServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The judge provider in a rollout, against a real Prometheus scraping an exporter of per-hash
 * request and error counters every second: an A/A canary (the stable's exact error ratio) passes
 * the judge step at its last measurement and is promoted; a canary with twice the stable's error
 * ratio is aborted by the sequential judge before the horizon. {@code analysis replay} of the same
 * template over the same interval gives the same verdicts.
 */
@RealCluster
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JudgeRolloutE2ETest {
  private static final int COUNT = 8;
  private static final String QUERY = "sum(rate(app_errors_total{hash=\"{{args.%1$s}}\"}[5s])) / sum(rate(app_requests_total{hash=\"{{args.%1$s}}\"}[5s]))";
  private static final String STEPS = """
      - setWeight: 25
      - analysis:
          templates:
          - templateName: judge-error-ratio
          args:
          - name: canary-hash
            valueFrom: {podTemplateHashValue: Latest}
          - name: stable-hash
            valueFrom: {podTemplateHashValue: Stable}
      - setWeight: 50
      """;

  @TempDir
  Path dir;
  private CounterExporter app;
  private PrometheusServer prometheus;
  private ControllerInJvm controller;
  private Rollouts rollouts;
  private KubernetesClient k8s;
  private String namespace;
  private String template;

  @BeforeAll
  void start(LocalCluster cluster, KubernetesClient k8s, TestNamespace ns) {
    this.k8s = k8s;
    this.namespace = ns.name();
    app = new CounterExporter();
    prometheus = new PrometheusServer(app.address());
    controller = new ControllerInJvm(cluster, namespace);
    rollouts = new Rollouts(k8s, namespace);
    template = """
        apiVersion: sluice.dev/v1alpha1
        kind: AnalysisTemplate
        metadata:
          name: judge-error-ratio
        spec:
          args:
          - name: canary-hash
          - name: stable-hash
          metrics:
          - name: error-ratio
            interval: 5s
            count: %d
            provider:
              judge:
                prometheus: {address: "%s", timeout: 5}
                canaryQuery: '%s'
                baselineQuery: '%s'
                direction: increase
                sampleStep: 1s
        """.formatted(COUNT, prometheus.address(), QUERY.formatted("canary-hash"), QUERY.formatted("stable-hash"));
    k8s.resource(template).inNamespace(namespace).create();
  }

  @AfterAll
  void stop() throws Exception {
    if (controller != null) controller.close();
    if (prometheus != null) prometheus.close();
    if (app != null) app.close();
  }

  /** Deploys, serves the stable's counters, updates to app:2.0 and serves the canary's; returns {stable, canary} hashes. */
  private String[] deployThenUpdate(Timeline timeline, String name, double stableRatio, double canaryRatio) {
    rollouts.create(Rollouts.manifest(name, 4, "registry.example/app:1.0", "", "", STEPS));
    String stable = timeline.awaitStatus(60, "first template Healthy", s -> "Healthy".equals(s.phase())).stableRS();
    app.serve(stable, stableRatio);
    rollouts.setImage(name, "registry.example/app:2.0");
    timeline.note("image set to app:2.0");
    String canary = timeline.awaitStatus(30, "update started", s -> !Objects.equals(s.currentPodHash(), stable)).currentPodHash();
    app.serve(canary, canaryRatio);
    timeline.note("exporter serves " + stable + " at " + stableRatio + " and " + canary + " at " + canaryRatio);
    return new String[] {stable, canary};
  }

  private static MetricResult result(AnalysisRun run) {
    return run.getStatus().metricResults().get(0);
  }

  @Test
  void anAACanaryPassesTheJudgeAtItsLastMeasurementAndIsPromoted() throws IOException {
    Timeline timeline = new Timeline(k8s, namespace, "same");
    String[] hashes = deployThenUpdate(timeline, "same", 0.01, 0.01);

    timeline.awaitStatus(150, "Healthy on the canary's template",
        s -> "Healthy".equals(s.phase()) && hashes[1].equals(s.stableRS()));
    timeline.printRuns();
    AnalysisRun run = timeline.runs().stream().filter(r -> r.getMetadata().getName().startsWith("same-" + hashes[1])).findFirst().orElseThrow();

    assertThat(run.getStatus().phase()).isEqualTo("Successful");
    MetricResult metric = result(run);
    assertThat(metric.count()).isEqualTo(COUNT);
    assertThat(metric.measurements()).extracting(Measurement::phase).containsOnly("Successful");
    List<String> verdicts = metric.measurements().stream().map(m -> m.value().replaceFirst("^\\{\"verdict\":\"(\\w+)\".*", "$1")).toList();
    assertThat(verdicts.subList(0, COUNT - 1)).containsOnly("continue");
    assertThat(verdicts.get(COUNT - 1)).isEqualTo("pass");
    // equal rates: an effect of 0 up to floating-point rounding (e.g. -1.7E-16)
    var last = new ObjectMapper().readTree(metric.measurements().get(COUNT - 1).value());
    assertThat(last.path("effect").asDouble()).isCloseTo(0.0, offset(1e-9));

    Replay replay = replay(run, hashes, null);
    System.out.println(replay.out());
    assertThat(replay.verdict()).isEqualTo("verdict: Successful");
    assertThat(replay.phases()).containsExactlyElementsOf(metric.measurements().stream().map(Measurement::phase).toList());
  }

  @Test
  void aCanaryWithTwiceTheErrorRatioIsAbortedByTheSequentialJudgeBeforeTheHorizon() throws IOException {
    Timeline timeline = new Timeline(k8s, namespace, "worse");
    String[] hashes = deployThenUpdate(timeline, "worse", 0.01, 0.02);

    RolloutStatus aborted = timeline.awaitStatus(150, "aborted", s -> Boolean.TRUE.equals(s.abort()));
    timeline.printRuns();
    assertThat(canaryWeight(aborted)).isZero();
    AnalysisRun run = timeline.runs().stream().filter(r -> r.getMetadata().getName().startsWith("worse-" + hashes[1])).findFirst().orElseThrow();

    assertThat(run.getStatus().phase()).isEqualTo("Failed");
    MetricResult metric = result(run);
    Measurement failed = metric.measurements().get(metric.measurements().size() - 1);
    int failedAt = metric.measurements().size();
    System.out.printf("the sequential judge failed the canary at measurement %d of %d: %s%n", failedAt, COUNT, failed.value());
    assertThat(failed.phase()).isEqualTo("Failed");
    assertThat(failed.value()).startsWith("{\"verdict\":\"fail\"");
    assertThat(failedAt).as("before the horizon").isLessThan(COUNT);
    assertThat(aborted.message()).contains("metric \"error-ratio\" assessed Failed").contains("the canary is worse than the baseline");

    // The controller measures a little after each scheduled moment, so replay (at the scheduled
    // moments) may need one measurement more: replay up to the horizon, once Prometheus has it.
    Instant horizon = Instant.parse(run.getStatus().startedAt()).plusSeconds(5L * COUNT);
    await("the clock past the run's horizon " + horizon).atMost(Duration.ofSeconds(5L * COUNT + 10))
        .pollInterval(Duration.ofMillis(250)).until(() -> Instant.now().isAfter(horizon.plusSeconds(2)));
    Replay replay = replay(run, hashes, horizon);
    System.out.println(replay.out());
    assertThat(replay.verdict()).startsWith("verdict: Failed: metric \"error-ratio\" assessed Failed due to failed (1) > failureLimit (0)");
    System.out.printf("replayed, the judge failed the canary at measurement %d of %d%n", replay.phases().size(), COUNT);
    assertThat(replay.phases().size()).as("replay measures at the scheduled moments, the controller a little after")
        .isBetween(failedAt - 1, failedAt + 1);
  }

  private record Replay(String out, List<String> phases, String verdict) {}

  /** {@code kubectl sluice analysis replay} of the template, from the run's start, with the run's arguments, up to {@code to} (null: now). */
  private Replay replay(AnalysisRun run, String[] hashes, Instant to) throws IOException {
    Path file = dir.resolve("template.yaml");
    Files.writeString(file, template);
    List<String> args = new ArrayList<>(List.of("analysis", "replay", "-f", file.toString(), "--from", run.getStatus().startedAt(),
        "--prometheus", prometheus.address()));
    run.getSpec().args().forEach(a -> args.addAll(List.of("--arg", a.name() + "=" + a.value())));
    if (to != null) args.addAll(List.of("--to", to.toString()));
    assertThat(run.getSpec().args()).extracting(a -> a.name() + "=" + a.value())
        .containsExactlyInAnyOrder("canary-hash=" + hashes[1], "stable-hash=" + hashes[0]);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = SluiceCli.run(new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
    assertThat(err.toString()).isEmpty();
    assertThat(code).isZero();
    List<String> lines = out.toString().lines().toList();
    List<String> phases = lines.stream().filter(l -> l.startsWith("error-ratio #"))
        .map(l -> l.replaceFirst("^error-ratio #\\d+ at \\S+: (\\w+).*", "$1")).toList();
    return new Replay(out.toString(), phases, lines.get(lines.size() - 1));
  }
}
