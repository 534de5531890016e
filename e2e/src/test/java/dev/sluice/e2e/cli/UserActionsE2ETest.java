package dev.sluice.e2e.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.e2e.LocalCluster;
import dev.sluice.e2e.RealCluster;
import dev.sluice.e2e.RealCluster.TestNamespace;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each user action of kubectl-sluice changes the stored Rollout exactly as shared/api.md says, and nothing else. */
@RealCluster
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UserActionsE2ETest {
  private KubectlSluice cli;
  private RolloutFixtures fixtures;
  private String namespace;

  @BeforeAll
  void setUp(LocalCluster cluster, KubernetesClient k8s, TestNamespace ns) {
    cli = new KubectlSluice(cluster, ns.name());
    fixtures = new RolloutFixtures(k8s, ns.name());
    namespace = ns.name();
  }

  private static final String PAUSED_AT_STEP = """
      {"phase":"Paused","message":"CanaryPauseStep","currentStepIndex":1,"currentPodHash":"bbb","stableRS":"aaa",
       "pauseConditions":[{"reason":"CanaryPauseStep","startTime":"2025-03-01T12:00:00Z"}]}""";

  @Test
  void promoteClearsThePauseConditionsAndAUserPause() {
    fixtures.create("promote-paused", "registry.example/app:2", "paused: true");
    fixtures.setStatus("promote-paused", PAUSED_AT_STEP);

    KubectlSluice.Result result = cli.run("promote", "promote-paused");

    assertThat(result.out()).isEqualTo("rollout \"promote-paused\" promoted\n");
    assertThat(result.exitCode()).isZero();
    Rollout after = fixtures.get("promote-paused");
    assertThat(after.getStatus().pauseConditions()).isNull();
    assertThat(after.getSpec().paused()).isFalse();
    assertThat(after.getStatus().currentStepIndex()).as("the controller moves the step, not the plugin").isEqualTo(1);
    assertThat(after.getStatus().promoteFull()).isNull();
  }

  @Test
  void promoteLeavesTheSpecAloneWhenTheUserDidNotPause() {
    Rollout before = fixtures.create("promote-step", "registry.example/app:2", "");
    fixtures.setStatus("promote-step", PAUSED_AT_STEP);

    assertThat(cli.run("promote", "promote-step").exitCode()).isZero();

    Rollout after = fixtures.get("promote-step");
    assertThat(after.getStatus().pauseConditions()).isNull();
    assertThat(after.getSpec().paused()).isNull();
    assertThat(after.getMetadata().getGeneration()).as("no spec change, so no new generation").isEqualTo(before.getMetadata().getGeneration());
  }

  @Test
  void promoteOfACanaryThatIsNotPausedSkipsItsCurrentStepAsArgoRolloutsDoes() {
    Rollout before = fixtures.create("promote-skip", "registry.example/app:2", "");
    // at step 3/4 (setWeight 50), not paused: e.g. waiting for the canary's pods or on an analysis step
    fixtures.setStatus("promote-skip", """
        {"phase":"Progressing","currentStepIndex":2,"currentPodHash":"bbb","stableRS":"aaa"}""");

    KubectlSluice.Result result = cli.run("promote", "promote-skip");

    assertThat(result.out()).isEqualTo("rollout \"promote-skip\" promoted: skipped step 3/4\n");
    assertThat(result.exitCode()).isZero();
    Rollout after = fixtures.get("promote-skip");
    assertThat(after.getStatus().currentStepIndex()).isEqualTo(3);
    assertThat(after.getStatus().promoteFull()).isNull();
    assertThat(after.getMetadata().getGeneration()).isEqualTo(before.getMetadata().getGeneration());
  }

  @Test
  void promoteFullAsksToSkipAllRemainingSteps() {
    fixtures.create("promote-full", "registry.example/app:2", "");
    fixtures.setStatus("promote-full", PAUSED_AT_STEP);

    KubectlSluice.Result result = cli.run("promote", "promote-full", "--full");

    assertThat(result.out()).isEqualTo("rollout \"promote-full\" fully promoted\n");
    assertThat(fixtures.get("promote-full").getStatus().promoteFull()).isTrue();
  }

  @Test
  void abortThenRetry() {
    fixtures.create("abort-retry", "registry.example/app:2", "");
    fixtures.setStatus("abort-retry", PAUSED_AT_STEP);

    KubectlSluice.Result abort = cli.run("abort", "abort-retry");
    Boolean abortedFlag = fixtures.get("abort-retry").getStatus().abort();
    KubectlSluice.Result retry = cli.run("retry", "abort-retry");

    assertThat(abort.out()).isEqualTo("rollout \"abort-retry\" aborted\n");
    assertThat(abortedFlag).isTrue();
    assertThat(retry.out()).isEqualTo("rollout \"abort-retry\" retried\n");
    assertThat(fixtures.get("abort-retry").getStatus().abort()).isFalse();
  }

  @Test
  void pauseThenResume() {
    fixtures.create("pause-resume", "registry.example/app:2", "");

    KubectlSluice.Result pause = cli.run("pause", "pause-resume");
    Boolean pausedFlag = fixtures.get("pause-resume").getSpec().paused();
    KubectlSluice.Result resume = cli.run("resume", "pause-resume");

    assertThat(pause.out()).isEqualTo("rollout \"pause-resume\" paused\n");
    assertThat(pausedFlag).isTrue();
    assertThat(resume.out()).isEqualTo("rollout \"pause-resume\" resumed\n");
    assertThat(fixtures.get("pause-resume").getSpec().paused()).isFalse();
  }

  @Test
  void restartSetsRestartAtToNow() {
    fixtures.create("restart", "registry.example/app:2", "");
    Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    KubectlSluice.Result result = cli.run("restart", "restart");

    Instant after = Instant.now();
    String restartAt = fixtures.get("restart").getSpec().restartAt();
    assertThat(result.exitCode()).isZero();
    assertThat(OffsetDateTime.parse(restartAt).toInstant()).isBetween(before, after);
    assertThat(result.out()).contains(restartAt);
  }

  @Test
  void setImageChangesOnlyTheNamedContainer() {
    fixtures.create("set-image", "registry.example/app:1", "");

    KubectlSluice.Result result = cli.run("set", "image", "set-image", "app=registry.example/app:2");

    assertThat(result.out()).isEqualTo("rollout \"set-image\" image updated: app=registry.example/app:2\n");
    assertThat(fixtures.get("set-image").getSpec().template().getSpec().getContainers())
        .extracting(Container::getName, Container::getImage)
        .containsExactly(
            tuple("app", "registry.example/app:2"),
            tuple("proxy", "registry.example/proxy:1.0"));
  }

  @Test
  void setImageOfAContainerThatIsNotThereChangesNothing() {
    Rollout before = fixtures.create("set-image-unknown", "registry.example/app:1", "");

    KubectlSluice.Result result = cli.run("set", "image", "set-image-unknown", "web=registry.example/web:2");

    assertThat(result.errLines()).containsExactly("error: rollout \"set-image-unknown\" has no container \"web\" (containers: app, proxy)");
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(fixtures.get("set-image-unknown").getMetadata().getResourceVersion()).isEqualTo(before.getMetadata().getResourceVersion());
  }

  @Test
  void undoPutsBackThePreviousRevisionsTemplateWithoutTheHashLabel() {
    Rollout rollout = fixtures.create("undo", "registry.example/app:3", "");
    fixtures.replicaSet(rollout, "aaa", 1, "registry.example/app:1", 0);
    var second = fixtures.replicaSet(rollout, "bbb", 2, "registry.example/app:2", 0);
    fixtures.replicaSet(rollout, "ccc", 3, "registry.example/app:3", 0);
    fixtures.setStatus("undo", "{\"phase\":\"Healthy\",\"currentPodHash\":\"ccc\",\"stableRS\":\"ccc\"}");

    KubectlSluice.Result result = cli.run("undo", "undo");

    assertThat(result.out()).isEqualTo("rollout \"undo\" goes back to revision 2 (ReplicaSet undo-bbb)\n");
    PodTemplateSpec template = fixtures.get("undo").getSpec().template();
    assertThat(template.getMetadata().getLabels()).isEqualTo(Map.of("app", "undo"));
    assertThat(template.getMetadata().getAnnotations()).isEqualTo(Map.of("revision-note", "r2"));
    assertThat(template.getSpec()).isEqualTo(second.getSpec().getTemplate().getSpec());
  }

  @Test
  void undoToARevisionAndToOneThatDoesNotExist() {
    Rollout rollout = fixtures.create("undo-to", "registry.example/app:3", "");
    fixtures.replicaSet(rollout, "aaa", 1, "registry.example/app:1", 0);
    fixtures.replicaSet(rollout, "bbb", 2, "registry.example/app:2", 0);
    fixtures.replicaSet(rollout, "ccc", 3, "registry.example/app:3", 0);

    KubectlSluice.Result toFirst = cli.run("undo", "undo-to", "--to-revision", "1");
    String imageAfterFirst = fixtures.get("undo-to").getSpec().template().getSpec().getContainers().get(0).getImage();
    String versionAfterFirst = fixtures.get("undo-to").getMetadata().getResourceVersion();
    KubectlSluice.Result toMissing = cli.run("undo", "undo-to", "--to-revision", "9");

    assertThat(toFirst.exitCode()).isZero();
    assertThat(imageAfterFirst).isEqualTo("registry.example/app:1");
    assertThat(toMissing.errLines()).containsExactly("error: rollout \"undo-to\" has no revision 9 (revisions: 1, 2, 3)");
    assertThat(toMissing.exitCode()).isEqualTo(1);
    assertThat(fixtures.get("undo-to").getMetadata().getResourceVersion()).isEqualTo(versionAfterFirst);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"promote", "promote --full", "abort", "retry", "pause", "resume", "restart", "undo",
      "set image NAME app=x:1", "get rollout", "status"})
  void aRolloutThatDoesNotExistIsOneClearLine(String command) {
    String[] args = (command.contains("NAME") ? command.replace("NAME", "missing") : command + " missing").split(" ");

    KubectlSluice.Result result = cli.run(args);

    assertThat(result.errLines()).containsExactly("error: rollout \"missing\" not found in namespace \"" + namespace + "\"");
    assertThat(result.out()).isEmpty();
    assertThat(result.exitCode()).isEqualTo(1);
  }
}
