package dev.sluice.traffic;

import static dev.sluice.traffic.Fixtures.at;
import static dev.sluice.traffic.Fixtures.parse;
import static dev.sluice.traffic.Fixtures.tree;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class TrafficSplitRewriterTest {
  private static final OwnerReference OWNER = new OwnerReferenceBuilder().withApiVersion("sluice.dev/v1alpha1")
      .withKind("Rollout").withName("demo").withUid("uid-1").withController(true).build();
  private final TrafficSplitRewriter rewriter = new TrafficSplitRewriter("demo-canary", "demo-stable");

  @ParameterizedTest
  @CsvSource({"0, 100", "10, 90", "50, 50", "100, 0"})
  void newTrafficSplitSplitsTheRootServiceAndIsOwnedByTheRollout(int canary, int stable) {
    GenericKubernetesResource split = rewriter.withWeight(null, "demo", "shop", "demo-root", OWNER, WeightSplit.of(canary, 100));

    assertThat(tree(split)).isEqualTo(tree(parse("""
        apiVersion: split.smi-spec.io/v1alpha2
        kind: TrafficSplit
        metadata:
          name: demo
          namespace: shop
          ownerReferences:
          - {apiVersion: sluice.dev/v1alpha1, kind: Rollout, name: demo, uid: uid-1, controller: true}
        spec:
          service: demo-root
          backends:
          - {service: demo-canary, weight: %d}
          - {service: demo-stable, weight: %d}
        """.formatted(canary, stable), Map.class)));
    assertThat(rewriter.canaryWeight(split, 100)).contains(canary);
  }

  @Test
  void anExistingSplitKeepsWhatOthersPutOnIt() {
    GenericKubernetesResource existing = rewriter.withWeight(null, "demo", "shop", "demo-root", OWNER, WeightSplit.of(10, 100));
    existing.getMetadata().setLabels(Map.of("team", "payments"));
    existing.getMetadata().setResourceVersion("42");

    GenericKubernetesResource out = rewriter.withWeight(existing, "demo", "shop", "demo-root", OWNER, WeightSplit.of(60, 1000));

    assertThat(out.getMetadata().getLabels()).containsEntry("team", "payments");
    assertThat(out.getMetadata().getResourceVersion()).isEqualTo("42");
    assertThat(at(out, "/spec/backends/0/weight").asInt()).isEqualTo(60);
    assertThat(at(out, "/spec/backends/1/weight").asInt()).isEqualTo(940);
    assertThat(rewriter.canaryWeight(out, 1000)).contains(60);
    assertThat(tree(rewriter.withWeight(out, "demo", "shop", "demo-root", OWNER, WeightSplit.of(60, 1000)))).isEqualTo(tree(out));
  }
}
