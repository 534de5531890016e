package dev.sluice.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The packaged controller ({@code java -jar sluice-controller.jar}, or the image's entrypoint) as a separate OS process. */
public final class ControllerProcess implements AutoCloseable {
  private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newHttpClient();

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
    this(kubeconfig, namespace, log, List.of(), extraArgs);
  }

  /** @param jvmOptions options for the controller's JVM, e.g. to start faster */
  public ControllerProcess(Path kubeconfig, String namespace, Path log, List<String> jvmOptions, String... extraArgs) {
    this(javaJar(jvmOptions), kubeconfig.toString(), namespace, log, extraArgs);
  }

  /**
   * The controller started by {@code launcher} (a command that takes the controller's flags, like
   * {@code java -jar sluice-controller.jar} or a container image's entrypoint).
   *
   * @param kubeconfig its path as the launched controller sees it
   */
  public ControllerProcess(List<String> launcher, String kubeconfig, String namespace, Path log, String... extraArgs) {
    this.log = log;
    try {
      Files.createDirectories(log.getParent());
      var command = new java.util.ArrayList<>(launcher);
      command.addAll(List.of("--kubeconfig", kubeconfig, "--health-address", "127.0.0.1", "--health-port", "0"));
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

  private static List<String> javaJar(List<String> jvmOptions) {
    Path jar = Path.of(System.getProperty("sluice.controllerJar"));
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar + " is missing: run the build with `mvn verify` (it packages the controller first)");
    }
    // the product's JVM options, as the image's entrypoint reads them; the test's own come after and win
    Path options = Path.of(System.getProperty("sluice.repoRoot"), "controller", "src", "main", "jib", "app", "jvm.options");
    var command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "@" + options));
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", jar.toString()));
    return command;
  }

  /** SIGKILL: no shutdown hook, no goodbye, exactly like a node dying. */
  void kill() throws InterruptedException {
    // a launcher's children first: a signal to the launcher need not reach them (a sandbox's controller
    // has changed its user, which drops the parent-death signal unshare --kill-child relies on)
    process.descendants().forEach(ProcessHandle::destroyForcibly);
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

  /** The started process (for a launcher, the launcher: the controller may be one of its descendants). */
  public ProcessHandle handle() {
    return process.toHandle();
  }

  /** The port of /healthz and /readyz, from the start-up line; empty until the controller has started. */
  public java.util.OptionalInt healthPort() {
    var m = java.util.regex.Pattern.compile("health on 127\\.0\\.0\\.1:(\\d+)").matcher(output());
    return m.find() ? java.util.OptionalInt.of(Integer.parseInt(m.group(1))) : java.util.OptionalInt.empty();
  }

  /** The status of GET /readyz, or -1 while the controller is not listening yet. */
  public int readyz() {
    var port = healthPort();
    if (port.isEmpty()) return -1;
    try {
      return HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port.getAsInt() + "/readyz")).build(),
          java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
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
      process.descendants().forEach(ProcessHandle::destroy);
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) kill();
    }
  }
}
