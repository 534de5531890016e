package dev.sluice.e2e.rolloutanalysis;

import static dev.sluice.e2e.Rollouts.canaryWeight;
import static dev.sluice.e2e.Rollouts.hasCondition;
import static dev.sluice.e2e.Rollouts.specReplicas;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.api.v1alpha1.AnalysisRun;
import dev.sluice.api.v1alpha1.RolloutStatus;
import dev.sluice.api.v1alpha1.RolloutStatus.PauseCondition;
import dev.sluice.e2e.ControllerInJvm;
import dev.sluice.e2e.LocalCluster;
import dev.sluice.e2e.RealCluster;
import dev.sluice.e2e.RealCluster.TestNamespace;
import dev.sluice.e2e.Rollouts;
import dev.sluice.e2e.analysis.PrometheusServer;
import dev.sluice.e2e.analysis.ScrapeTarget;
import dev.sluice.e2e.cli.KubectlSluice;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Analysis in rollouts on the real cluster, with the whole controller in this JVM and a real
 * Prometheus scraping a canary whose error ratio the test sets per series: good (0.01), bad (0.2),
 * borderline (0.07, neither condition). Each test prints its rollout's timeline.
 */
@RealCluster
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RolloutAnalysisE2ETest {
  private static final String STEPS_AROUND = """
      - setWeight: 25
      %s
      - setWeight: 50
      """;

  private ScrapeTarget canary;
  private PrometheusServer prometheus;
  private ControllerInJvm controller;
  private Rollouts rollouts;
  private AnalysisTemplates templates;
  private KubernetesClient k8s;
  private String namespace;

  @BeforeAll
  void start(LocalCluster cluster, KubernetesClient k8s, TestNamespace ns) {
    this.k8s = k8s;
    this.namespace = ns.name();
    canary = new ScrapeTarget();
    canary.set("canary_error_ratio{test=\"good\"}", "0.01");
    canary.set("canary_error_ratio{test=\"bad\"}", "0.2");
    canary.set("canary_error_ratio{test=\"borderline\"}", "0.07");
    prometheus = new PrometheusServer(canary.address());
    prometheus.awaitValue("canary_error_ratio{test=\"borderline\"}", "0.07");
    controller = new ControllerInJvm(cluster, namespace);
    rollouts = new Rollouts(k8s, namespace);
    templates = new AnalysisTemplates(k8s, namespace);
    templates.create(AnalysisTemplates.errorRate("error-rate", prometheus.address(), 3, 0));
    templates.create(AnalysisTemplates.errorRate("error-rate-background", prometheus.address(), 0, 0));
  }

  @AfterAll
  void stop() throws Exception {
    if (controller != null) controller.close();
    if (prometheus != null) prometheus.close();
    if (canary != null) canary.close();
  }

  /** Created, Healthy on the first template, then updated to app:2.0; returns the new pod-template-hash. */
  private String deployThenUpdate(Timeline timeline, String name, String canaryExtra, String steps) {
    rollouts.create(Rollouts.manifest(name, 4, "registry.example/app:1.0", "", canaryExtra, steps));
    String stable = timeline.awaitStatus(60, "first template Healthy", s -> "Healthy".equals(s.phase())).stableRS();
    assertThat(timeline.runs()).as("no analysis without an update").isEmpty();
    rollouts.setImage(name, "registry.example/app:2.0");
    timeline.note("image set to app:2.0");
    String desired = timeline.awaitStatus(30, "update started", s -> !Objects.equals(s.currentPodHash(), stable)).currentPodHash();
    return desired;
  }

  private static boolean healthyOn(RolloutStatus s, String hash) {
    return "Healthy".equals(s.phase()) && hash.equals(s.stableRS()) && hasCondition(s, "Healthy", "True");
  }

  private AnalysisRun run(Timeline timeline, String name) {
    return timeline.runs().stream().filter(r -> r.getMetadata().getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no AnalysisRun " + name + " in " + timeline.runs().stream()
            .map(r -> r.getMetadata().getName()).toList()));
  }

  @Test
  void goodMetricsPassTheStepAndTheBackgroundAnalysisAndTheRolloutPromotesToHealthy() {
    Timeline timeline = new Timeline(k8s, namespace, "good");
    String hash = deployThenUpdate(timeline, "good", AnalysisTemplates.background("error-rate-background", "good", 1),
        STEPS_AROUND.formatted(AnalysisTemplates.step("error-rate", "good").strip()));

    RolloutStatus waiting = timeline.awaitStatus(60, "waiting on the step analysis", s ->
        s.canary() != null && s.canary().currentStepAnalysisRunStatus() != null && s.currentStepIndex() == 1);
    assertThat(waiting.canary().currentStepAnalysisRunStatus().name()).isEqualTo("good-" + hash + "-2-1");
    assertThat(canaryWeight(waiting)).isEqualTo(25);
    RolloutStatus done = timeline.awaitStatus(90, "Healthy on the new template", s -> healthyOn(s, hash));
    timeline.printRuns();
    timeline.printEvents();

    AnalysisRun step = run(timeline, "good-" + hash + "-2-1");
    AnalysisRun background = run(timeline, "good-" + hash + "-2");
    assertThat(step.getStatus().phase()).isEqualTo("Successful");
    assertThat(step.getStatus().metricResults().get(0).count()).isEqualTo(3);
    assertThat(step.getSpec().args()).as("the rollout's values, the latest hash resolved")
        .extracting(a -> a.name() + "=" + a.value()).containsExactly("test=good", "canary-hash=" + hash);
    assertThat(step.getMetadata().getLabels()).containsEntry("sluice.dev/rollout", "good")
        .containsEntry("sluice.dev/pod-template-hash", hash).containsEntry("sluice.dev/analysis-type", "step")
        .containsEntry("sluice.dev/step-index", "1");
    for (AnalysisRun run : List.of(step, background)) {
      assertThat(run.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
        assertThat(o.getKind()).isEqualTo("Rollout");
        assertThat(o.getName()).isEqualTo("good");
        assertThat(o.getController()).isTrue();
      });
    }
    assertThat(background.getMetadata().getLabels()).containsEntry("sluice.dev/analysis-type", "background");
    assertThat(background.getSpec().terminate()).as("the background run stops at promotion").isTrue();
    assertThat(background.getStatus().phase()).isEqualTo("Successful");
    assertThat(background.getStatus().metricResults().get(0).successful()).isPositive();
    assertThat(timeline.awaitEvent("RolloutCompleted", e -> e.startsWith("RolloutCompleted")))
        .anyMatch(e -> e.startsWith("AnalysisRunSuccessful: AnalysisRun \"good-" + hash + "-2-1\" Successful"));
    assertThat(done.canary().currentBackgroundAnalysisRunStatus()).isNull();
  }

  @Test
  void aFailingMetricDryRunThroughDotStarNeverAbortsAndTheRunShowsTheDryRunResult() {
    Timeline timeline = new Timeline(k8s, namespace, "dryrun");
    String step = AnalysisTemplates.step("error-rate", "bad").strip() + "\n    dryRun: [{metricName: \".*\"}]";
    String hash = deployThenUpdate(timeline, "dryrun", "", STEPS_AROUND.formatted(step));

    RolloutStatus done = timeline.awaitStatus(90, "Healthy on the new template", s -> healthyOn(s, hash));
    timeline.printRuns();
    timeline.printEvents();

    AnalysisRun run = run(timeline, "dryrun-" + hash + "-2-1");
    assertThat(run.getStatus().phase()).as("a dry-run metric never fails the run").isEqualTo("Successful");
    assertThat(run.getStatus().metricResults()).singleElement().satisfies(m -> {
      assertThat(m.dryRun()).isTrue();
      assertThat(m.phase()).isEqualTo("Failed");
    });
    assertThat(run.getStatus().dryRunSummary().failed()).isEqualTo(1);
    assertThat(run.getStatus().message()).contains("dry-run metric \"error-rate\"");
    assertThat(done.abort()).isNull();
    assertThat(timeline.events()).noneMatch(e -> e.startsWith("RolloutAborted"));
  }

  @Test
  void badMetricsDuringAStepAbortWithTrafficBackToStableAndStatusNamingTheMetric() {
    Timeline timeline = new Timeline(k8s, namespace, "bad");
    String hash = deployThenUpdate(timeline, "bad", "abortScaleDownDelaySeconds: 3",
        STEPS_AROUND.formatted(AnalysisTemplates.step("error-rate", "bad").strip()));

    RolloutStatus aborted = timeline.awaitStatus(60, "aborted", s -> Boolean.TRUE.equals(s.abort()));
    int canaryPodsAtAbort = specReplicas(rollouts.replicaSet("bad", hash));
    timeline.printRuns();
    timeline.printEvents();

    String run = "bad-" + hash + "-2-1";
    String cause = "AnalysisRun \"" + run + "\" Failed: metric \"error-rate\" assessed Failed due to failed (1) > failureLimit (0): "
        + "failureCondition \"result[0] >= 0.1\" is true for [0.2]";
    assertThat(aborted.phase()).isEqualTo("Degraded");
    assertThat(aborted.message()).isEqualTo("RolloutAborted: Rollout aborted update to revision 2: " + cause);
    assertThat(canaryWeight(aborted)).as("traffic back to stable").isZero();
    assertThat(canaryPodsAtAbort).as("before any canary pod goes").isEqualTo(1);
    assertThat(aborted.canary().currentStepAnalysisRunStatus().status()).isEqualTo("Failed");
    assertThat(timeline.awaitEvent("RolloutAborted", e -> e.startsWith("RolloutAborted")))
        .contains("RolloutAborted: Rollout aborted update to revision 2: " + cause);
    assertThat(run(timeline, run).getStatus().metricResults().get(0).count()).as("stopped at the first failure").isEqualTo(1);

    timeline.awaitStatus(30, "canary scaled down after abortScaleDownDelaySeconds",
        s -> specReplicas(rollouts.replicaSet("bad", hash)) == 0 && s.availableReplicas() == 4);
    assertThat(Duration.between(Instant.parse(aborted.abortedAt()), Instant.now())).isGreaterThanOrEqualTo(Duration.ofMillis(2900));
    assertThat(run(timeline, run).getSpec().terminate()).isTrue();
  }

  @Test
  void promoteDuringARunningAnalysisStepSkipsItAndTerminatesTheRunAsArgoRolloutsDoes(LocalCluster cluster) {
    Timeline timeline = new Timeline(k8s, namespace, "skipped");
    // the background template measures until terminated: as a step, it would hold the rollout for good
    String hash = deployThenUpdate(timeline, "skipped", "",
        STEPS_AROUND.formatted(AnalysisTemplates.step("error-rate-background", "good").strip()));
    String run = "skipped-" + hash + "-2-1";
    timeline.awaitStatus(60, "the step's run measuring", s -> s.canary() != null && s.canary().currentStepAnalysisRunStatus() != null
        && "Running".equals(s.canary().currentStepAnalysisRunStatus().status()) && s.currentStepIndex() == 1);

    KubectlSluice.Result promoted = new KubectlSluice(cluster, namespace).run("promote", "skipped");
    timeline.note("kubectl sluice promote skipped: " + promoted.out().strip());
    assertThat(promoted.exitCode()).as(promoted.err()).isZero();
    assertThat(promoted.out()).isEqualTo("rollout \"skipped\" promoted: skipped step 2/3\n");

    RolloutStatus done = timeline.awaitStatus(60, "Healthy after the skipped step", s -> healthyOn(s, hash));
    timeline.printRuns();
    assertThat(done.currentStepIndex()).isEqualTo(3);
    AnalysisRun skipped = k8s.resources(AnalysisRun.class).inNamespace(namespace).withName(run).get();
    assertThat(skipped.getSpec().terminate()).isTrue();
    await().atMost(Duration.ofSeconds(30)).until(() ->
        "Successful".equals(k8s.resources(AnalysisRun.class).inNamespace(namespace).withName(run).get().getStatus().phase()));
    System.out.printf("[skipped] %s; run %s: terminate=true, phase Successful%n", promoted.out().strip(), run);
  }

  @Test
  void anInconclusiveAnalysisPausesTheRolloutAndPromoteGoesOn() {
    Timeline timeline = new Timeline(k8s, namespace, "borderline");
    String hash = deployThenUpdate(timeline, "borderline", "",
        STEPS_AROUND.formatted(AnalysisTemplates.step("error-rate", "borderline").strip()));

    RolloutStatus paused = timeline.awaitStatus(60, "paused: inconclusive", s -> "Paused".equals(s.phase()));
    timeline.printRuns();
    assertThat(paused.pauseConditions()).extracting(PauseCondition::reason).containsExactly("InconclusiveAnalysisRun");
    assertThat(paused.controllerPause()).isTrue();
    assertThat(paused.currentStepIndex()).isEqualTo(1);
    assertThat(paused.message()).startsWith("InconclusiveAnalysisRun: AnalysisRun \"borderline-" + hash
        + "-2-1\" Inconclusive: metric \"error-rate\" assessed Inconclusive due to inconclusive (1) > inconclusiveLimit (0)")
        .endsWith("; promote to go on");
    assertThat(hasCondition(paused, "Paused", "True")).isTrue();

    rollouts.promote("borderline");
    timeline.note("promoted");

    timeline.awaitStatus(60, "Healthy after the promote", s -> healthyOn(s, hash));
    timeline.printEvents();
    timeline.awaitEvent("RolloutPromoted", e -> e.startsWith("RolloutPromoted: Promoted: going on after the inconclusive analysis"));
  }

  @Test
  void aConditionThatDoesNotCompileAbortsTheRolloutSayingSo() {
    templates.create(AnalysisTemplates.brokenCondition("broken", prometheus.address()));
    Timeline timeline = new Timeline(k8s, namespace, "broken");
    String hash = deployThenUpdate(timeline, "broken", "", STEPS_AROUND.formatted(AnalysisTemplates.step("broken", "good").strip()));

    RolloutStatus aborted = timeline.awaitStatus(60, "aborted", s -> Boolean.TRUE.equals(s.abort()));
    timeline.printRuns();

    assertThat(aborted.message()).startsWith("RolloutAborted: Rollout aborted update to revision 2: AnalysisRun \"broken-" + hash
        + "-2-1\" Error: analysis spec invalid: metric \"error-rate\": successCondition \"result[0] <\" does not compile: at 1:");
    assertThat(canaryWeight(aborted)).isZero();
  }

  @Test
  void aMissingTemplateIsInvalidSpecUntilItIsCreated() {
    Timeline timeline = new Timeline(k8s, namespace, "late");
    rollouts.create(Rollouts.manifest("late", 2, "registry.example/app:1.0", "", "",
        STEPS_AROUND.formatted(AnalysisTemplates.step("late-template", "good").strip())));

    RolloutStatus invalid = timeline.awaitStatus(30, "InvalidSpec", s -> hasCondition(s, "InvalidSpec", "True"));
    assertThat(invalid.message()).isEqualTo("spec.strategy.canary.steps[1].analysis.templates[0]: AnalysisTemplate \"late-template\" "
        + "not found in namespace \"" + namespace + "\"");
    assertThat(rollouts.replicaSets("late")).as("nothing is touched").isEmpty();

    templates.create(AnalysisTemplates.errorRate("late-template", prometheus.address(), 1, 0));
    timeline.note("AnalysisTemplate late-template created");

    RolloutStatus healthy = timeline.awaitStatus(60, "Healthy: the template's creation woke the rollout", s -> "Healthy".equals(s.phase()));
    assertThat(hasCondition(healthy, "InvalidSpec", "True")).isFalse();
  }
}
