package dev.sluice.bench.scale;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The controller a run measures, as its own process: Sluice's packaged jar, or Argo Rollouts' controller for the
 * same workload under argoproj.io. Each says how it starts, when it is ready, and what its own counter of API
 * requests reports.
 */
sealed interface ControllerUnderTest {
  Duration READY_TIMEOUT = Duration.ofSeconds(120);

  /** "sluice" or "argo": the --controller value, also in result file names. */
  String name();

  /** The API group its Rollouts live in (same spec either way). */
  String group();

  default ResourceDefinitionContext rollouts() {
    return new ResourceDefinitionContext.Builder().withGroup(group()).withVersion("v1alpha1").withKind("Rollout")
        .withPlural("rollouts").withNamespaced(true).build();
  }

  /** Starts it with its output in {@code log}. */
  Process start(Path log) throws IOException;

  /** Returns once it has synced its caches and works on Rollouts. */
  void awaitReady(Process process, Path log) throws IOException, InterruptedException;

  /** The metric its own request counter is read from. */
  String requestCounter();

  /** Its own count of API requests so far, keyed "verb resource" as the API server's. */
  RequestCounts requests() throws IOException, InterruptedException;

  /** Its Prometheus metrics page. */
  String metrics() throws IOException, InterruptedException;

  /** The namespace its Rollouts are in (created by the harness before it starts). */
  String namespace();

  /**
   * Sluice's packaged controller with the product's JVM options (the image's entrypoint reads the same file) and
   * the run's own, watching the bench namespace.
   */
  record Sluice(Path kubeconfig, Path jar, Path jvmOptionsFile, List<String> jvmOptions, List<String> flags, String namespace,
      int port, HttpClient http, boolean leaderElect) implements ControllerUnderTest {
    @Override
    public String name() {
      return "sluice";
    }

    @Override
    public String group() {
      return "sluice.dev";
    }

    @Override
    public Process start(Path log) throws IOException {
      List<String> cmd = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(), "@" + jvmOptionsFile));
      cmd.addAll(jvmOptions);
      cmd.addAll(List.of("-jar", jar.toString(), "--kubeconfig", kubeconfig.toString(), "--namespace", namespace,
          "--health-address", "127.0.0.1", "--health-port", Integer.toString(port)));
      if (leaderElect) {
        // as the chart and the kustomize base run it (two replicas): this one holds the Lease and renews it
        cmd.addAll(List.of("--leader-elect", "--leader-election-namespace", namespace));
      }
      // an experiment's own (e.g. --kube-api-qps 0): results with any are not the product's defaults
      cmd.addAll(flags);
      return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    @Override
    public void awaitReady(Process process, Path log) throws IOException, InterruptedException {
      pollUntil(process, () -> {
        try {
          return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz")).build(),
              HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException notYet) {
          return false; // the controller is still starting
        }
      }, "the controller did not become ready within " + READY_TIMEOUT + "; see " + log);
    }

    @Override
    public String requestCounter() {
      return "sluice_kubernetes_api_requests_total";
    }

    @Override
    public RequestCounts requests() throws IOException, InterruptedException {
      return RequestCounts.parse(metrics(), requestCounter());
    }

    @Override
    public String metrics() throws IOException, InterruptedException {
      return metricsPage(http, port);
    }
  }

  /**
   * Argo Rollouts' controller as its users run it: default flags (cluster-wide, leader election in the
   * argo-rollouts namespace, client QPS 40 / burst 80, 10 rollout workers), out-of-cluster through
   * {@code --kubeconfig}. Only its two listening ports are moved off their defaults (8080, 8090), which other
   * processes on a shared machine may hold.
   */
  record Argo(Path kubeconfig, Path binary, String namespace, int metricsPort, int healthzPort, HttpClient http)
      implements ControllerUnderTest {
    /** Where its default flags put the leader-election lease and the notification config it reads. */
    static final String OWN_NAMESPACE = "argo-rollouts";

    @Override
    public String name() {
      return "argo";
    }

    @Override
    public String group() {
      return "argoproj.io";
    }

    @Override
    public Process start(Path log) throws IOException {
      return new ProcessBuilder(binary.toString(), "--kubeconfig", kubeconfig.toString(),
          "--metricsPort", Integer.toString(metricsPort), "--healthzPort", Integer.toString(healthzPort))
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Its healthz answers before it leads and syncs; the log line it writes once its workers run is the signal. */
    @Override
    public void awaitReady(Process process, Path log) throws IOException, InterruptedException {
      pollUntil(process, () -> Files.readString(log).contains("msg=\"Started controller\""),
          "Argo Rollouts' controller did not start within " + READY_TIMEOUT + "; see " + log);
    }

    @Override
    public String requestCounter() {
      return "controller_clientset_k8s_request_total";
    }

    @Override
    public RequestCounts requests() throws IOException, InterruptedException {
      return counts(metrics());
    }

    @Override
    public String metrics() throws IOException, InterruptedException {
      return metricsPage(http, metricsPort);
    }

    /**
     * Its counter labels requests by verb ("Patch") and kind ("replicasets"); a subresource request counts under the
     * object's name as kind and the subresource as name, so those are keyed "any/status" ("any/scale"); a create
     * whose body it cannot read as JSON (client-go sends built-in kinds as protobuf) has no kind: "unparsed".
     */
    static RequestCounts counts(String metricsPage) {
      return RequestCounts.parse(metricsPage, "controller_clientset_k8s_request_total", labels -> {
        String name = labels.getOrDefault("name", "");
        String kind = labels.get("kind");
        String resource = name.equals("status") || name.equals("scale") ? "any/" + name
            : kind.isEmpty() ? "unparsed" : kind;
        return labels.get("verb").toLowerCase(Locale.ROOT) + " " + resource;
      });
    }
  }

  /** A readiness check that may read a file or ask the process. */
  interface ReadyCheck {
    boolean ready() throws IOException, InterruptedException;
  }

  /** Asks {@code check} every 200 ms while {@code process} lives, for up to {@link #READY_TIMEOUT}. */
  private static void pollUntil(Process process, ReadyCheck check, String failure) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline && process.isAlive()) {
      if (check.ready()) {
        return;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(failure);
  }

  private static String metricsPage(HttpClient http, int port) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Parsed --controller value. */
  static ControllerUnderTest of(String name, Map<String, String> args, Path kubeconfig, Path jvmOptionsFile,
      List<String> jvmOptions, List<String> flags, String namespace, HttpClient http, boolean leaderElect) throws IOException {
    return switch (name) {
      case "sluice" -> new Sluice(kubeconfig, Path.of(args.get("controller-jar")), jvmOptionsFile, jvmOptions, flags,
          namespace, freePort(), http, leaderElect);
      case "argo" -> new Argo(kubeconfig, Path.of(args.get("argo-controller")), namespace, freePort(), freePort(), http);
      default -> throw new IllegalArgumentException("--controller must be sluice or argo, not " + name);
    };
  }
}
