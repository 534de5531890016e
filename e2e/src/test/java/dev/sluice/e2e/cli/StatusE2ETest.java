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
 * `status` as a CI pipeline uses it: exit 0 Healthy, 1 Degraded, 2 timeout. The status is written
 * by hand, as the controller would write it (no controller runs in this namespace).
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
  void healthyExitsZero() {
    fixtures.create("healthy", "registry.example/app:1", "");
    fixtures.setStatus("healthy", "{\"phase\":\"Healthy\",\"observedGeneration\":1}");

    KubectlSluice.Result result = cli.run("status", "healthy");

    assertThat(result.out()).isEqualTo("Healthy\n");
    assertThat(result.exitCode()).isZero();
  }

  @Test
  void degradedExitsOne() {
    fixtures.create("degraded", "registry.example/app:1", "");
    fixtures.setStatus("degraded", "{\"phase\":\"Degraded\",\"observedGeneration\":1,\"message\":\"ProgressDeadlineExceeded\"}");

    KubectlSluice.Result result = cli.run("status", "degraded", "--watch");

    assertThat(result.out()).isEqualTo("Degraded: ProgressDeadlineExceeded\n");
    assertThat(result.exitCode()).isEqualTo(1);
  }

  @Test
  void aRolloutStillInProgressExitsTwoWithoutWaiting() {
    fixtures.create("in-progress", "registry.example/app:1", "");
    fixtures.setStatus("in-progress", "{\"phase\":\"Progressing\",\"observedGeneration\":1}");

    KubectlSluice.Result result = cli.run("status", "in-progress");

    assertThat(result.out()).isEqualTo("Progressing\n");
    assertThat(result.exitCode()).isEqualTo(2);
  }

  @Test
  void aHealthyStatusForAnOlderSpecDoesNotCount() {
    fixtures.create("stale", "registry.example/app:1", "");
    fixtures.setStatus("stale", "{\"phase\":\"Healthy\",\"observedGeneration\":1}");
    assertThat(cli.run("set", "image", "stale", "app=registry.example/app:2").exitCode()).isZero();

    KubectlSluice.Result result = cli.run("status", "stale");

    assertThat(result.out()).isEqualTo("Progressing: waiting for the controller to see the latest spec (generation 2)\n");
    assertThat(result.exitCode()).isEqualTo(2);
  }

  @Test
  void watchTimesOutWithExitTwo() {
    fixtures.create("stuck", "registry.example/app:1", "");
    fixtures.setStatus("stuck", "{\"phase\":\"Paused\",\"observedGeneration\":1,\"message\":\"CanaryPauseStep\"}");
    long start = System.nanoTime();

    KubectlSluice.Result result = cli.run("status", "stuck", "--watch", "--timeout", "2s");

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

    KubectlSluice.Running status = cli.start("status", "becomes-healthy", "--watch", "--timeout", "60s");
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

    KubectlSluice.Running status = cli.start("status", "becomes-degraded", "--timeout", "60s");
    await().atMost(Duration.ofSeconds(30)).until(() -> status.out().contains("Progressing"));
    fixtures.setStatus("becomes-degraded", "{\"phase\":\"Degraded\",\"abort\":true,\"message\":\"RolloutAborted\"}");

    assertThat(status.exitCode(Duration.ofSeconds(30))).isEqualTo(1);
    assertThat(status.out()).endsWith("Degraded: RolloutAborted\n");
  }
}
