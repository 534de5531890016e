package dev.sluice.e2e.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.e2e.LocalCluster;
import dev.sluice.e2e.RealCluster;
import dev.sluice.e2e.RealCluster.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * `status` as a CI pipeline uses it, as `kubectl argo rollouts status`: it watches by default until
 * Healthy (exit 0) or Degraded (exit 1), through pauses, or until --timeout (exit 2); --watch=false
 * prints the status once (exit 1 if Degraded, else 0). The status is written by hand, as the
 * controller would write it (no controller runs in this namespace).
 */
@RealCluster
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatusE2ETest {
  private KubectlSluice cli;
  private RolloutFixtures fixtures;

  @BeforeAll
  void setUp(LocalCluster cluster, KubernetesClient k8s, TestNamespace ns) {
    cli = new KubectlSluice(cluster, ns.name());
    fixtures = new RolloutFixtures(k8s, ns.name());
  }

  @Test
  void healthyExitsZeroWatchingOrNot() {
    fixtures.create("healthy", "registry.example/app:1", "");
    fixtures.setStatus("healthy", "{\"phase\":\"Healthy\",\"observedGeneration\":1}");

    KubectlSluice.Result watching = cli.run("status", "healthy");
    KubectlSluice.Result once = cli.run("status", "healthy", "--watch=false");

    assertThat(watching.out()).isEqualTo("Healthy\n");
    assertThat(watching.exitCode()).isZero();
    assertThat(once.out()).isEqualTo("Healthy\n");
    assertThat(once.exitCode()).isZero();
  }

  @Test
  void degradedExitsOneWatchingOrNot() {
    fixtures.create("degraded", "registry.example/app:1", "");
    fixtures.setStatus("degraded", "{\"phase\":\"Degraded\",\"observedGeneration\":1,\"message\":\"ProgressDeadlineExceeded\"}");

    KubectlSluice.Result watching = cli.run("status", "degraded");
    KubectlSluice.Result once = cli.run("status", "degraded", "-w", "false");

    assertThat(watching.out()).isEqualTo("Degraded: ProgressDeadlineExceeded\n");
    assertThat(watching.exitCode()).isEqualTo(1);
    assertThat(once.out()).isEqualTo("Degraded: ProgressDeadlineExceeded\n");
    assertThat(once.exitCode()).isEqualTo(1);
  }

  @Test
  void withWatchFalseARolloutStillInProgressIsPrintedOnceAndExitsZeroAsArgosDoes() {
    fixtures.create("in-progress", "registry.example/app:1", "");
    fixtures.setStatus("in-progress", "{\"phase\":\"Progressing\",\"observedGeneration\":1}");

    KubectlSluice.Result result = cli.run("status", "in-progress", "--watch=false");

    assertThat(result.out()).isEqualTo("Progressing\n");
    assertThat(result.err()).isEmpty();
    assertThat(result.exitCode()).isZero();
  }

  @Test
  void aHealthyStatusForAnOlderSpecDoesNotCount() {
    fixtures.create("stale", "registry.example/app:1", "");
    fixtures.setStatus("stale", "{\"phase\":\"Healthy\",\"observedGeneration\":1}");
    assertThat(cli.run("set", "image", "stale", "app=registry.example/app:2").exitCode()).isZero();

    KubectlSluice.Result result = cli.run("status", "stale", "--timeout", "2s");

    assertThat(result.out()).isEqualTo("Progressing: waiting for the controller to see the latest spec (generation 2)\n");
    assertThat(result.exitCode()).as("still watching when the timeout came").isEqualTo(2);
  }

  @Test
  void aPauseIsNotTheEndTheWatchTimesOutWithExitTwo() {
    fixtures.create("stuck", "registry.example/app:1", "");
    fixtures.setStatus("stuck", "{\"phase\":\"Paused\",\"observedGeneration\":1,\"message\":\"CanaryPauseStep\"}");
    long start = System.nanoTime();

    KubectlSluice.Result result = cli.run("status", "stuck", "--timeout", "2s");

    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(result.out()).isEqualTo("Paused: CanaryPauseStep\n");
    assertThat(result.errLines()).containsExactly(
        "error: rollout \"stuck\" did not become Healthy within 2s (last status: Paused: CanaryPauseStep)");
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(took).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(20));
  }

  @Test
  void watchFollowsTheRolloutUntilItIsHealthy() throws Exception {
    fixtures.create("becomes-healthy", "registry.example/app:1", "");
    fixtures.setStatus("becomes-healthy", "{\"phase\":\"Progressing\",\"observedGeneration\":1,\"message\":\"updating\"}");

    // the default, as kubectl argo rollouts status NAME: watch, with no timeout
    KubectlSluice.Running status = cli.start("status", "becomes-healthy");
    await().atMost(Duration.ofSeconds(30)).until(() -> status.out().contains("Progressing: updating"));
    fixtures.setStatus("becomes-healthy", "{\"phase\":\"Paused\",\"message\":\"CanaryPauseStep\"}");
    await().atMost(Duration.ofSeconds(30)).until(() -> status.out().contains("Paused: CanaryPauseStep"));
    assertThat(status.finished()).as("a pause is not the end").isFalse();
    fixtures.setStatus("becomes-healthy", "{\"phase\":\"Healthy\",\"message\":null}");

    assertThat(status.exitCode(Duration.ofSeconds(30))).isZero();
    assertThat(status.out()).isEqualTo("Progressing: updating\nPaused: CanaryPauseStep\nHealthy\n");
  }

  @Test
  void watchEndsWithExitOneWhenTheRolloutDegrades() throws Exception {
    fixtures.create("becomes-degraded", "registry.example/app:1", "");
    fixtures.setStatus("becomes-degraded", "{\"phase\":\"Progressing\",\"observedGeneration\":1}");

    // --timeout 0: wait forever, as Argo
    KubectlSluice.Running status = cli.start("status", "becomes-degraded", "--timeout", "0");
    await().atMost(Duration.ofSeconds(30)).until(() -> status.out().contains("Progressing"));
    assertThat(status.finished()).as("a zero timeout is no timeout").isFalse();
    fixtures.setStatus("becomes-degraded", "{\"phase\":\"Degraded\",\"abort\":true,\"message\":\"RolloutAborted\"}");

    assertThat(status.exitCode(Duration.ofSeconds(30))).isEqualTo(1);
    assertThat(status.out()).endsWith("Degraded: RolloutAborted\n");
  }
}
