package dev.sluice.traffic;

import static dev.sluice.traffic.Fixtures.at;
import static dev.sluice.traffic.Fixtures.parse;
import static dev.sluice.traffic.Fixtures.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import org.junit.jupiter.api.Test;

class DestinationRuleRewriterTest {
  private static final String DESTINATION_RULE = """
      apiVersion: networking.istio.io/v1beta1
      kind: DestinationRule
      metadata: {name: demo-dr, namespace: shop}
      spec:
        host: demo
        trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}
        subsets:
        - name: canary
          labels: {app: demo}
        - name: stable
          labels: {app: demo, sluice.dev/pod-template-hash: old}
        - name: debug
          labels: {app: demo-debug}
      """;

  private final DestinationRuleRewriter rewriter = new DestinationRuleRewriter("canary", "stable");

  @Test
  void subsetsSelectThePodTemplateHashesAndKeepTheirOtherLabels() {
    GenericKubernetesResource out = rewriter.withHashes(parse(DESTINATION_RULE, GenericKubernetesResource.class), "c4n4ry", "st4bl3");

    assertThat(at(out, "/spec/subsets/0/labels")).isEqualTo(tree(java.util.Map.of("app", "demo", "sluice.dev/pod-template-hash", "c4n4ry")));
    assertThat(at(out, "/spec/subsets/1/labels")).isEqualTo(tree(java.util.Map.of("app", "demo", "sluice.dev/pod-template-hash", "st4bl3")));
    assertThat(at(out, "/spec/subsets/2")).isEqualTo(at(parse(DESTINATION_RULE, GenericKubernetesResource.class), "/spec/subsets/2"));
    assertThat(at(out, "/spec/trafficPolicy/tls/mode").asText()).isEqualTo("ISTIO_MUTUAL");
  }

  @Test
  void rewritingTwiceIsRewritingOnce() {
    GenericKubernetesResource once = rewriter.withHashes(parse(DESTINATION_RULE, GenericKubernetesResource.class), "c", "s");

    assertThat(tree(rewriter.withHashes(once, "c", "s"))).isEqualTo(tree(once));
  }

  @Test
  void aMissingSubsetIsNamed() {
    DestinationRuleRewriter missing = new DestinationRuleRewriter("preview", "stable");

    assertThatThrownBy(() -> missing.withHashes(parse(DESTINATION_RULE, GenericKubernetesResource.class), "c", "s"))
        .isInstanceOf(TrafficRoutingException.class)
        .hasMessage("DestinationRule demo-dr: no subset named \"preview\" in spec.subsets");
  }
}
