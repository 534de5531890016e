package dev.sluice.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The packaged controller ({@code java -jar sluice-controller.jar}) as a separate OS process. */
public final class ControllerProcess implements AutoCloseable {
  private final Process process;
  private final Path log;

  public ControllerProcess(LocalCluster cluster, String namespace, Path log, String... extraArgs) {
    this(cluster.kubeconfig(), namespace, log, extraArgs);
  }

  /**
   * @param kubeconfig whose credentials the controller uses, e.g. a service account's token
   * @param namespace the one it watches; null = all namespaces
   */
  public ControllerProcess(Path kubeconfig, String namespace, Path log, String... extraArgs) {
    this.log = log;
    Path jar = Path.of(System.getProperty("sluice.controllerJar"));
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar + " is missing: run the build with `mvn verify` (it packages the controller first)");
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    try {
      Files.createDirectories(log.getParent());
      var command = new java.util.ArrayList<>(List.of(java, "-jar", jar.toString(), "--kubeconfig", kubeconfig.toString(),
          "--health-address", "127.0.0.1", "--health-port", "0"));
      if (namespace != null) command.addAll(List.of("--namespace", namespace));
      command.addAll(List.of(extraArgs));
      Files.deleteIfExists(log);
      process = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** SIGKILL: no shutdown hook, no goodbye, exactly like a node dying. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /**
   * SIGTERM, as Kubernetes stops a pod: the shutdown hook runs. Returns how long the process took to
   * exit (it is killed after 30 s).
   */
  java.time.Duration terminate() throws InterruptedException {
    long start = System.nanoTime();
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      kill();
    }
    return java.time.Duration.ofNanos(System.nanoTime() - start);
  }

  long pid() {
    return process.pid();
  }

  /** The port of /healthz and /readyz, from the start-up line; empty until the controller has started. */
  public java.util.OptionalInt healthPort() {
    var m = java.util.regex.Pattern.compile("health on 127\\.0\\.0\\.1:(\\d+)").matcher(output());
    return m.find() ? java.util.OptionalInt.of(Integer.parseInt(m.group(1))) : java.util.OptionalInt.empty();
  }

  public boolean alive() {
    return process.isAlive();
  }

  public String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) kill();
    }
  }
}
