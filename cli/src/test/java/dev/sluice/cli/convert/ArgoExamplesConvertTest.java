package dev.sluice.cli.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.cli.lint.ManifestLint;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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
  @ValueSource(strings = {"canary.yaml", "analysis.yaml", "expected-failure.yaml"})
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
  void blueGreenIsRefusedUntilItLands() {
    assertRefused("blue-green.yaml", "Rollout rollout-bluegreen: spec.strategy.blueGreen: not supported yet; use spec.strategy.canary");
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
  void podMetadataAntiAffinityAndRollbackWindowAreRefusedNotIgnored() {
    assertRefused("canary-metadata.yaml",
        "Rollout ephemeral-metadata: spec.rollbackWindow: not supported yet (a rollback would still go through every step); remove it",
        "Rollout ephemeral-metadata: spec.strategy.canary.antiAffinity: not supported yet "
            + "(the canary's pods would get no anti-affinity to the stable's); remove it",
        "Rollout ephemeral-metadata: spec.strategy.canary.canaryMetadata: not supported yet "
            + "(the canary's pods would not get these labels and annotations); remove it",
        "Rollout ephemeral-metadata: spec.strategy.canary.stableMetadata: not supported yet "
            + "(the stable's pods would not get these labels and annotations); remove it");
  }

  @Test
  void aWorkloadRefIsRefused() {
    assertRefused("workload-ref.yaml", "Rollout rollout-ref-deployment: spec.workloadRef: not supported yet; set spec.template");
  }
}
