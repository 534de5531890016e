package dev.sluice.e2e.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.sluice.e2e.gitops.ArgoCdHealthCheck.Health;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * deploy/argocd/health.lua on the states a live cluster shows only for an instant (a spec change
 * the controller has not seen yet, a status without a phase), on a real Lua 5.1; the live states
 * are in {@link GitOpsHealthE2ETest}.
 */
class ArgoCdHealthScriptTest {
  private static final Path REPO = Path.of(System.getProperty("sluice.repoRoot", "..")).toAbsolutePath().normalize();
  private static final ObjectMapper JSON = new ObjectMapper();
  private final ArgoCdHealthCheck argoCd = new ArgoCdHealthCheck(REPO);

  private static JsonNode rollout(long generation, String status) throws Exception {
    return JSON.readTree("""
        {"apiVersion":"sluice.dev/v1alpha1","kind":"Rollout","metadata":{"name":"web","generation":%d},
         "spec":{"replicas":2,"strategy":{"canary":{"steps":[{"setWeight":50},{"pause":{}}]}}}%s}"""
        .formatted(generation, status == null ? "" : ",\"status\":" + status));
  }

  @Test
  void aRolloutTheControllerHasNotSeenYetIsProgressing() throws Exception {
    Health expected = new Health("Progressing", "Waiting for rollout spec update to be observed");

    assertThat(argoCd.check(rollout(1, null))).isEqualTo(expected);
    assertThat(argoCd.check(rollout(3, "{\"phase\":\"Healthy\",\"observedGeneration\":2}"))).isEqualTo(expected);
  }

  @Test
  void thePhaseDecidesAndPausedIsSuspended() throws Exception {
    assertThat(argoCd.check(rollout(2, "{\"phase\":\"Paused\",\"message\":\"CanaryPauseStep: paused\",\"observedGeneration\":2}")))
        .isEqualTo(new Health("Suspended", "CanaryPauseStep: paused"));
    String message = "ProgressDeadlineExceeded: ReplicaSet \"web-7c9f\" has timed out progressing.\nsecond line \\ done";
    assertThat(argoCd.check(rollout(2, "{\"phase\":\"Degraded\",\"message\":" + JSON.writeValueAsString(message)
        + ",\"observedGeneration\":2}"))).isEqualTo(new Health("Degraded", message));
    assertThat(argoCd.check(rollout(2, "{\"phase\":\"Exploded\",\"observedGeneration\":2}")))
        .isEqualTo(new Health("Unknown", "unknown phase Exploded"));
  }

  @Test
  void withoutAPhaseConditionsAndPausesDecide() throws Exception {
    assertThat(argoCd.check(rollout(2, """
        {"observedGeneration":2,"conditions":[{"type":"Progressing","status":"False","reason":"RolloutAborted",
         "message":"Rollout aborted update to revision 2"}]}""")))
        .isEqualTo(new Health("Degraded", "Rollout aborted update to revision 2"));
    assertThat(argoCd.check(rollout(2, """
        {"observedGeneration":2,"conditions":[{"type":"InvalidSpec","status":"True","reason":"InvalidSpec","message":"bad"}]}""")))
        .isEqualTo(new Health("Degraded", "bad"));
    assertThat(argoCd.check(rollout(2, "{\"observedGeneration\":2,\"pauseConditions\":[{\"reason\":\"CanaryPauseStep\"}]}")))
        .isEqualTo(new Health("Suspended", "Rollout is paused"));
    assertThat(argoCd.check(rollout(2, "{\"observedGeneration\":2}")))
        .isEqualTo(new Health("Progressing", "Waiting for the rollout to finish"));
  }

  @Test
  void theArgoCdConfigMapSnippetCarriesExactlyTheScript() throws Exception {
    JsonNode snippet = new YAMLMapper().readTree(REPO.resolve("deploy/argocd/argocd-cm-health.yaml").toFile());

    assertThat(snippet.path("data").path("resource.customizations.health.sluice.dev_Rollout").asText())
        .isEqualTo(Files.readString(REPO.resolve("deploy/argocd/health.lua")));
  }
}
