package dev.sluice.e2e.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.sluice.cli.SluiceCli;
import dev.sluice.e2e.LocalCluster;
import dev.sluice.e2e.RealCluster;
import dev.sluice.e2e.RealCluster.TestNamespace;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user who may read the rollouts of one namespace and change nothing: the dashboard tells them
 * in one line to use -n, works with -n, and answers a button they may not press with the API
 * server's reason, never their token.
 */
@RealCluster
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardPermissionsE2ETest {
  private String namespace;
  private KubernetesClient k8s;
  private String token;
  private Path readerKubeconfig;

  @BeforeAll
  void readOnlyUser(LocalCluster cluster, KubernetesClient k8s, TestNamespace ns, @TempDir Path dir) throws IOException {
    this.namespace = ns.name();
    this.k8s = k8s;
    k8s.resource("""
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: viewer}
        """).inNamespace(namespace).create();
    k8s.resource("""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: rollout-viewer}
        rules:
        - {apiGroups: [sluice.dev], resources: [rollouts, analysisruns], verbs: [get, list, watch]}
        - {apiGroups: [apps], resources: [replicasets], verbs: [get, list, watch]}
        - {apiGroups: [""], resources: [pods], verbs: [get, list, watch]}
        """).inNamespace(namespace).create();
    k8s.resource("""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: viewer-views-rollouts}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: rollout-viewer}
        subjects: [{kind: ServiceAccount, name: viewer, namespace: %s}]
        """.formatted(namespace)).inNamespace(namespace).create();
    token = k8s.serviceAccounts().inNamespace(namespace).withName("viewer")
        .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
        .getStatus().getToken();
    readerKubeconfig = kubeconfigWithToken(cluster.kubeconfig(), token, dir.resolve("viewer.kubeconfig"));
  }

  @Test
  void withoutAccessToAllNamespacesTheDashboardSaysToUseOne() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int exitCode = SluiceCli.run(new PrintWriter(out), new PrintWriter(err), "--kubeconfig", readerKubeconfig.toString(),
        "dashboard", "--port", "0");

    assertThat(err.toString()).startsWith("error: forbidden: ").contains("at the cluster scope")
        .endsWith(" (to watch one namespace only: kubectl sluice -n NAMESPACE dashboard)\n")
        .hasLineCount(1).doesNotContain(token);
    assertThat(out.toString()).isEmpty();
    assertThat(exitCode).isEqualTo(1);
  }

  @Test
  void anActionTheUserMayNotTakeIsAnsweredWithTheReason() throws Exception {
    k8s.resource("""
        apiVersion: sluice.dev/v1alpha1
        kind: Rollout
        metadata: {name: viewed}
        spec:
          replicas: 1
          selector: {matchLabels: {app: viewed}}
          template:
            metadata: {labels: {app: viewed}}
            spec: {containers: [{name: app, image: registry.example/viewed:1.0}]}
          strategy: {canary: {steps: [{setWeight: 50}, {pause: {}}]}}
        """).inNamespace(namespace).create();
    try (DashboardCli dashboard = new DashboardCli(readerKubeconfig, namespace)) {
      HttpClient http = HttpClient.newHttpClient();
      URI promote = dashboard.url().resolve("api/rollouts/" + namespace + "/viewed/promote");

      HttpResponse<String> shown = http.send(HttpRequest.newBuilder(dashboard.url().resolve("api/rollouts/" + namespace + "/viewed"))
          .build(), HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> refused = http.send(HttpRequest.newBuilder(promote).POST(HttpRequest.BodyPublishers.noBody())
          .header("X-Sluice-Dashboard", "1").build(), HttpResponse.BodyHandlers.ofString());

      assertThat(shown.statusCode()).isEqualTo(200);
      assertThat(shown.body()).startsWith("{\"namespace\":\"" + namespace + "\",\"name\":\"viewed\",");
      assertThat(refused.statusCode()).isEqualTo(403);
      assertThat(refused.body()).startsWith("{\"error\":\"forbidden: ").contains("cannot patch resource \\\"rollouts/status\\\"")
          .doesNotContain(token);
      assertThat(dashboard.output()).contains("promote " + namespace + "/viewed failed: forbidden: ").doesNotContain(token);
      assertThat(dashboard.exitCode()).as("still serving").isNull();
    }
  }

  /** The cluster's kubeconfig with every user replaced by the service account's token. */
  private static Path kubeconfigWithToken(Path admin, String token, Path target) throws IOException {
    YAMLMapper yaml = new YAMLMapper();
    JsonNode config = yaml.readTree(admin.toFile());
    for (JsonNode user : config.path("users")) {
      ((ObjectNode) user).putObject("user").put("token", token);
    }
    yaml.writeValue(target.toFile(), config);
    return target;
  }
}
