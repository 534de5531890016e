package dev.sluice.e2e.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.v1alpha1.ClusterAnalysisTemplate;
import dev.sluice.e2e.LocalCluster;
import dev.sluice.e2e.RealCluster;
import dev.sluice.e2e.RealCluster.TestNamespace;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin as installed: cli/bin/kubectl-sluice on the PATH, running the fat jar in its own JVM
 * with the user's $KUBECONFIG. Needs cli/target/kubectl-sluice.jar (mvn package builds it before e2e).
 */
@RealCluster
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LauncherE2ETest {
  private Path bin;
  private LocalCluster cluster;
  private KubernetesClient k8s;
  private String namespace;
  private final List<HasMetadata> clusterScoped = new ArrayList<>();

  record Result(int exitCode, String out, String err) {}

  @BeforeAll
  void findLauncher(LocalCluster cluster, KubernetesClient k8s, TestNamespace ns) {
    this.cluster = cluster;
    this.k8s = k8s;
    this.namespace = ns.name();
    bin = cluster.repoRoot().resolve("cli/bin");
    Path jar = cluster.repoRoot().resolve("cli/target/kubectl-sluice.jar");
    assertThat(jar).as("the plugin's jar; build it with: mvn -pl cli -am package").exists();
  }

  @AfterAll
  void deleteClusterScoped() {
    clusterScoped.forEach(o -> k8s.resource(o).delete());
  }

  private Result run(Path workDir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(bin.resolve("kubectl-sluice").toString());
    command.addAll(List.of(args));
    return exec(command, workDir, Map.of("KUBECONFIG", cluster.kubeconfig().toString()));
  }

  private static Result exec(List<String> command, Path workDir, Map<String, String> env) throws IOException, InterruptedException {
    // captured output goes to the temp directory, never into the work directory (which may be the repository)
    Path out = Files.createTempFile("kubectl-sluice-out", ".txt");
    Path err = Files.createTempFile("kubectl-sluice-err", ".txt");
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().putAll(env);
    Process process = builder.start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish within 120s");
    }
    try {
      return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** The kubectl dev/cluster built (dev/cluster kubectl puts --kubeconfig first, which kubectl refuses before a plugin name). */
  private Path kubectl(Path dir) throws Exception {
    Result path = exec(List.of("bash", "-c",
        "source dev/versions.env && echo \"${XDG_CACHE_HOME:-$HOME/.cache}/sluice/cluster/k8s-$K8S_VERSION/kubectl\""),
        cluster.repoRoot(), Map.of());
    Path kubectl = Path.of(path.out().strip());
    assertThat(kubectl).as("kubectl built by dev/cluster").isExecutable();
    return kubectl;
  }

  private Map<String, String> pluginOnPath() {
    return Map.of("PATH", bin + File.pathSeparator + System.getenv("PATH"), "KUBECONFIG", cluster.kubeconfig().toString());
  }

  @Test
  void kubectlRunsThePluginFromThePath(@TempDir Path dir) throws Exception {
    Path kubectl = kubectl(dir);

    Result version = exec(List.of(kubectl.toString(), "sluice", "version"), dir, pluginOnPath());
    Result missing = exec(List.of(kubectl.toString(), "sluice", "-n", namespace, "status", "missing"), dir, pluginOnPath());

    assertThat(version.out()).startsWith("kubectl-sluice ");
    assertThat(version.exitCode()).isZero();
    assertThat(missing.err()).isEqualTo("error: rollout \"missing\" not found in namespace \"" + namespace + "\"\n");
    assertThat(missing.exitCode()).isEqualTo(1);
  }

  @Test
  void kubectlCompletesThePluginsCommandsAndOptions(@TempDir Path dir) throws Exception {
    Path kubectl = kubectl(dir);

    // what kubectl's shell completion script asks kubectl on TAB after "kubectl sluice undo web --to"
    Result result = exec(List.of(kubectl.toString(), "__complete", "sluice", "undo", "web", "--to"), dir, pluginOnPath());

    assertThat(result.out()).isEqualTo("--to-revision\n--token\n:4\n");
  }

  @Test
  void versionComesFromTheJarManifest(@TempDir Path dir) throws Exception {
    Result result = run(dir, "version");

    assertThat(result.out()).matches("kubectl-sluice \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\n");
    assertThat(result.exitCode()).isZero();
  }

  @Test
  void aMissingRolloutIsExactlyOneLineOnStderr(@TempDir Path dir) throws Exception {
    Result result = run(dir, "-n", namespace, "get", "rollout", "missing");

    assertThat(result.err()).isEqualTo("error: rollout \"missing\" not found in namespace \"" + namespace + "\"\n");
    assertThat(result.out()).isEmpty();
    assertThat(result.exitCode()).isEqualTo(1);
  }

  @Test
  void convertedArgoManifestsLintCleanAreAcceptedByTheApiServerAndShowUp(@TempDir Path dir) throws Exception {
    Path argo = dir.resolve("argo.yaml");
    try (var in = LauncherE2ETest.class.getResourceAsStream("/cli/argo-canary.yaml")) {
      Files.write(argo, in.readAllBytes());
    }
    String clusterTemplate = "smoke-test-" + namespace;
    Files.writeString(argo, Files.readString(argo).replace("smoke-test", clusterTemplate));
    Path sluice = dir.resolve("sluice.yaml");

    Result convert = run(dir, "convert", "-f", argo.toString(), "-o", sluice.toString());
    Result lint = run(dir, "lint", "-f", sluice.toString());
    List<HasMetadata> created = new ArrayList<>();
    for (HasMetadata object : k8s.load(new ByteArrayInputStream(Files.readAllBytes(sluice))).items()) {
      HasMetadata stored = object instanceof ClusterAnalysisTemplate ? k8s.resource(object).create()
          : k8s.resource(object).inNamespace(namespace).create();
      if (object instanceof ClusterAnalysisTemplate) clusterScoped.add(stored);
      created.add(stored);
    }
    Result get = run(dir, "-n", namespace, "get", "rollout", "checkout");

    assertThat(convert.exitCode()).isZero();
    assertThat(convert.err()).startsWith("note: ").endsWith("wrote " + sluice + "\n");
    assertThat(lint.out()).isEqualTo(sluice + ": no problems in Rollout checkout, AnalysisTemplate checkout-errors, ClusterAnalysisTemplate "
        + clusterTemplate + "\n");
    assertThat(lint.exitCode()).isZero();
    assertThat(created).extracting(HasMetadata::getKind).containsExactly("Rollout", "AnalysisTemplate", "ClusterAnalysisTemplate");
    var rollout = k8s.genericKubernetesResources("sluice.dev/v1alpha1", "Rollout").inNamespace(namespace).withName("checkout").get();
    Map<String, Object> gatewayApi = rollout.get("spec", "strategy", "canary", "trafficRouting", "gatewayAPI");
    assertThat(gatewayApi).isEqualTo(Map.of("httpRoute", "checkout", "namespace", "shop"));
    assertThat(get.exitCode()).isZero();
    assertThat(get.out()).contains("Name:          checkout", "  Step:        -/4");
    assertThat(get.err()).isEmpty();
  }
}
