package dev.sluice.e2e.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.api.v1alpha1.AnalysisRun;
import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.api.v1alpha1.RolloutStatus;
import dev.sluice.e2e.ControllerProcess;
import dev.sluice.e2e.LocalCluster;
import dev.sluice.e2e.RealCluster;
import dev.sluice.e2e.RealCluster.TestNamespace;
import dev.sluice.e2e.analysis.PrometheusServer;
import dev.sluice.e2e.metrics.PrometheusApi.Sample;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * The packaged controller scraped by a real Prometheus every second while a rollout walks its
 * steps, is measured by an AnalysisRun and is aborted, and while a ResourceQuota makes another
 * rollout's reconciles fail. Then every query of deploy/grafana/sluice-dashboard.json, read from
 * the JSON with its variables set as a person would pick them, must return data: the dashboard
 * cannot drift from the metrics.
 */
@RealCluster
class DashboardQueriesE2ETest {
  private static final Path LOGS = Path.of("target", "controller-logs");
  private static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String ROLLOUT = "shop";

  private static String rollout(String name, String image, String steps) {
    return """
        apiVersion: sluice.dev/v1alpha1
        kind: Rollout
        metadata: {name: %s}
        spec:
          replicas: 4
          selector: {matchLabels: {app: %s}}
          template:
            metadata: {labels: {app: %s}}
            spec: {containers: [{name: app, image: "%s"}]}
          strategy:
            canary:
              steps: %s
        """.formatted(name, name, name, image, steps);
  }

  @Test
  void everyDashboardQueryReturnsDataAfterARolloutStepsIsAnalysedAndAborts(LocalCluster cluster, KubernetesClient k8s, TestNamespace ns)
      throws Exception {
    String blockedNs = ns.name() + "-quota";
    k8s.resource(new NamespaceBuilder().withNewMetadata().withName(blockedNs).addToLabels("sluice.dev/e2e", "true").endMetadata().build())
        .create();
    try (var controller = new ControllerProcess(cluster, ns.name(), LOGS.resolve("dashboard-queries.log"), "--namespace", blockedNs)) {
      await("controller serves /metrics").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
          .until(() -> controller.healthPort().isPresent() && get(controller.healthPort().getAsInt(), "/readyz").statusCode() == 200);
      int port = controller.healthPort().getAsInt();
      HttpResponse<String> first = get(port, "/metrics");
      assertThat(first.statusCode()).isEqualTo(200);
      assertThat(first.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));

      try (var prometheus = new PrometheusServer("127.0.0.1:" + port)) {
        var prom = new PrometheusApi(prometheus.address());
        var rollouts = k8s.resources(Rollout.class).inNamespace(ns.name());
        String sel = "namespace=\"" + ns.name() + "\",rollout=\"" + ROLLOUT + "\"";

        // a quota that forbids ReplicaSets: the rollout there can never be deployed, its reconciles fail
        k8s.resource(new ResourceQuotaBuilder().withNewMetadata().withName("no-replicasets").withNamespace(blockedNs).endMetadata()
            .withNewSpec().addToHard("count/replicasets.apps", new io.fabric8.kubernetes.api.model.Quantity("0")).endSpec().build()).create();
        k8s.resource(rollout("blocked", "registry.example/app:1.0", "[{setWeight: 50}]")).inNamespace(blockedNs).create();

        // the rollout walks its steps: weight 25, a timed pause, weight 50, a pause for a human
        k8s.resource(rollout(ROLLOUT, "registry.example/app:1.0", "[{setWeight: 25}, {pause: {duration: 3s}}, {setWeight: 50}, {pause: {}}]"))
            .inNamespace(ns.name()).create();
        await().atMost(Duration.ofSeconds(60)).until(() -> phase(rollouts.withName(ROLLOUT).get(), "Healthy"));
        String stableHash = rollouts.withName(ROLLOUT).get().getStatus().stableRS();
        awaitValue(prom, "sluice_rollout_phase{" + sel + ",phase=\"Healthy\"}", "1");
        Instant updated = Instant.now();
        rollouts.withName(ROLLOUT).patch(MERGE, "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"registry.example/app:2.0\"}]}}}}");
        await().atMost(Duration.ofSeconds(60)).until(() -> {
          Rollout r = rollouts.withName(ROLLOUT).get();
          return phase(r, "Paused") && r.getStatus().currentStepIndex() == 3;
        });
        Rollout paused = rollouts.withName(ROLLOUT).get();
        String canaryHash = paused.getStatus().currentPodHash();
        System.out.printf("[metrics] %s paused at step %d, weight %d (stable %s, canary %s)%n", ROLLOUT,
            paused.getStatus().currentStepIndex(), paused.getStatus().canary().weights().canary().weight(), stableHash, canaryHash);

        awaitValue(prom, "sluice_rollout_current_step_index{" + sel + "}", "3");
        awaitValue(prom, "sluice_rollout_steps{" + sel + "}", "4");
        awaitValue(prom, "sluice_rollout_canary_weight{" + sel + "}", "50");
        awaitValue(prom, "sluice_rollout_phase{" + sel + ",phase=\"Paused\"}", "1");
        awaitValue(prom, "sluice_rollout_status_replicas_updated{" + sel + "}", paused.getStatus().updatedReplicas().toString());
        // the 3 s pause it left: how late it ended, counted by the controller
        awaitSeries(prom, "sum(sluice_pause_overrun_seconds_count)", v -> Double.parseDouble(v) >= 1);
        List<String> weights = distinctInOrder(prom.range("sluice_rollout_canary_weight{" + sel + "}", updated, Instant.now(), Duration.ofSeconds(1)));
        System.out.println("[metrics] canary weights Prometheus saw since the update: " + weights);
        assertThat(weights).as("the weight of each step, in order").containsSubsequence("25", "50");

        // an AnalysisRun of the rollout (named with the canary's hash, as a rollout names them) measures the weight in Prometheus
        String runName = ROLLOUT + "-" + canaryHash + "-3";
        k8s.resource("""
            apiVersion: sluice.dev/v1alpha1
            kind: AnalysisRun
            metadata:
              name: %s
              ownerReferences: [{apiVersion: sluice.dev/v1alpha1, kind: Rollout, name: %s, uid: %s, controller: true}]
            spec:
              metrics:
              - name: canary-weight
                successCondition: 'result[0] == 50.0'
                provider:
                  prometheus:
                    address: %s
                    query: 'sluice_rollout_canary_weight{%s}'
            """.formatted(runName, ROLLOUT, paused.getMetadata().getUid(), prometheus.address(), sel)).inNamespace(ns.name()).create();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
          AnalysisRun run = k8s.resources(AnalysisRun.class).inNamespace(ns.name()).withName(runName).get();
          return run.getStatus() != null && "Successful".equals(run.getStatus().phase());
        });
        String analysisSel = sel + ",analysisrun=\"\",metric=\"canary-weight\"";
        awaitValue(prom, "sluice_analysis_metric_value{" + analysisSel + "}", "50");
        awaitValue(prom, "sluice_analysis_metric_phase{" + analysisSel + ",phase=\"Successful\"}", "1");
        awaitValue(prom, "sluice_analysis_run_phase{" + sel + ",phase=\"Successful\"}", "1");

        // abort: back to stable, Degraded
        rollouts.withName(ROLLOUT).subresource("status").patch(MERGE, "{\"status\":{\"abort\":true}}");
        await().atMost(Duration.ofSeconds(30)).until(() -> phase(rollouts.withName(ROLLOUT).get(), "Degraded"));
        awaitValue(prom, "sluice_rollout_aborted{" + sel + "}", "1");
        awaitValue(prom, "sluice_rollout_phase{" + sel + ",phase=\"Degraded\"}", "1");
        awaitValue(prom, "sluice_rollout_canary_weight{" + sel + "}", "0");

        // the blocked rollout: the API server's refusals are counted, and the refusal is the
        // Rollout's status (ReplicaFailure), not a failing reconcile
        await().atMost(Duration.ofSeconds(30)).until(() -> phase(k8s.resources(Rollout.class).inNamespace(blockedNs).withName("blocked").get(), "Degraded"));
        awaitSeries(prom, "sum(sluice_kubernetes_api_requests_total{verb=\"create\",resource=\"replicasets\",code=\"403\"})", v -> Double.parseDouble(v) > 0);
        awaitSeries(prom, "sum(sluice_kubernetes_api_requests_total{verb=\"create\",resource=\"replicasets\",code=\"201\"})", v -> Double.parseDouble(v) >= 2);
        awaitSeries(prom, "sum(sluice_kubernetes_api_requests_total{verb=\"watch\",resource=\"rollouts\"})", v -> Double.parseDouble(v) >= 1);

        // no label carries a pod name, a pod-template hash or a run's (hashed) name
        String exposition = get(port, "/metrics").body();
        List<String> unbounded = new ArrayList<>(List.of(stableHash, canaryHash, runName));
        k8s.pods().inNamespace(ns.name()).list().getItems().stream().map(Pod::getMetadata).map(m -> m.getName()).forEach(unbounded::add);
        assertThat(unbounded).hasSizeGreaterThan(3);
        assertThat(unbounded).allSatisfy(value -> assertThat(exposition).as("/metrics mentions " + value).doesNotContain(value));

        everyDashboardQueryReturnsData(prom, ns.name());
      }
    } finally {
      k8s.namespaces().withName(blockedNs).delete();
    }
  }

  private void everyDashboardQueryReturnsData(PrometheusApi prom, String namespace) {
    var dashboard = new GrafanaDashboard(LocalCluster.get().repoRoot().resolve("deploy/grafana/sluice-dashboard.json"));
    assertThat(dashboard.prometheusDatasourceVariable()).isEqualTo("datasource");
    assertThat(dashboard.datasourceRefs()).isNotEmpty().allMatch("${datasource}"::equals);
    Map<String, String> wanted = Map.of("namespace", namespace, "rollout", ROLLOUT);
    Map<String, String> chosen = new LinkedHashMap<>();
    SoftAssertions softly = new SoftAssertions();

    // each variable's own query must offer the value a person picks (job: whatever it offers first)
    for (GrafanaDashboard.Variable v : dashboard.variables()) {
      String promql = GrafanaDashboard.substitute(v.promql(), chosen);
      List<String> offered = prom.instant(promql).stream()
          .map(s -> s.labels().getOrDefault(v.label(), "")).toList();
      System.out.printf("[dashboard] variable $%s: %s -> %s%n", v.name(), promql, offered);
      String value = wanted.getOrDefault(v.name(), offered.isEmpty() ? "" : offered.get(0));
      softly.assertThat(offered).as("variable $" + v.name() + " offers " + value).contains(value);
      chosen.put(v.name(), value);
    }

    List<GrafanaDashboard.Query> queries = dashboard.queries();
    assertThat(queries).hasSizeGreaterThan(20);
    for (GrafanaDashboard.Query q : queries) {
      String promql = GrafanaDashboard.substitute(q.expr(), chosen);
      List<Sample> result = prom.instant(promql);
      System.out.printf("[dashboard] %s%n    %s%n    -> %d series, e.g. %s%n", q.where(), promql.replace("\n", " "), result.size(),
          result.isEmpty() ? "(none)" : result.get(0));
      if (promql.contains("operator_sdk_reconciliations_failed_total")) {
        // nothing in this scenario makes a reconcile fail (a quota refusal is a ReplicaFailure
        // status): Prometheus answering the query (prom.instant throws otherwise) is what is checked
        continue;
      }
      softly.assertThat(result).as(q.where() + ": " + promql).isNotEmpty();
    }
    softly.assertAll();
  }

  private static boolean phase(Rollout r, String phase) {
    RolloutStatus s = r == null ? null : r.getStatus();
    return s != null && phase.equals(s.phase());
  }

  private static void awaitValue(PrometheusApi prom, String query, String value) {
    awaitSeries(prom, query, value::equals);
    System.out.printf("[metrics] Prometheus: %s = %s%n", query, value);
  }

  private static void awaitSeries(PrometheusApi prom, String query, Predicate<String> value) {
    await("Prometheus: " + query).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
        .until(() -> {
          List<Sample> result = prom.instant(query);
          return result.size() == 1 && value.test(result.get(0).value());
        });
  }

  private static List<String> distinctInOrder(List<String> values) {
    List<String> distinct = new ArrayList<>();
    for (String v : values) {
      if (distinct.isEmpty() || !Objects.equals(distinct.get(distinct.size() - 1), v)) distinct.add(v);
    }
    return distinct;
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
