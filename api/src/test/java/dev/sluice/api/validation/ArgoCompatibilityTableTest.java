package dev.sluice.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/argo-compatibility.md is generated from the data convert, lint and the controller use: it cannot drift. */
class ArgoCompatibilityTableTest {
  private static final String REGENERATE = "docs/argo-compatibility.md is stale: run `mvn -pl api -am test "
      + "-Dtest=ArgoCompatibilityTableTest -Dsurefire.failIfNoSpecifiedTests=false -Dsluice.updateDocs=true` and commit it";

  private final Path committed = Path.of(System.getProperty("sluice.compatibilityTable"));

  @Test
  void theCommittedTableIsTheGeneratedOne() throws IOException {
    String generated = ArgoCompatibility.markdown();
    if (Boolean.getBoolean("sluice.updateDocs")) {
      Files.createDirectories(committed.getParent());
      Files.writeString(committed, generated);
    }
    assertThat(committed).as(REGENERATE).exists();
    assertThat(Files.readString(committed)).as(REGENERATE).isEqualTo(generated);
  }

  @Test
  void everyFieldSluiceDoesNotActOnYetIsRefusedInTheTable() {
    assertThat(ArgoCompatibility.table()).filteredOn(row -> !row.supported()).extracting(ArgoCompatibility.Row::path)
        .contains("Rollout spec.strategy.canary.canaryMetadata", "Rollout spec.strategy.canary.stableMetadata",
            "Rollout spec.strategy.canary.antiAffinity",
            "Rollout spec.strategy.blueGreen.activeMetadata", "spec.strategy.canary.trafficRouting.alb", "spec.strategy.canary.steps[].experiment");
    assertThat(ArgoCompatibility.table()).filteredOn(ArgoCompatibility.Row::supported).extracting(ArgoCompatibility.Row::path)
        .contains("Rollout spec.strategy.canary.steps[].setWeight", "Rollout spec.workloadRef.scaleDown", "Rollout spec.strategy.blueGreen.prePromotionAnalysis.templates[].templateName", "AnalysisTemplate spec.metrics[].interval",
            "AnalysisTemplate spec.dryRun[].metricName", "Rollout spec.rollbackWindow.revisions")
        .doesNotContain("Rollout spec.strategy.canary.canaryMetadata.labels");
  }
}
