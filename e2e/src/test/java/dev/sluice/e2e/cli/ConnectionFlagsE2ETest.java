package dev.sluice.e2e.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.sluice.cli.SluiceCli;
import dev.sluice.e2e.LocalCluster;
import dev.sluice.e2e.RealCluster;
import dev.sluice.e2e.RealCluster.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * kubectl's connection flags against the real cluster: a kubeconfig whose current context points at
 * a server that is not there and whose user has no credentials, made usable by --context, --server
 * and --token; --as impersonating a service account from the admin's kubeconfig.
 */
@RealCluster
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConnectionFlagsE2ETest {
  private String namespace;
  private String server;
  private String readerToken;
  private String deadServer;
  private Path flagsKubeconfig;
  private Path adminKubeconfig;
  private RolloutFixtures fixtures;

  record Result(int exitCode, String out, String err) {}

  @BeforeAll
  void readerAndKubeconfig(LocalCluster cluster, KubernetesClient k8s, TestNamespace ns, @TempDir Path dir) throws IOException {
    namespace = ns.name();
    adminKubeconfig = cluster.kubeconfig();
    fixtures = new RolloutFixtures(k8s, namespace);
    fixtures.create("web", "registry.example/web:1", "");
    readerToken = RolloutReader.token(k8s, namespace);

    JsonNode admin = new YAMLMapper().readTree(adminKubeconfig.toFile());
    JsonNode realCluster = admin.path("clusters").get(0).path("cluster");
    server = realCluster.path("server").asText();
    String ca = realCluster.path("certificate-authority-data").asText();
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      deadServer = "https://127.0.0.1:" + socket.getLocalPort();
    }
    flagsKubeconfig = dir.resolve("flags.kubeconfig");
    Files.writeString(flagsKubeconfig, """
        apiVersion: v1
        kind: Config
        clusters:
        - {name: elsewhere, cluster: {server: "%1$s", certificate-authority-data: %3$s}}
        - {name: local, cluster: {server: "%2$s", certificate-authority-data: %3$s}}
        users: [{name: nobody, user: {}}]
        contexts:
        - {name: elsewhere, context: {cluster: elsewhere, user: nobody}}
        - {name: local, context: {cluster: local, user: nobody, namespace: %4$s}}
        current-context: elsewhere
        """.formatted(deadServer, server, ca, namespace));
  }

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exitCode = SluiceCli.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Result(exitCode, out.toString(), err.toString());
  }

  @Test
  void contextAndTokenReachTheClusterAsTheTokensOwner() {
    Result withToken = run("--kubeconfig", flagsKubeconfig.toString(), "--context", "local", "--token", readerToken, "get", "rollout", "web");
    Result withoutToken = run("--kubeconfig", flagsKubeconfig.toString(), "--context", "local", "get", "rollout", "web");

    assertThat(withToken.err()).isEmpty();
    assertThat(withToken.out()).startsWith("Name:          web\n").contains("Namespace:     " + namespace);
    assertThat(withToken.exitCode()).isZero();
    assertThat(withoutToken.err()).as("the context's user has no credentials: the server sees an anonymous request")
        .startsWith("error: forbidden: ").contains("system:anonymous");
    assertThat(withoutToken.exitCode()).isEqualTo(1);
  }

  @Test
  void serverAndTokenReplaceTheCurrentContextsServerAndUser() {
    Result flags = run("--kubeconfig", flagsKubeconfig.toString(), "--server", server, "--token", readerToken,
        "-n", namespace, "get", "rollout", "web");
    Result currentContext = run("--kubeconfig", flagsKubeconfig.toString(), "--token", readerToken,
        "-n", namespace, "get", "rollout", "web");

    assertThat(flags.err()).isEmpty();
    assertThat(flags.out()).startsWith("Name:          web\n");
    assertThat(flags.exitCode()).isZero();
    assertThat(currentContext.err()).startsWith("error: cannot connect to the Kubernetes API server at " + deadServer);
    assertThat(currentContext.exitCode()).isEqualTo(1);
  }

  @Test
  void asImpersonatesAServiceAccountWithItsRights() {
    String reader = "system:serviceaccount:" + namespace + ":reader";
    Result get = run("--kubeconfig", adminKubeconfig.toString(), "--as", reader, "-n", namespace, "get", "rollout", "web");
    Result promote = run("--kubeconfig", adminKubeconfig.toString(), "--as", reader, "-n", namespace, "pause", "web");

    assertThat(get.exitCode()).isZero();
    assertThat(get.out()).startsWith("Name:          web\n");
    assertThat(promote.err()).startsWith("error: forbidden: ").contains(reader, "cannot patch resource \"rollouts\"");
    assertThat(promote.exitCode()).isEqualTo(1);
    assertThat(fixtures.get("web").getSpec().paused()).isNull();
  }
}
