package dev.sluice.cli.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.cli.lint.ManifestLint;
import dev.sluice.cli.yaml.YamlDocument;
import dev.sluice.cli.yaml.YamlDocuments;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ArgoConverterTest {

  private static String resource(String name) throws IOException {
    try (InputStream in = ArgoConverterTest.class.getResourceAsStream("/convert/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static List<JsonNode> documents(String yaml) {
    return YamlDocuments.parse(yaml).stream().map(YamlDocument::content).collect(Collectors.toList());
  }

  /** document index, JSON pointer into it, and the value it must have after conversion ("<absent>" for none). */
  @ParameterizedTest(name = "document {0} {1}")
  @CsvSource(delimiter = '|', textBlock = """
      0 | /apiVersion                                                         | sluice.dev/v1alpha1
      0 | /kind                                                               | Rollout
      0 | /spec/strategy/canary/trafficRouting/gatewayAPI/httpRoute            | shop
      0 | /spec/strategy/canary/trafficRouting/gatewayAPI/namespace            | prod
      0 | /spec/strategy/canary/trafficRouting/gatewayAPI/configMap            | <absent>
      0 | /spec/strategy/canary/trafficRouting/plugins                         | <absent>
      0 | /spec/strategy/canary/trafficRouting/managedRoutes/0/name            | beta
      0 | /spec/template/spec/topologySpreadConstraints/0/labelSelector/matchExpressions/0/key | sluice.dev/pod-template-hash
      0 | /spec/strategy/canary/steps/1/pause/duration                          | 30s
      0 | /spec/strategy/canary/analysis/args/0/valueFrom/podTemplateHashValue  | Latest
      0 | /metadata/annotations/team                                            | payments
      0 | /metadata/annotations/rollout.argoproj.io~1revision                   | <absent>
      0 | /metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration | <absent>
      0 | /metadata/uid                                                         | <absent>
      0 | /metadata/resourceVersion                                             | <absent>
      0 | /metadata/namespace                                                   | prod
      0 | /status                                                               | <absent>
      1 | /apiVersion                                                           | sluice.dev/v1alpha1
      1 | /spec/metrics/0/provider/prometheus/address                           | http://prometheus.monitoring:9090
      2 | /apiVersion                                                           | sluice.dev/v1alpha1
      2 | /kind                                                                 | ClusterAnalysisTemplate
      2 | /spec/metrics/0/provider/web/jsonPath                                 | {$.status}
      3 | /apiVersion                                                           | v1
      3 | /metadata/annotations/argo-rollouts.argoproj.io~1managed-by-rollouts  | shop
      """)
  void anArgoCanaryOnGatewayApiBecomesASluiceOne(int document, String pointer, String expected) throws IOException {
    List<JsonNode> converted = documents(ArgoConverter.convert(resource("argo-gateway.yaml")).yaml());

    assertThat(converted).hasSize(4);
    JsonNode value = converted.get(document).at(pointer);
    if (expected.equals("<absent>")) {
      assertThat(value.isMissingNode()).as(pointer + " is left out").isTrue();
    } else {
      assertThat(value.asText()).isEqualTo(expected);
    }
  }

  @Test
  void everythingElseIsCarriedOverUnchanged() throws IOException {
    List<JsonNode> input = documents(resource("argo-gateway.yaml"));
    List<JsonNode> converted = documents(ArgoConverter.convert(resource("argo-gateway.yaml")).yaml());

    assertThat(converted.get(0).at("/spec/strategy/canary/steps")).isEqualTo(input.get(0).at("/spec/strategy/canary/steps"));
    assertThat(converted.get(0).at("/spec/template/spec/containers")).isEqualTo(input.get(0).at("/spec/template/spec/containers"));
    assertThat(converted.get(1).at("/spec")).isEqualTo(input.get(1).at("/spec"));
    assertThat(converted.get(2).at("/spec")).isEqualTo(input.get(2).at("/spec"));
    assertThat(converted.get(3)).isEqualTo(input.get(3));
  }

  @Test
  void theResultPassesLintAndConvertingItAgainChangesNothing() throws IOException {
    String once = ArgoConverter.convert(resource("argo-gateway.yaml")).yaml();

    assertThat(ManifestLint.lint(once).findings()).isEmpty();
    assertThat(documents(ArgoConverter.convert(once).yaml())).isEqualTo(documents(once));
  }

  @Test
  void notesSayWhatWasLeftOutAndWhatToCheck() throws IOException {
    assertThat(ArgoConverter.convert(resource("argo-gateway.yaml")).notes()).containsExactly(
        "Rollout shop: status left out (the Sluice controller writes its own)",
        "Rollout shop: server-set metadata left out: uid, resourceVersion, generation, creationTimestamp, "
            + "annotations[\"rollout.argoproj.io/revision\"], annotations[\"kubectl.kubernetes.io/last-applied-configuration\"]",
        "Rollout shop: spec.strategy.canary.trafficRouting.plugins[\"argoproj-labs/gatewayAPI\"].configMap left out: "
            + "the built-in Gateway API router keeps no state in a ConfigMap",
        "AnalysisTemplate success-rate: spec.metrics[0].provider.prometheus.query mentions Argo's pod-template-hash label; "
            + "Sluice pods carry sluice.dev/pod-template-hash instead, so update the query to the label name your metrics get from it",
        "comments in the input are not carried over");
  }

  @Test
  void whatHasNoSluiceEquivalentIsRefusedWithItsPath() {
    assertThatThrownBy(() -> ArgoConverter.convert(resource("argo-unsupported.yaml")))
        .isInstanceOfSatisfying(ArgoConverter.ConversionRefused.class, refused -> assertThat(refused.reasons()).containsExactly(
            "Rollout shop: spec.strategy.canary.trafficRouting.plugins[\"argoproj-labs/openshift\"]: "
                + "Sluice has no traffic router plugins; it builds in gatewayAPI, nginx, istio and smi",
            "Rollout shop: spec.strategy.canary.trafficRouting.alb: Sluice has no alb traffic router (it has nginx, istio, smi, gatewayAPI)",
            "Rollout shop: spec.strategy.canary.steps[1].experiment: Sluice has no experiment step "
                + "(it has setWeight, pause, setCanaryScale, analysis, setHeaderRoute, setMirrorRoute)",
            "Rollout shop: spec.analysis: Sluice has no run history limits (it keeps 5 successful and 5 unsuccessful AnalysisRuns); "
                + "remove it to convert",
            "AnalysisTemplate errors: spec.metrics[0].provider.datadog: Sluice has no datadog metric provider (it has prometheus, web, job, judge)",
            "Experiment compare: kind: Sluice has no equivalent of Experiment yet (it converts Rollout, AnalysisTemplate, ClusterAnalysisTemplate)"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      rollouts-pod-template-hash                     | sluice.dev/pod-template-hash
      argo-rollouts.argoproj.io/managed-by-rollouts  | sluice.dev/managed-by-rollouts
      notifications.argoproj.io/subscribe.on-rollout-aborted.slack | notifications.sluice.dev/subscribe.on-rollout-aborted.slack
      app.kubernetes.io/name                         | app.kubernetes.io/name
      argoproj.io/other                              | argoproj.io/other
      """)
  void labelAndAnnotationKeysMoveToTheSluicePrefix(String argo, String sluice) {
    String rollout = """
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata: {name: r}
        spec:
          selector: {matchLabels: {app: r}}
          template:
            metadata:
              labels: {app: r}
              annotations: {"%1$s": "x"}
            spec: {containers: [{name: app, image: img}]}
          strategy:
            canary:
              steps:
              - analysis:
                  templates: [{templateName: t}]
                  analysisRunMetadata:
                    labels: {"%1$s": "y"}
        """.formatted(argo);

    JsonNode converted = documents(ArgoConverter.convert(rollout).yaml()).get(0);

    assertThat(converted.at("/spec/template/metadata/annotations").fieldNames()).toIterable().containsExactly(sluice);
    assertThat(converted.at("/spec/strategy/canary/steps/0/analysis/analysisRunMetadata/labels").fieldNames()).toIterable().containsExactly(sluice);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      'apiVersion: argoproj.io/v1alpha1\\nkind: AnalysisRun\\nmetadata: {name: r}' | AnalysisRun r: kind: AnalysisRuns are created by the controller; convert the AnalysisTemplate they come from
      'apiVersion: argoproj.io/v1beta1\\nkind: Rollout\\nmetadata: {name: r}'      | Rollout r: apiVersion: only argoproj.io/v1alpha1 can be converted, got argoproj.io/v1beta1
      'apiVersion: argoproj.io/v1alpha1\\nkind: Rollout\\nmetadata: {name: r}\\nspec: {strategy: {canary: {steps: [{plugin: {name: x}}]}}}' | Rollout r: spec.strategy.canary.steps[0].plugin: Sluice has no plugin step (it has setWeight, pause, setCanaryScale, analysis, setHeaderRoute, setMirrorRoute)
      'apiVersion: argoproj.io/v1alpha1\\nkind: Rollout\\nmetadata: {name: r}\\nspec: {strategy: {canary: {pingPong: {pingService: a}}}}' | Rollout r: spec.strategy.canary.pingPong: Sluice has no ping-pong services (ALB); remove it to convert
      'a: [b'                                                                       | not valid YAML at line 1: expected ',' or ']', but got <stream end> (while parsing a flow sequence that starts at line 1)
      """)
  void refusalsNameTheDocumentAndPath(String yaml, String reason) {
    assertThatThrownBy(() -> ArgoConverter.convert(yaml.replace("\\n", "\n")))
        .isInstanceOfSatisfying(ArgoConverter.ConversionRefused.class, refused -> assertThat(refused.reasons()).containsExactly(reason));
  }
}
