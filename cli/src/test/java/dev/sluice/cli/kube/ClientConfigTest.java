package dev.sluice.cli.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.cli.CliException;
import dev.sluice.cli.SluiceCli;
import dev.sluice.cli.SluiceCommand;
import io.fabric8.kubernetes.client.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** kubectl's connection flags, parsed as the CLI parses them, give the client configuration kubectl would use. */
class ClientConfigTest {
  @TempDir
  static Path dir;
  static Path kubeconfig;
  static Path second;

  @BeforeAll
  static void kubeconfigs() throws IOException {
    kubeconfig = dir.resolve("config");
    Files.writeString(kubeconfig, """
        apiVersion: v1
        kind: Config
        clusters:
        - {name: prod, cluster: {server: "https://prod.example:6443", certificate-authority: certs/prod-ca.crt}}
        - {name: staging, cluster: {server: "https://staging.example:6443"}}
        users:
        - {name: alice, user: {token: alice-token}}
        - {name: bob, user: {username: bob, password: bob-password}}
        contexts:
        - {name: prod-alice, context: {cluster: prod, user: alice, namespace: shop}}
        - {name: staging-bob, context: {cluster: staging, user: bob}}
        current-context: prod-alice
        """);
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
  }

  /** The configuration for these command-line words, with these kubeconfig files as $KUBECONFIG would list them. */
  private static Config configFor(List<Path> kubeconfigs, String... args) {
    CommandLine cli = SluiceCli.commandLine(Clock.systemUTC());
    cli.parseArgs(args);
    ClusterOptions options = ((SluiceCommand) cli.getCommand()).clusterOptions(false);
    return ClientConfig.of(options, kubeconfigs.stream().map(Path::toString).toList());
  }

  /** The bearer token the client sends: one given explicitly wins over one the kubeconfig's user has. */
  private static String token(Config config) {
    return config.getOauthToken() != null ? config.getOauthToken() : config.getAutoOAuthToken();
  }

  private static Config configFor(String... args) {
    return configFor(List.of(kubeconfig), args);
  }

  @Test
  void withoutFlagsTheCurrentContextsClusterUserAndNamespace() {
    Config config = configFor("version");

    assertThat(config.getMasterUrl()).isEqualTo("https://prod.example:6443/");
    assertThat(token(config)).isEqualTo("alice-token");
    assertThat(config.getNamespace()).isEqualTo("shop");
    assertThat(config.getCaCertFile()).as("relative to the kubeconfig's directory")
        .isEqualTo(dir.resolve("certs/prod-ca.crt").toString());
    assertThat(config.getImpersonateUsername()).isNull();
  }

  @Test
  void kubeconfigFlagNamesTheFileInsteadOfTheDefaultOnes() {
    Config config = configFor(List.of(second), "--kubeconfig", kubeconfig.toString(), "version");

    assertThat(config.getMasterUrl()).isEqualTo("https://prod.example:6443/");
  }

  @Test
  void contextPicksAnotherContextWithItsClusterUserAndNamespace() {
    Config config = configFor("--context", "staging-bob", "version");

    assertThat(config.getMasterUrl()).isEqualTo("https://staging.example:6443/");
    assertThat(config.getUsername()).isEqualTo("bob");
    assertThat(token(config)).isNull();
    assertThat(config.getNamespace()).as("staging-bob names none: the CLI then uses default").isNull();
  }

  @Test
  void clusterReplacesOnlyTheContextsCluster() {
    Config config = configFor("--cluster", "staging", "version");

    assertThat(config.getMasterUrl()).isEqualTo("https://staging.example:6443/");
    assertThat(token(config)).isEqualTo("alice-token");
    assertThat(config.getNamespace()).isEqualTo("shop");
  }

  @Test
  void userReplacesOnlyTheContextsUser() {
    Config config = configFor("--user", "bob", "--context", "prod-alice", "version");

    assertThat(config.getMasterUrl()).isEqualTo("https://prod.example:6443/");
    assertThat(config.getUsername()).isEqualTo("bob");
    assertThat(config.getPassword()).isEqualTo("bob-password");
    assertThat(token(config)).isNull();
  }

  @Test
  void clusterAndUserWorkWithoutAnyContext() throws IOException {
    Path noContext = dir.resolve("no-context");
    Files.writeString(noContext, """
        apiVersion: v1
        kind: Config
        clusters: [{name: staging, cluster: {server: "https://staging.example:6443"}}]
        users: [{name: alice, user: {token: alice-token}}]
        """);

    Config config = configFor(List.of(noContext), "--cluster", "staging", "--user", "alice", "version");

    assertThat(config.getMasterUrl()).isEqualTo("https://staging.example:6443/");
    assertThat(token(config)).isEqualTo("alice-token");
  }

  @Test
  void serverAndTokenOverrideTheKubeconfigAndTheTokenReplacesOtherCredentials() {
    Config config = configFor("--context", "staging-bob", "--server", "https://127.0.0.1:7443", "--token", "flag-token", "version");

    assertThat(config.getMasterUrl()).isEqualTo("https://127.0.0.1:7443/");
    assertThat(token(config)).isEqualTo("flag-token");
    assertThat(config.getUsername()).isNull();
    assertThat(config.getPassword()).isNull();
  }

  @Test
  void shortServerFlagAndFlagsAfterTheSubcommandWorkToo() {
    Config config = configFor("get", "rollout", "web", "-s", "https://10.0.0.1:6443", "-n", "other");

    assertThat(config.getMasterUrl()).isEqualTo("https://10.0.0.1:6443/");
    assertThat(config.getNamespace()).isEqualTo("other");
  }

  @Test
  void serverAndTokenWorkWithoutAnyKubeconfig() {
    Config config = configFor(List.of(dir.resolve("absent")), "--server", "https://127.0.0.1:7443", "--token", "t", "version");

    assertThat(config.getMasterUrl()).isEqualTo("https://127.0.0.1:7443/");
    assertThat(token(config)).isEqualTo("t");
  }

  @Test
  void requestTimeoutIsKubectlsDurationAndZeroMeansNoLimit() {
    assertThat(configFor("--request-timeout", "30s", "version").getRequestTimeout()).isEqualTo(30_000);
    assertThat(configFor("--request-timeout", "30s", "version").getConnectionTimeout()).isEqualTo(30_000);
    assertThat(configFor("--request-timeout", "5", "version").getRequestTimeout()).as("a bare number is seconds").isEqualTo(5_000);
    assertThat(configFor("--request-timeout", "1m30s", "version").getRequestTimeout()).isEqualTo(90_000);
    assertThat(configFor("--request-timeout", "0", "version").getRequestTimeout()).isZero();
  }

  @Test
  void asAndAsGroupImpersonate() {
    Config config = configFor("--as", "system:serviceaccount:shop:deployer", "--as-group", "ops", "--as-group", "audit", "version");

    assertThat(config.getImpersonateUsername()).isEqualTo("system:serviceaccount:shop:deployer");
    assertThat(config.getImpersonateGroups()).containsExactly("ops", "audit");
    assertThat(token(config)).as("the user's own credentials still authenticate").isEqualTo("alice-token");
  }

  @Test
  void insecureSkipTlsVerifyTrustsAnyCertificate() {
    Config config = configFor("--insecure-skip-tls-verify", "version");

    assertThat(config.isTrustCerts()).isTrue();
    assertThat(config.isDisableHostnameVerification()).isTrue();
  }

  @Test
  void namespaceFlagWinsOverTheContexts() {
    assertThat(configFor("-n", "payments", "version").getNamespace()).isEqualTo("payments");
    assertThat(configFor("--namespace=payments", "version").getNamespace()).isEqualTo("payments");
  }

  @Test
  void severalKubeconfigFilesMergeAsKubectlDoesTheFirstNamingSomethingWins() {
    Config current = configFor(List.of(kubeconfig, second), "version");
    Config fromSecond = configFor(List.of(kubeconfig, second), "--context", "lab-carol", "version");

    assertThat(current.getMasterUrl()).as("current-context and prod-alice from the first file").isEqualTo("https://prod.example:6443/");
    assertThat(fromSecond.getMasterUrl()).isEqualTo("https://lab.example:6443/");
    assertThat(token(fromSecond)).isEqualTo("carol-token");
    assertThat(fromSecond.getNamespace()).isEqualTo("lab");
  }

  @Test
  void namesThatAreNotInTheKubeconfigAreRefusedWithTheOnesThatAre() {
    assertThatThrownBy(() -> configFor("--context", "nope", "version")).isInstanceOf(CliException.class)
        .hasMessage("context \"nope\" is not in the kubeconfig (contexts: prod-alice, staging-bob)");
    assertThatThrownBy(() -> configFor("--cluster", "nope", "version")).isInstanceOf(CliException.class)
        .hasMessage("cluster \"nope\" is not in the kubeconfig (clusters: prod, staging)");
    assertThatThrownBy(() -> configFor("--user", "nope", "version")).isInstanceOf(CliException.class)
        .hasMessage("user \"nope\" is not in the kubeconfig (users: alice, bob)");
  }

  @Test
  void asGroupWithoutAsIsRefused() {
    assertThatThrownBy(() -> configFor("--as-group", "ops", "version")).isInstanceOf(CliException.class)
        .hasMessage("--as-group needs --as: groups are impersonated together with a user");
  }

  @Test
  void noKubeconfigAndNoServerIsRefused() {
    assertThatThrownBy(() -> configFor(List.of(dir.resolve("absent")), "version")).isInstanceOf(CliException.class)
        .hasMessageStartingWith("no kubeconfig found");
  }
}
