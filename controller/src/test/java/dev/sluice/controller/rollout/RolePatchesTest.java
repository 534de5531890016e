package dev.sluice.controller.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.controller.plan.Action.SetTemplateRole;
import dev.sluice.controller.plan.AntiAffinityTerm;
import dev.sluice.controller.plan.MetadataChange;
import dev.sluice.controller.plan.RoleMetadata;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The merge patches that move pod roles: set keys, null for removed ones, the role recorded on the ReplicaSet. */
class RolePatchesTest {
  private static final MetadataChange TO_STABLE = MetadataChange.of(Map.of("role", "stable"), Set.of("canary-only"),
      Map.of(), Set.of("example.com/phase"));

  @Test
  void aPodsPatchSetsAndRemovesOnlyTheRoleKeys() {
    assertThat(RolePatches.metadata(TO_STABLE)).isEqualTo(
        "{\"metadata\":{\"labels\":{\"role\":\"stable\",\"canary-only\":null},\"annotations\":{\"example.com/phase\":null}}}");
  }

  @Test
  void aTemplatesPatchRecordsTheRoleItNowCarries() {
    RoleMetadata stable = new RoleMetadata(Map.of("role", "stable"), null);

    String patch = RolePatches.templateRole(new SetTemplateRole("web-1", TO_STABLE, stable));

    assertThat(patch).isEqualTo("{\"metadata\":{\"annotations\":{\"sluice.dev/role-metadata\":"
        + "\"{\\\"labels\\\":{\\\"role\\\":\\\"stable\\\"},\\\"annotations\\\":{}}\"}},"
        + "\"spec\":{\"template\":{\"metadata\":{\"labels\":{\"role\":\"stable\",\"canary-only\":null},"
        + "\"annotations\":{\"example.com/phase\":null}}}}}");
    assertThat(RoleAnnotation.read(RoleAnnotation.write(stable))).isEqualTo(stable);
  }

  @Test
  void noRoleLeftRemovesTheRecord() {
    assertThat(RolePatches.templateRole(new SetTemplateRole("web-1", TO_STABLE, RoleMetadata.NONE)))
        .startsWith("{\"metadata\":{\"annotations\":{\"sluice.dev/role-metadata\":null}}");
  }

  @Test
  void aGarbledRecordReadsAsNoRole() {
    assertThat(RoleAnnotation.read("{not json")).isEqualTo(RoleMetadata.NONE);
    assertThat(RoleAnnotation.read(null)).isEqualTo(RoleMetadata.NONE);
  }

  @Test
  void removingTheLastAntiAffinityTermRemovesTheWholeAffinityAndReplacingOneNullsTheOtherList() {
    assertThat(RolePatches.affinity(null)).isEqualTo("{\"spec\":{\"template\":{\"spec\":{\"affinity\":null}}}}");

    String preferred = RolePatches.affinity(AntiAffinityTemplates.with(null, Optional.of(new AntiAffinityTerm("h", false, 5))));

    assertThat(preferred).contains("\"requiredDuringSchedulingIgnoredDuringExecution\":null").contains("\"weight\":5");
  }
}
