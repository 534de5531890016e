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
import java.util.Map;
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
      "workload-ref.yaml", "canary-metadata.yaml", "blue-green-metadata.yaml"})
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
  void podMetadataAndAntiAffinityConvertAsTheyAre() throws IOException {
    Rollout canary = rollout(ArgoConverter.convert(example("canary-metadata.yaml")));
    assertThat(canary.getSpec().strategy().canary().canaryMetadata().labels()).isEqualTo(Map.of("role", "canary"));
    assertThat(canary.getSpec().strategy().canary().stableMetadata().labels()).isEqualTo(Map.of("role", "stable"));
    assertThat(canary.getSpec().strategy().canary().antiAffinity().preferredDuringSchedulingIgnoredDuringExecution().weight()).isEqualTo(1);

    Rollout blueGreen = rollout(ArgoConverter.convert(example("blue-green-metadata.yaml")));
    assertThat(blueGreen.getSpec().strategy().blueGreen().activeMetadata().labels()).isEqualTo(Map.of("role", "active"));
    assertThat(blueGreen.getSpec().strategy().blueGreen().previewMetadata().labels()).isEqualTo(Map.of("role", "preview"));
    assertThat(blueGreen.getSpec().strategy().blueGreen().antiAffinity().requiredDuringSchedulingIgnoredDuringExecution()).isEmpty();
  }

  private static Rollout rollout(ArgoConverter.Conversion conversion) {
    YamlDocument converted = YamlDocuments.parse(conversion.yaml()).stream().filter(d -> "Rollout".equals(d.kind())).findFirst().orElseThrow();
    return new KubernetesSerialization().convertValue(converted.content(), Rollout.class);
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
