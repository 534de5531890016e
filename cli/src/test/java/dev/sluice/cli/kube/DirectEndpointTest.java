package dev.sluice.cli.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cli.SluiceCli;
import dev.sluice.cli.SluiceCommand;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.internal.CertUtils;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * The connection `get rollout` makes without the fabric8 client goes where the client would, as the
 * same user: for the same flags and kubeconfig files, the same server, namespace, CA, client
 * certificate, token, impersonation and timeouts as {@link ClientConfig}; and it steps aside (so the
 * client connects, or reports the mistake, as before) for whatever it does not do the same way.
 */
class DirectEndpointTest {
  private static final String CA = "-----BEGIN CERTIFICATE-----\nprod-ca\n-----END CERTIFICATE-----\n";
  private static final String CERT = "-----BEGIN CERTIFICATE-----\ndave\n-----END CERTIFICATE-----\n";
  private static final String KEY = "-----BEGIN RSA PRIVATE KEY-----\ndave\n-----END RSA PRIVATE KEY-----\n";

  @TempDir
  static Path dir;
  static Path kubeconfig;
  static Path second;
  static Path noContext;

  @BeforeAll
  static void kubeconfigs() throws IOException {
    Files.createDirectories(dir.resolve("certs"));
    Files.writeString(dir.resolve("certs/prod-ca.crt"), CA);
    Files.writeString(dir.resolve("certs/erin.crt"), CERT);
    Files.writeString(dir.resolve("certs/erin.key"), KEY);
    kubeconfig = dir.resolve("config");
    Files.writeString(kubeconfig, """
        apiVersion: v1
        kind: Config
        clusters:
        - {name: prod, cluster: {server: "https://prod.example:6443", certificate-authority: certs/prod-ca.crt}}
        - {name: staging, cluster: {server: "https://staging.example:6443", certificate-authority-data: %s}}
        - {name: insecure, cluster: {server: "https://10.0.0.9:6443", insecure-skip-tls-verify: true}}
        - {name: named, cluster: {server: "https://10.0.0.8:6443", tls-server-name: api.example}}
        users:
        - {name: alice, user: {token: alice-token}}
        - {name: bob, user: {username: bob, password: bob-password}}
        - {name: dave, user: {client-certificate-data: %s, client-key-data: %s}}
        - {name: erin, user: {client-certificate: certs/erin.crt, client-key: certs/erin.key, token: erin-token}}
        - {name: frank, user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: get-token}}}
        - {name: grace, user: {auth-provider: {name: oidc}}}
        - {name: nobody, user: {}}
        contexts:
        - {name: prod-alice, context: {cluster: prod, user: alice, namespace: shop}}
        - {name: staging-bob, context: {cluster: staging, user: bob}}
        - {name: staging-dave, context: {cluster: staging, user: dave, namespace: qa}}
        - {name: prod-erin, context: {cluster: prod, user: erin}}
        - {name: prod-frank, context: {cluster: prod, user: frank}}
        - {name: prod-grace, context: {cluster: prod, user: grace}}
        - {name: insecure-nobody, context: {cluster: insecure, user: nobody}}
        - {name: named-alice, context: {cluster: named, user: alice}}
        current-context: prod-alice
        """.formatted(base64(CA), base64(CERT), base64(KEY)));
    second = dir.resolve("second");
    Files.writeString(second, """
        apiVersion: v1
        kind: Config
        clusters: [{name: lab, cluster: {server: "https://lab.example:6443"}}]
        users: [{name: carol, user: {token: carol-token}}]
        contexts:
        - {name: lab-carol, context: {cluster: lab, user: carol, namespace: lab}}
        - {name: prod-alice, context: {cluster: lab, user: carol}}
        current-context: lab-carol
        """);
    noContext = dir.resolve("no-context");
    Files.writeString(noContext, """
        apiVersion: v1
        kind: Config
        clusters: [{name: staging, cluster: {server: "https://staging.example:6443"}}]
        users: [{name: alice, user: {token: alice-token}}]
        """);
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
  }

  private static ClusterOptions options(String... args) {
    CommandLine cli = SluiceCli.commandLine(Clock.systemUTC());
    cli.parseArgs(args);
    return ((SluiceCommand) cli.getCommand()).clusterOptions(false);
  }

  private static Optional<DirectEndpoint> direct(List<Path> kubeconfigs, Map<String, String> env, String... args) {
    Map<String, String> withKubeconfig = new java.util.HashMap<>(env);
    withKubeconfig.put("KUBECONFIG", kubeconfigs.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)));
    return DirectEndpoint.of(options(args), withKubeconfig, dir.resolve("home-config"));
  }

  static Stream<List<String>> flags() {
    return Stream.of(
        List.of("get", "rollout", "web"),
        List.of("--kubeconfig", "KUBECONFIG", "get", "rollout", "web"),
        List.of("--context", "staging-dave", "get", "rollout", "web"),
        List.of("--context", "prod-erin", "get", "rollout", "web"),
        List.of("--context", "insecure-nobody", "get", "rollout", "web"),
        List.of("--context", "lab-carol", "get", "rollout", "web"),
        List.of("--cluster", "staging", "get", "rollout", "web"),
        List.of("--user", "dave", "get", "rollout", "web"),
        List.of("--context", "staging-dave", "--token", "flag-token", "get", "rollout", "web"),
        List.of("--context", "staging-bob", "--server", "https://127.0.0.1:7443", "--token", "flag-token", "get", "rollout", "web"),
        List.of("get", "rollout", "web", "-s", "https://10.0.0.1:6443", "-n", "other"),
        List.of("--insecure-skip-tls-verify", "get", "rollout", "web"),
        List.of("--request-timeout", "30s", "get", "rollout", "web"),
        List.of("--request-timeout", "0", "get", "rollout", "web"),
        List.of("--as", "system:serviceaccount:shop:deployer", "--as-group", "ops", "--as-group", "audit", "get", "rollout", "web"),
        List.of("--namespace=payments", "get", "rollout", "web"));
  }

  @ParameterizedTest
  @MethodSource("flags")
  void connectsWhereTheClientWouldAsTheSameUser(List<String> flags) throws IOException {
    List<Path> files = List.of(kubeconfig, second);
    String[] args = flags.stream().map(f -> f.equals("KUBECONFIG") ? kubeconfig.toString() : f).toArray(String[]::new);
    Config client = ClientConfig.of(options(args), files.stream().map(Path::toString).toList());

    DirectEndpoint direct = direct(files, Map.of(), args).orElseThrow();

    assertThat(direct.server()).isEqualTo(client.getMasterUrl());
    assertThat(direct.namespace()).isEqualTo(client.getNamespace() == null ? "default" : client.getNamespace());
    assertThat(direct.token()).isEqualTo(client.getOauthToken() != null ? client.getOauthToken() : client.getAutoOAuthToken());
    assertThat(strip(direct.caPem())).isEqualTo(text(client.getCaCertData(), client.getCaCertFile()));
    assertThat(strip(direct.clientCertPem())).isEqualTo(text(client.getClientCertData(), client.getClientCertFile()));
    assertThat(strip(direct.clientKeyPem())).isEqualTo(text(client.getClientKeyData(), client.getClientKeyFile()));
    assertThat(direct.insecure()).isEqualTo(client.isTrustCerts());
    assertThat(direct.as()).isEqualTo(client.getImpersonateUsername());
    assertThat(direct.asGroups()).containsExactly(client.getImpersonateGroups() == null ? new String[0] : client.getImpersonateGroups());
    assertThat(direct.readTimeout()).isEqualTo(Duration.ofMillis(client.getRequestTimeout()));
    assertThat(direct.connectTimeout()).isEqualTo(Duration.ofMillis(client.getConnectionTimeout()));
  }

  /** The PEM text the client reads, as fabric8 reads it. */
  private static String text(String data, String file) throws IOException {
    if (data == null && file == null) return null;
    try (InputStream in = CertUtils.getInputStreamFromDataOrFile(data, file)) {
      return strip(new String(in.readAllBytes(), StandardCharsets.US_ASCII));
    }
  }

  private static String strip(String pem) {
    return pem == null ? null : pem.strip();
  }

  @Test
  void clusterAndUserWorkWithoutAnyContext() {
    DirectEndpoint direct = direct(List.of(noContext), Map.of(), "--cluster", "staging", "--user", "alice", "get", "rollout", "web").orElseThrow();

    assertThat(direct.server()).isEqualTo("https://staging.example:6443/");
    assertThat(direct.token()).isEqualTo("alice-token");
    assertThat(direct.namespace()).isEqualTo("default");
  }

  @Test
  void credentialsAndSettingsOnlyTheClientHandlesAreLeftToIt() {
    for (String context : List.of("prod-frank", "prod-grace", "staging-bob", "named-alice")) {
      assertThat(direct(List.of(kubeconfig), Map.of(), "--context", context, "get", "rollout", "web")).as(context).isEmpty();
    }
    assertThat(direct(List.of(kubeconfig), Map.of("KUBERNETES_MASTER", "https://elsewhere:6443"), "get", "rollout", "web"))
        .as("fabric8 reads KUBERNETES_* variables").isEmpty();
    assertThat(direct(List.of(kubeconfig), Map.of("HTTPS_PROXY", "http://proxy:3128"), "get", "rollout", "web")).isEmpty();
  }

  @Test
  void mistakesAreLeftToTheClientToReport() {
    assertThat(direct(List.of(kubeconfig), Map.of(), "--context", "nope", "get", "rollout", "web")).isEmpty();
    assertThat(direct(List.of(kubeconfig), Map.of(), "--cluster", "nope", "get", "rollout", "web")).isEmpty();
    assertThat(direct(List.of(kubeconfig), Map.of(), "--user", "nope", "get", "rollout", "web")).isEmpty();
    assertThat(direct(List.of(kubeconfig), Map.of(), "--as-group", "ops", "get", "rollout", "web")).isEmpty();
    assertThat(direct(List.of(dir.resolve("absent")), Map.of(), "--server", "https://127.0.0.1:7443", "--token", "t", "get", "rollout", "web"))
        .as("no kubeconfig").isEmpty();
    assertThat(direct(List.of(kubeconfig), Map.of(), "--kubeconfig", dir.resolve("absent").toString(), "get", "rollout", "web")).isEmpty();
  }

  @Test
  void aKubeconfigThatIsNotYamlIsLeftToTheClientToReport() throws IOException {
    Path broken = dir.resolve("broken");
    Files.writeString(broken, "clusters: [ {name: a\n");

    assertThat(direct(List.of(broken), Map.of(), "get", "rollout", "web")).isEmpty();
  }
}
