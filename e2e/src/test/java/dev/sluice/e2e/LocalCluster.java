package dev.sluice.e2e;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real local control plane from {@code dev/cluster}, started on first use (building it the
 * first time) and shared by every test in the JVM. CRDs from {@code crds/} are applied once.
 */
public final class LocalCluster {
  private static LocalCluster instance;

  private final Path repoRoot;
  private final Path kubeconfig;
  private final KubernetesClient client;

  private LocalCluster(Path repoRoot) {
    this.repoRoot = repoRoot;
    run(Duration.ofMinutes(30), "dev/cluster", "up");
    this.kubeconfig = Path.of(run(Duration.ofSeconds(30), "dev/cluster", "kubeconfig").trim());
    this.client = clientFor(kubeconfig);
    applyCrds();
  }

  public static synchronized LocalCluster get() {
    if (instance == null) {
      instance = new LocalCluster(Path.of(System.getProperty("sluice.repoRoot", "..")).toAbsolutePath().normalize());
    }
    return instance;
  }

  public KubernetesClient client() { return client; }

  public Path kubeconfig() { return kubeconfig; }

  public Path repoRoot() { return repoRoot; }

  public static KubernetesClient clientFor(Path kubeconfig) {
    try {
      Config config = Config.fromKubeconfig(null, Files.readString(kubeconfig), kubeconfig.toString());
      return new KubernetesClientBuilder().withConfig(config).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs kubectl (the version built with the cluster) and returns what it printed. */
  public String kubectl(String... args) {
    String[] cmd = Stream.concat(Stream.of("dev/cluster", "kubectl"), Stream.of(args)).toArray(String[]::new);
    return run(Duration.ofMinutes(1), cmd);
  }

  /** Applies the CRDs from crds/ (again: a test that changed one puts it back with this). */
  void applyCrds() {
    try (Stream<Path> files = Files.list(repoRoot.resolve("crds"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yml")).sorted().toList()) {
        try (var in = Files.newInputStream(file)) {
          CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions().load(in).item();
          client.resource(crd).forceConflicts().serverSideApply();
          client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
              .waitUntilCondition(c -> c != null && c.getStatus() != null && c.getStatus().getConditions() != null && c.getStatus().getConditions().stream()
                  .anyMatch(cond -> "Established".equals(cond.getType()) && "True".equals(cond.getStatus())),
                  60, TimeUnit.SECONDS);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String run(Duration timeout, String... command) {
    try {
      Process p = new ProcessBuilder(List.of(command)).directory(repoRoot.toFile()).redirectErrorStream(true).start();
      var out = new StringBuilder();
      Thread reader = new Thread(() -> {
        try {
          out.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException ignored) {
          // the process died; its exit code says what matters
        }
      });
      reader.start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout);
      }
      reader.join();
      if (p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed (exit " + p.exitValue() + "):\n" + out);
      }
      return out.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
