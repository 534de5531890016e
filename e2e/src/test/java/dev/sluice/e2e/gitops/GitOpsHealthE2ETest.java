package dev.sluice.e2e.gitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.e2e.ControllerInJvm;
import dev.sluice.e2e.LocalCluster;
import dev.sluice.e2e.RealCluster;
import dev.sluice.e2e.RealCluster.TestNamespace;
import dev.sluice.e2e.Rollouts;
import dev.sluice.e2e.gitops.ArgoCdHealthCheck.Health;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What Argo CD (deploy/argocd/health.lua on a real Lua 5.1) and Flux/kpt (the real kstatus
 * library) say about live Rollouts driven into each state by the real controller; the object is
 * exactly what {@code kubectl get rollout -o json} prints.
 */
@RealCluster
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GitOpsHealthE2ETest {
  private static final String STEPS = "- setWeight: 50\n- pause: {}";
  private static final ObjectMapper JSON = new ObjectMapper();

  private ControllerInJvm controller;
  private LocalCluster cluster;
  private Rollouts rollouts;
  private String ns;
  private ArgoCdHealthCheck argoCd;
  private KstatusCheck kstatus;

  @BeforeAll
  void start(LocalCluster cluster, TestNamespace ns) {
    // both checkers first: a missing lua5.1 or a kstatus build failure is reported before anything runs
    argoCd = new ArgoCdHealthCheck(cluster.repoRoot());
    kstatus = new KstatusCheck(cluster.repoRoot());
    this.cluster = cluster;
    this.ns = ns.name();
    rollouts = new Rollouts(cluster.client(), ns.name());
    controller = new ControllerInJvm(cluster, ns.name());
  }

  @AfterAll
  void stop() {
    if (controller != null) controller.close();
  }

  private record Verdicts(String phase, Health argoCd, KstatusCheck.Result kstatus) {}

  /** Both tools' verdict on the rollout as kubectl prints it, logged as a row of the states table. */
  private Verdicts judge(String state, JsonNode rollout) {
    Verdicts v = new Verdicts(rollout.path("status").path("phase").asText(), argoCd.check(rollout),
        kstatus.check(rollout.toString()));
    System.out.printf("[gitops-health] %-26s | phase %-11s | Argo CD %-11s %-70s | kstatus %-10s %s%n", state, v.phase(),
        v.argoCd().status(), "\"" + v.argoCd().message() + "\"", v.kstatus().status(), "\"" + v.kstatus().message() + "\"");
    return v;
  }

  private JsonNode kubectlGet(String name) {
    try {
      return JSON.readTree(cluster.kubectl("get", "rollout", name, "-n", ns, "-o", "json"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Polls kubectl until the rollout's status describes its current spec and matches {@code state}; returns that object. */
  private JsonNode awaitRollout(String name, String what, Predicate<JsonNode> state) {
    AtomicReference<JsonNode> seen = new AtomicReference<>();
    await().alias(name + ": " + what).atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).until(() -> {
      JsonNode r = kubectlGet(name);
      seen.set(r);
      return r.path("status").path("observedGeneration").asLong(-1) == r.path("metadata").path("generation").asLong()
          && state.test(r);
    });
    return seen.get();
  }

  private static Predicate<JsonNode> phase(String phase) {
    return r -> phase.equals(r.path("status").path("phase").asText());
  }

  private JsonNode healthy(String name, String extraSpec) {
    rollouts.create(Rollouts.manifest(name, 2, "registry.example/app:1.0", extraSpec, "", STEPS));
    return awaitRollout(name, "Healthy", phase("Healthy"));
  }

  @Test
  void aHealthyRolloutIsHealthyAndCurrent() {
    Verdicts v = judge("Healthy", healthy("healthy", ""));

    assertThat(v.argoCd()).isEqualTo(new Health("Healthy", null));
    assertThat(v.kstatus()).isEqualTo(new KstatusCheck.Result("Current", "Resource is Ready"));
  }

  @Test
  void anyPauseIsSuspendedAndInProgress() {
    healthy("paused", "");
    rollouts.setImage("paused", "registry.example/app:2.0");

    Verdicts step = judge("paused at a step", awaitRollout("paused", "paused at the pause step", phase("Paused")));
    assertThat(step.argoCd()).isEqualTo(new Health("Suspended", "CanaryPauseStep: paused at step 2/2 (pause until promoted)"));
    assertThat(step.kstatus()).isEqualTo(new KstatusCheck.Result("InProgress", "paused at step 2/2 (pause until promoted)"));

    rollouts.patchSpec("paused", "{\"paused\":true}");
    Verdicts user = judge("paused by the user", awaitRollout("paused", "paused by the user",
        phase("Paused").and(r -> r.path("status").path("message").asText().startsWith("PausedByUser"))));
    assertThat(user.argoCd()).isEqualTo(new Health("Suspended", "PausedByUser: spec.paused is true"));
    assertThat(user.kstatus()).isEqualTo(new KstatusCheck.Result("InProgress", "spec.paused is true"));
  }

  @Test
  void anAbortedRolloutIsDegradedAndFailed() {
    healthy("aborted", "");
    rollouts.setImage("aborted", "registry.example/app:2.0");
    awaitRollout("aborted", "paused at the pause step", phase("Paused"));
    rollouts.abort("aborted");

    Verdicts v = judge("aborted", awaitRollout("aborted", "aborted", phase("Degraded")));

    assertThat(v.argoCd()).isEqualTo(new Health("Degraded", "RolloutAborted: Rollout aborted update to revision 2: aborted by the user (status.abort)"));
    assertThat(v.kstatus()).isEqualTo(new KstatusCheck.Result("Failed", "Rollout aborted update to revision 2: aborted by the user (status.abort)"));
  }

  @Test
  void anUpdateThatCannotBecomeReadyIsProgressingThenDegradedAndFailedAtItsDeadline() {
    healthy("stuck", "progressDeadlineSeconds: 20");
    rollouts.setImage("stuck", "registry.example/app:crashloop");

    Verdicts moving = judge("progressing", awaitRollout("stuck", "canary pods not becoming ready",
        phase("Progressing").and(r -> r.path("status").path("message").asText().equals("updated replicas are still becoming available"))));
    assertThat(moving.argoCd()).isEqualTo(new Health("Progressing", "updated replicas are still becoming available"));
    assertThat(moving.kstatus()).isEqualTo(new KstatusCheck.Result("InProgress", "updated replicas are still becoming available"));

    Verdicts late = judge("past the progress deadline", awaitRollout("stuck", "past its progress deadline", phase("Degraded")));
    assertThat(late.argoCd().status()).isEqualTo("Degraded");
    assertThat(late.argoCd().message()).matches("ProgressDeadlineExceeded: ReplicaSet \"stuck-[a-z0-9]+\" has timed out progressing\\.");
    assertThat(late.kstatus().status()).isEqualTo("Failed");
    assertThat(late.kstatus().message()).matches("ReplicaSet \"stuck-[a-z0-9]+\" has timed out progressing\\.");
  }

  @Test
  void anInvalidSpecIsDegradedAndFailed() {
    healthy("invalid", "");
    rollouts.patchSpec("invalid", "{\"strategy\":{\"canary\":{\"steps\":[{\"setWeight\":150}]}}}");

    Verdicts v = judge("InvalidSpec", awaitRollout("invalid", "InvalidSpec", phase("Degraded")));

    String problem = "spec.strategy.canary.steps[0].setWeight: must be between 0 and 100, got 150";
    assertThat(v.argoCd()).isEqualTo(new Health("Degraded", problem));
    assertThat(v.kstatus()).isEqualTo(new KstatusCheck.Result("Failed", problem));
  }
}
