package dev.sluice.cli.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.api.v1alpha1.AnalysisArgument;
import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.api.v1alpha1.RolloutAnalysis;
import dev.sluice.api.v1alpha1.RolloutStrategy;
import dev.sluice.cli.lint.ManifestLint;
import dev.sluice.cli.yaml.YamlDocument;
import dev.sluice.cli.yaml.YamlDocuments;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code kubectl sluice convert} over copies of Argo Rollouts' example manifest shapes: each is
 * either converted to manifests the controller's own rules accept unchanged (lint finds nothing),
 * or refused with one line per field Sluice would not honour, naming its path. Nothing converts
 * and then behaves differently.
 */
class ArgoExamplesConvertTest {

  private static String example(String name) throws IOException {
    try (InputStream in = ArgoExamplesConvertTest.class.getResourceAsStream("/convert/argo-examples/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @ParameterizedTest(name = "{0} converts to what the controller accepts")
  @ValueSource(strings = {"canary.yaml", "analysis.yaml", "expected-failure.yaml", "blue-green.yaml", "blue-green-analysis.yaml",
      "workload-ref.yaml"})
  void convertsToManifestsTheControllerAcceptsUnchanged(String file) throws IOException {
    ArgoConverter.Conversion conversion = ArgoConverter.convert(example(file));

    ManifestLint.Report report = ManifestLint.lint(conversion.yaml());
    System.out.printf("%-22s converted: %s%n", file, report.checked());
    assertThat(report.checked()).isNotEmpty();
    assertThat(report.findings()).isEmpty();
    assertThat(conversion.notes()).noneMatch(note -> note.contains("lint:"));
  }

  @Test
  void aTemplatedIntervalAndARegularExpressionDryRunConvertAsTheyAre() throws IOException {
    String yaml = ArgoConverter.convert(example("analysis.yaml")).yaml();

    assertThat(yaml).contains("interval: \"{{args.analysis-interval}}\"").contains("metricName: .*");
  }

  private static void assertRefused(String file, String... reasons) {
    assertThatThrownBy(() -> ArgoConverter.convert(example(file)))
        .isInstanceOfSatisfying(ArgoConverter.ConversionRefused.class, refused -> {
          refused.reasons().forEach(r -> System.out.printf("%-22s refused: %s%n", file, r));
          assertThat(refused.reasons()).containsExactly(reasons);
        });
  }

  @Test
  void blueGreenKeepsItsServicesPromotionSettingsAndBothAnalyses() throws IOException {
    ArgoConverter.Conversion conversion = ArgoConverter.convert(example("blue-green-analysis.yaml"));
    YamlDocument converted = YamlDocuments.parse(conversion.yaml()).stream().filter(d -> "Rollout".equals(d.kind())).findFirst().orElseThrow();
    Rollout rollout = new KubernetesSerialization().convertValue(converted.content(), Rollout.class);

    assertThat(rollout.getApiVersion()).isEqualTo("sluice.dev/v1alpha1");
    assertThat(rollout.getSpec().strategy().blueGreen()).isEqualTo(new RolloutStrategy.BlueGreenStrategy(
        "guestbook-active", "guestbook-preview", null, 60, 1,
        new RolloutAnalysis(List.of(new RolloutAnalysis.TemplateRef("smoke-test", null)),
            List.of(new AnalysisArgument("service-name", "guestbook-preview", null)), null, null, null, null),
        new RolloutAnalysis(List.of(new RolloutAnalysis.TemplateRef("smoke-test", null)),
            List.of(new AnalysisArgument("service-name", "guestbook-active", null)), null, null, null, null),
        60, null, 10, null, null, null));
    assertThat(rollout.getStatus()).isNull();
    assertThat(conversion.notes()).contains(
        "Rollout guestbook-bluegreen: status left out (the Sluice controller writes its own)",
        "Rollout guestbook-bluegreen: server-set metadata left out: annotations[\"rollout.argoproj.io/revision\"]");
  }

  @Test
  void blueGreenAntiAffinityAndActiveAndPreviewMetadataAreRefusedNotIgnored() {
    assertRefused("blue-green-metadata.yaml",
        "Rollout bluegreen-metadata: spec.strategy.blueGreen.antiAffinity: not supported yet "
            + "(the preview's pods would get no anti-affinity to the active's); remove it",
        "Rollout bluegreen-metadata: spec.strategy.blueGreen.activeMetadata: not supported yet "
            + "(the active pods would not get these labels and annotations); remove it",
        "Rollout bluegreen-metadata: spec.strategy.blueGreen.previewMetadata: not supported yet "
            + "(the preview pods would not get these labels and annotations); remove it");
  }

  @Test
  void anExperimentStepIsRefused() {
    assertRefused("experiment.yaml", "Rollout rollout-experiment-step: spec.strategy.canary.steps[0].experiment: "
        + "Sluice has no experiment step (it has setWeight, pause, setCanaryScale, analysis, setHeaderRoute, setMirrorRoute)");
  }

  @Test
  void anAlbRouterIsRefused() {
    assertRefused("alb.yaml",
        "Rollout rollouts-demo: spec.strategy.canary.trafficRouting.alb: Sluice has no alb traffic router (it has nginx, istio, smi, gatewayAPI)");
  }

  @Test
  void podMetadataAndAntiAffinityAreRefusedNotIgnored() {
    assertRefused("canary-metadata.yaml",
        "Rollout ephemeral-metadata: spec.strategy.canary.antiAffinity: not supported yet "
            + "(the canary's pods would get no anti-affinity to the stable's); remove it",
        "Rollout ephemeral-metadata: spec.strategy.canary.canaryMetadata: not supported yet "
            + "(the canary's pods would not get these labels and annotations); remove it",
        "Rollout ephemeral-metadata: spec.strategy.canary.stableMetadata: not supported yet "
            + "(the stable's pods would not get these labels and annotations); remove it");
  }

  @Test
  void aWorkloadRefConvertsAsItIsWithItsDeploymentUntouched() throws IOException {
    ArgoConverter.Conversion conversion = ArgoConverter.convert(example("workload-ref.yaml"));
    List<YamlDocument> documents = YamlDocuments.parse(conversion.yaml());
    Rollout rollout = new KubernetesSerialization().convertValue(
        documents.stream().filter(d -> "Rollout".equals(d.kind())).findFirst().orElseThrow().content(), Rollout.class);

    assertThat(rollout.getSpec().workloadRef())
        .isEqualTo(new dev.sluice.api.v1alpha1.RolloutSpec.WorkloadRef("apps/v1", "Deployment", "rollout-ref-deployment", "onsuccess"));
    assertThat(rollout.getSpec().template()).isNull();
    assertThat(documents).filteredOn(d -> "Deployment".equals(d.kind())).singleElement()
        .satisfies(d -> assertThat(d.content().toString()).contains("\"apiVersion\":\"apps/v1\"").contains("\"replicas\":0"));
  }

  @Test
  void aWorkloadRefWithoutSelectorIsRefusedWithWhereToFindIt() {
    assertRefused("workload-ref-no-selector.yaml", "Rollout rollout-ref-deployment: spec.selector: required with spec.workloadRef "
        + "in Sluice (Argo Rollouts takes the Deployment's when it is omitted); copy the spec.selector of Deployment \"rollout-ref-deployment\"");
  }
}
