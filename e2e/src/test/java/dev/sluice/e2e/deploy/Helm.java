package dev.sluice.e2e.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Helm as {@code dev/helm} runs it (built from its Go module on first use, pinned in dev/versions.env),
 * from the repository root, so that {@code deploy/helm/sluice} names the chart.
 */
final class Helm {
  static final String CHART = "deploy/helm/sluice";

  /** What helm printed and how it exited; stdout alone is the rendered YAML, stderr has warnings and errors. */
  record Result(int exitCode, String stdout, String stderr) {
    Result orThrow() {
      if (exitCode != 0) throw new IllegalStateException("helm failed (exit " + exitCode + "):\n" + stderr + stdout);
      return this;
    }
  }

  private final Path repoRoot;

  Helm(Path repoRoot) {
    this.repoRoot = repoRoot;
  }

  /** {@code helm template RELEASE deploy/helm/sluice --namespace NS} with {@code --set} values, e.g. {@code "replicas=1"}. */
  Manifests template(String release, String namespace, String... values) {
    return Manifests.parse(templateYaml(release, namespace, values));
  }

  String templateYaml(String release, String namespace, String... values) {
    List<String> args = new ArrayList<>(List.of("template", release, CHART, "--namespace", namespace));
    for (String value : values) {
      args.add("--set");
      args.add(value);
    }
    return run(args.toArray(String[]::new)).orThrow().stdout();
  }

  Result run(String... args) {
    List<String> command = new ArrayList<>(List.of("dev/helm"));
    command.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(command).directory(repoRoot.toFile()).start();
      // a thread per stream: a full pipe must never block helm while the other is read
      Executor reader = r -> new Thread(r, "helm-output").start();
      var stdout = CompletableFuture.supplyAsync(() -> read(p.getInputStream()), reader);
      var stderr = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()), reader);
      // the first run builds helm: minutes on a busy machine
      if (!p.waitFor(Duration.ofMinutes(30).toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not finish within 30 minutes");
      }
      return new Result(p.exitValue(), stdout.join(), stderr.join());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String read(java.io.InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
