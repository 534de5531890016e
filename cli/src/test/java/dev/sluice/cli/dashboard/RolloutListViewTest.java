package dev.sluice.cli.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.cli.kube.StoredRollouts;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import org.junit.jupiter.api.Test;

class RolloutListViewTest {
  private static final KubernetesSerialization YAML = new KubernetesSerialization();

  @Test
  void rolloutsAreGroupedByNamespaceAndSortedByName() {
    RolloutListView view = RolloutListView.of(null, readable(
        rollout("web", "prod", "status: {phase: Healthy, currentStepIndex: 2, readyReplicas: 3}"),
        rollout("api", "prod", """
            status: {phase: Paused, currentStepIndex: 1, readyReplicas: 2, message: "CanaryPauseStep",
                     pauseConditions: [{reason: CanaryPauseStep}], canary: {weights: {canary: {weight: 20}}}}
            """),
        rollout("web", "dev", "status: {phase: Degraded, abort: true, currentStepIndex: 0}"),
        rollout("new", "dev", "")));

    assertThat(view.namespace()).isNull();
    assertThat(view.namespaces()).extracting(RolloutListView.NamespaceRollouts::name).containsExactly("dev", "prod");
    assertThat(view.namespaces().get(0).rollouts()).containsExactly(
        new RolloutListView.RolloutRow("new", "Unknown", false, false, null, "-/2", null, 0, 3),
        new RolloutListView.RolloutRow("web", "Degraded", true, false, null, "1/2", null, 0, 3));
    assertThat(view.namespaces().get(1).rollouts()).containsExactly(
        new RolloutListView.RolloutRow("api", "Paused", false, true, "CanaryPauseStep", "2/2", 20, 2, 3),
        new RolloutListView.RolloutRow("web", "Healthy", false, false, null, "2/2", null, 3, 3));
  }

  @Test
  void aBlueGreenRolloutSaysSoInsteadOfAStepAndHasNoWeight() {
    Rollout blueGreen = YAML.unmarshal("""
        apiVersion: sluice.dev/v1alpha1
        kind: Rollout
        metadata: {name: shop, namespace: prod}
        spec:
          replicas: 3
          selector: {matchLabels: {app: x}}
          template: {metadata: {labels: {app: x}}, spec: {containers: [{name: app, image: x}]}}
          strategy: {blueGreen: {activeService: shop-active}}
        status: {phase: Paused, readyReplicas: 4, pauseConditions: [{reason: BlueGreenPause}], blueGreen: {activeSelector: a, previewSelector: b}}
        """, Rollout.class);

    assertThat(RolloutListView.row(blueGreen))
        .isEqualTo(new RolloutListView.RolloutRow("shop", "Paused", false, true, null, "blue-green", null, 4, 3));
  }

  @Test
  void noRolloutsIsNoNamespaces() {
    assertThat(RolloutListView.of("prod", readable())).isEqualTo(new RolloutListView("prod", List.of()));
  }

  @Test
  void aRolloutTheModelCannotReadIsARowSayingWhereAndWhyAmongTheOthers() {
    var unreadable = new StoredRollouts.Unreadable("prod", "checkout", "spec.strategy.canary.maxSurge: ... (stored: 9000000000)");
    RolloutListView view = RolloutListView.of("prod", new StoredRollouts.Listing(
        List.of(rollout("web", "prod", "status: {phase: Healthy}"), rollout("api", "prod", "")), List.of(unreadable)));

    assertThat(view.namespaces()).singleElement().satisfies(ns -> assertThat(ns.rollouts()).containsExactly(
        new RolloutListView.RolloutRow("api", "Unknown", false, false, null, "-/2", null, 0, 3),
        new RolloutListView.RolloutRow("checkout", "Unreadable", false, false,
            "rollout \"prod/checkout\" cannot be read by kubectl-sluice: spec.strategy.canary.maxSurge: ... (stored: 9000000000)",
            null, null, 0, 0),
        new RolloutListView.RolloutRow("web", "Healthy", false, false, null, "-/2", null, 0, 3)));
  }

  private static StoredRollouts.Listing readable(Rollout... rollouts) {
    return new StoredRollouts.Listing(List.of(rollouts), List.of());
  }

  private static Rollout rollout(String name, String namespace, String status) {
    return YAML.unmarshal("""
        apiVersion: sluice.dev/v1alpha1
        kind: Rollout
        metadata: {name: %s, namespace: %s}
        spec:
          replicas: 3
          selector: {matchLabels: {app: x}}
          template: {metadata: {labels: {app: x}}, spec: {containers: [{name: app, image: x}]}}
          strategy: {canary: {steps: [{setWeight: 20}, {pause: {}}]}}
        """.formatted(name, namespace) + status, Rollout.class);
  }
}
