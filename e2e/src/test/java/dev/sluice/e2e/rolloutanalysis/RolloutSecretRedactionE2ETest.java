package dev.sluice.e2e.rolloutanalysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.api.v1alpha1.RolloutStatus;
import dev.sluice.e2e.ControllerInJvm;
import dev.sluice.e2e.LocalCluster;
import dev.sluice.e2e.RealCluster;
import dev.sluice.e2e.RealCluster.TestNamespace;
import dev.sluice.e2e.Rollouts;
import dev.sluice.e2e.analysis.CapturedLog;
import dev.sluice.e2e.analysis.LocalHttpServer;
import dev.sluice.e2e.analysis.LocalHttpServer.Answer;
import dev.sluice.e2e.analysis.PrometheusServer;
import dev.sluice.e2e.analysis.ScrapeTarget;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A bearer token from a Secret reaches Prometheus (behind a gateway on 127.0.0.1 that wants it and
 * quotes a wrong one back), yet never shows in the Rollout: not in its status when the analysis
 * fails on the wrong token and the rollout aborts, not in its events, not in the controller's log.
 */
@RealCluster
class RolloutSecretRedactionE2ETest {
  private static final String GOOD = "e2e-good-" + UUID.randomUUID();
  private static final String WRONG = "e2e-wrong-" + UUID.randomUUID();

  @Test
  void theTokenIsUsedButTheRolloutNeverShowsIt(LocalCluster cluster, KubernetesClient k8s, TestNamespace ns) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    try (var log = new CapturedLog();
        var canary = new ScrapeTarget();
        var prometheus = new PrometheusServer(canary.address());
        var gateway = new LocalHttpServer(request -> {
          if (!("Bearer " + GOOD).equals(request.authorization())) {
            return new Answer(401, "invalid credentials: " + request.authorization());
          }
          try {
            HttpResponse<String> forwarded = http.send(HttpRequest.newBuilder(URI.create(prometheus.address() + request.pathAndQuery()))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(forwarded.statusCode(), forwarded.body());
          } catch (IOException | InterruptedException e) {
            return new Answer(502, "gateway: " + e);
          }
        });
        var controller = new ControllerInJvm(cluster, ns.name())) {
      canary.set("canary_error_ratio{test=\"good\"}", "0.01");
      prometheus.awaitValue("canary_error_ratio{test=\"good\"}", "0.01");
      for (var secret : Map.of("prom-token", GOOD, "wrong-token", WRONG).entrySet()) {
        k8s.resource(new SecretBuilder().withNewMetadata().withName(secret.getKey()).endMetadata()
            .addToStringData("token", secret.getValue()).build()).inNamespace(ns.name()).create();
      }
      var templates = new AnalysisTemplates(k8s, ns.name());
      templates.create(AnalysisTemplates.bearerToken("with-token", gateway.url(), "prom-token"));
      templates.create(AnalysisTemplates.bearerToken("with-wrong-token", gateway.url(), "wrong-token"));
      Rollouts rollouts = new Rollouts(k8s, ns.name());
      Timeline timeline = new Timeline(k8s, ns.name(), "bearer");
      rollouts.create(Rollouts.manifest("bearer", 2, "registry.example/app:1.0", "", "", """
          - setWeight: 50
          %s
          %s
          """.formatted(AnalysisTemplates.step("with-token", "good").strip(), AnalysisTemplates.step("with-wrong-token", "good").strip())));
      timeline.awaitStatus(60, "first template Healthy", s -> "Healthy".equals(s.phase()));
      rollouts.setImage("bearer", "registry.example/app:2.0");
      timeline.note("image set to app:2.0");

      RolloutStatus aborted = timeline.awaitStatus(60, "aborted on the wrong token", s -> Boolean.TRUE.equals(s.abort()));
      timeline.printRuns();
      timeline.printEvents();

      assertThat(gateway.seen()).as("both tokens reached the gateway")
          .anyMatch(s -> ("Bearer " + GOOD).equals(s.authorization()))
          .anyMatch(s -> ("Bearer " + WRONG).equals(s.authorization()));
      assertThat(timeline.events()).anyMatch(e -> e.startsWith("AnalysisRunSuccessful: AnalysisRun \"bearer-" + aborted.currentPodHash() + "-2-1\""));
      assertThat(aborted.message()).as("the gateway's echo, masked")
          .contains("AnalysisRun \"bearer-" + aborted.currentPodHash() + "-2-2\" Error")
          .endsWith("Prometheus at " + gateway.url() + " answered HTTP 401 with something that is not JSON: invalid credentials: Bearer *****");

      Rollout rollout = rollouts.get("bearer");
      String status = k8s.getKubernetesSerialization().asJson(rollout.getStatus());
      String events = String.join("\n", timeline.awaitEvent("RolloutAborted", e -> e.startsWith("RolloutAborted")));
      String controllerLog = log.text();
      assertThat(status).contains("*****").doesNotContain(GOOD).doesNotContain(WRONG);
      assertThat(events).contains("RolloutAborted").contains("*****").doesNotContain(GOOD).doesNotContain(WRONG);
      assertThat(controllerLog).as("the captured log is the controller's, with the rollout's abort in it")
          .contains(ns.name() + "/bearer RolloutAborted").contains("*****").doesNotContain(GOOD).doesNotContain(WRONG);
    }
  }
}
