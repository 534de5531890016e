package dev.sluice.bench.scale;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

/**
 * bench/scale: N canary Rollouts on a local control plane, with the packaged controller as its
 * own process; measures the initial deploy, an update wave of all N at once, and an idle minute.
 * Started by the bench/scale script, which brings up the cluster; see it for the options.
 */
public final class ScaleBench {
  private static final ResourceDefinitionContext ROLLOUTS = new ResourceDefinitionContext.Builder()
      .withGroup("sluice.dev").withVersion("v1alpha1").withKind("Rollout").withPlural("rollouts").withNamespaced(true)
      .build();

  static final Path JVM_OPTIONS = Path.of("controller", "src", "main", "jib", "app", "jvm.options");

  record Options(Path kubeconfig, Path controllerJar, List<String> jvmOptions, int rollouts, int replicas,
      List<String> steps, String namespace, int idleSeconds, Path results) {}

  /** One phase's figures. */
  record Phase(String name, double wallSeconds, double cpuSeconds, long rssNowBytes, long rssPeakBytes,
      long threadsPeak, Map<String, Long> controllerRequests, Map<String, Long> apiServerRequests,
      Map<String, Double> figures) {}

  public static void main(String[] args) throws Exception {
    Options o = parse(args);
    Config config = Config.fromKubeconfig(Files.readString(o.kubeconfig()));
    try (KubernetesClient k8s = new KubernetesClientBuilder().withConfig(config).build()) {
      new ScaleBench(o, k8s).run();
    }
  }

  private final Options o;
  private final KubernetesClient k8s;
  private final HttpClient http = HttpClient.newHttpClient();
  private final ExecutorService writers = Executors.newFixedThreadPool(16);
  private int metricsPort;
  private Diagnostics diagnostics;

  private ScaleBench(Options o, KubernetesClient k8s) {
    this.o = o;
    this.k8s = k8s;
  }

  private void run() throws Exception {
    k8s.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(o.namespace()).endMetadata().build())
        .serverSideApply();
    Timeline timeline = new Timeline();
    SharedIndexInformer<GenericKubernetesResource> informer =
        k8s.genericKubernetesResources(ROLLOUTS).inNamespace(o.namespace()).inform(timeline);
    metricsPort = freePort();
    Path log = o.results().resolve("controller-" + o.rollouts() + ".log");
    // the product's JVM options (the image's entrypoint reads the same file), then the run's own
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "@" + JVM_OPTIONS));
    cmd.addAll(o.jvmOptions());
    cmd.addAll(List.of("-jar", o.controllerJar().toString(), "--kubeconfig", o.kubeconfig().toString(),
        "--namespace", o.namespace(), "--health-address", "127.0.0.1", "--health-port", Integer.toString(metricsPort)));
    Process controller = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    List<Phase> phases = new ArrayList<>();
    try (ProcessStats stats = new ProcessStats(controller.pid())) {
      awaitReady();
      List<String> names = IntStream.range(0, o.rollouts()).mapToObj(i -> "bench-" + i).toList();

      phases.add(measure("initial deploy", stats, () -> {
        parallel(names, n -> k8s.genericKubernetesResources(ROLLOUTS).inNamespace(o.namespace())
            .resource(rollout(n, "registry.example/app:1.0")).create());
        awaitAll(timeline, names, Long.MIN_VALUE, Map.of(), Duration.ofMinutes(10));
        return Map.of();
      }));

      Map<String, String> oldHashes = new LinkedHashMap<>();
      names.forEach(n -> oldHashes.put(n, timeline.of(n).get(timeline.of(n).size() - 1).current()));
      phases.add(measure("update wave", stats, () -> {
        long start = System.nanoTime();
        parallel(names, n -> k8s.genericKubernetesResources(ROLLOUTS).inNamespace(o.namespace()).withName(n)
            .patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"registry.example/app:2.0\"}]}}}}"));
        Map<String, Long> done = awaitAll(timeline, names, start, oldHashes, Duration.ofMinutes(20));
        List<Double> updates = done.values().stream().map(t -> (t - start) / 1e9).sorted().toList();
        List<Double> overruns = names.stream()
            .flatMap(n -> timeline.pauseOverruns(n, start, pauseSecondsByStep()).stream()).sorted().toList();
        Map<String, Double> f = new LinkedHashMap<>();
        f.put("update p50 s", quantile(updates, 0.5));
        f.put("update p99 s", quantile(updates, 0.99));
        f.put("ideal update s", idealSeconds());
        f.put("pause overrun p50 s", quantile(overruns, 0.5));
        f.put("pause overrun p99 s", quantile(overruns, 0.99));
        f.put("pause overrun max s", overruns.isEmpty() ? Double.NaN : overruns.get(overruns.size() - 1));
        f.put("pauses measured", (double) overruns.size());
        return f;
      }));

      phases.add(measure("idle minute", stats, () -> {
        Thread.sleep(o.idleSeconds() * 1000L); // the phase is a length of time: nothing to wait for
        return Map.of();
      }));
      diagnostics = Diagnostics.of(controller.pid(), o.jvmOptions());
    } finally {
      controller.destroy();
      controller.waitFor();
      informer.close();
      writers.shutdownNow();
    }
    report(phases);
  }

  interface Body {
    Map<String, Double> run() throws Exception;
  }

  private Phase measure(String name, ProcessStats stats, Body body) throws Exception {
    ProcessStats.Sample before = stats.now();
    String pageBefore = controllerMetrics();
    RequestCounts ctlBefore = RequestCounts.parse(pageBefore, CONTROLLER_REQUESTS);
    RequestCounts apiBefore = apiServerRequests();
    long start = System.nanoTime();
    Map<String, Double> figures = new LinkedHashMap<>(body.run());
    double wall = (System.nanoTime() - start) / 1e9;
    ProcessStats.Sample after = stats.now();
    String pageAfter = controllerMetrics();
    RequestCounts ctl = RequestCounts.parse(pageAfter, CONTROLLER_REQUESTS).minus(ctlBefore);
    // the collector's share of the CPU: what a smaller heap or young generation costs
    figures.put("reconciles started", sum(pageAfter, "operator_sdk_reconciliations_started_total")
        - sum(pageBefore, "operator_sdk_reconciliations_started_total"));
    figures.put("gc pauses", sum(pageAfter, "jvm_gc_pause_seconds_count") - sum(pageBefore, "jvm_gc_pause_seconds_count"));
    figures.put("gc pauses, of them full", sum(pageAfter, "jvm_gc_pause_seconds_count", "end of major GC")
        - sum(pageBefore, "jvm_gc_pause_seconds_count", "end of major GC"));
    figures.put("gc pause s", sum(pageAfter, "jvm_gc_pause_seconds_sum") - sum(pageBefore, "jvm_gc_pause_seconds_sum"));
    RequestCounts api = apiServerRequests().minus(apiBefore);
    int stepsDone = name.equals("update wave") ? o.rollouts() * o.steps().size() : 0;
    if (stepsDone > 0) {
      figures.put("controller writes per rollout per step", ctl.writes() / (double) stepsDone);
      figures.put("api server writes (Sluice's kinds) per rollout per step", sluiceKinds(api).writes() / (double) stepsDone);
    }
    if (name.equals("idle minute")) {
      figures.put("controller writes per minute", ctl.writes() * 60.0 / wall);
      figures.put("cpu s per minute", (after.cpuSeconds() - before.cpuSeconds()) * 60.0 / wall);
    }
    Phase p = new Phase(name, wall, after.cpuSeconds() - before.cpuSeconds(), after.rssBytes(), stats.peakRssBytes(),
        stats.peakThreads(), ctl.byVerbAndResource(), sluiceKinds(api).byVerbAndResource(), figures);
    System.out.printf(Locale.ROOT, "bench: %s done in %.1f s%n", name, wall);
    return p;
  }

  /** The API server's counts for the kinds Sluice writes (everyone's requests, for a cross-check). */
  private static RequestCounts sluiceKinds(RequestCounts all) {
    Map<String, Long> m = new LinkedHashMap<>();
    all.byVerbAndResource().forEach((k, v) -> {
      String resource = k.split(" ")[1];
      if (List.of("rollouts", "rollouts/status", "replicasets", "services", "events", "analysisruns").contains(resource)) {
        m.put(k, v);
      }
    });
    return new RequestCounts(m);
  }

  private Map<String, Long> awaitAll(Timeline timeline, List<String> names, long since, Map<String, String> oldHashes,
      Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, Long> done = new LinkedHashMap<>();
    while (done.size() < names.size()) {
      for (String n : names) {
        if (!done.containsKey(n)) {
          long t = timeline.healthyOnNewAfter(n, since, oldHashes.get(n));
          if (t >= 0) {
            done.put(n, t);
          }
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException((names.size() - done.size()) + " rollouts not Healthy after " + timeout);
      }
      Thread.sleep(100); // polling the in-memory timeline the watch fills
    }
    return done;
  }

  private void parallel(List<String> names, java.util.function.Consumer<String> action) throws Exception {
    List<java.util.concurrent.Future<?>> fs = new ArrayList<>();
    names.forEach(n -> fs.add(writers.submit(() -> action.accept(n))));
    for (var f : fs) {
      f.get();
    }
  }

  private GenericKubernetesResource rollout(String name, String image) {
    StringBuilder steps = new StringBuilder();
    for (String s : o.steps()) {
      steps.append(s.startsWith("pause") ? "      - pause: {duration: " + s.substring(s.indexOf(':') + 1) + "}\n"
          : "      - setWeight: " + s.substring(s.indexOf(':') + 1) + "\n");
    }
    String yaml = """
        apiVersion: sluice.dev/v1alpha1
        kind: Rollout
        metadata: {name: %s}
        spec:
          replicas: %d
          selector: {matchLabels: {app: %s}}
          template:
            metadata: {labels: {app: %s}}
            spec: {containers: [{name: app, image: %s}]}
          strategy:
            canary:
              steps:
        %s""".formatted(name, o.replicas(), name, name, image, steps);
    return k8s.getKubernetesSerialization().unmarshal(yaml, GenericKubernetesResource.class);
  }

  private Map<Integer, Double> pauseSecondsByStep() {
    Map<Integer, Double> m = new LinkedHashMap<>();
    for (int i = 0; i < o.steps().size(); i++) {
      String s = o.steps().get(i);
      if (s.startsWith("pause")) {
        m.put(i, Duration.parse("PT" + s.substring(s.indexOf(':') + 1).toUpperCase(Locale.ROOT)).toMillis() / 1000.0);
      }
    }
    return m;
  }

  /** The sum of the pauses: no update can be faster (pods become Ready at once on KWOK). */
  private double idealSeconds() {
    return pauseSecondsByStep().values().stream().mapToDouble(Double::doubleValue).sum();
  }

  private static final String CONTROLLER_REQUESTS = "sluice_kubernetes_api_requests_total";

  private String controllerMetrics() throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  /** The sum of a metric's samples over all its labels on a Prometheus text page. */
  static double sum(String page, String metric) {
    return sum(page, metric, "");
  }

  /** The same, over the samples whose labels contain {@code labelText}. */
  static double sum(String page, String metric, String labelText) {
    return page.lines().filter(l -> l.startsWith(metric + "{") || l.startsWith(metric + " ")).filter(l -> l.contains(labelText))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  private RequestCounts apiServerRequests() {
    return RequestCounts.parse(k8s.raw("/metrics"), "apiserver_request_total");
  }

  private void awaitReady() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/readyz")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // the controller is still starting
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the controller did not become ready within 120 s");
  }

  private void report(List<Phase> phases) throws IOException {
    double load = Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    System.out.printf(Locale.ROOT, "%nbench/scale: %d rollouts x %d replicas, steps %s, load average (1 min) %.2f%n%n",
        o.rollouts(), o.replicas(), o.steps(), load);
    System.out.printf(Locale.ROOT, "| %-16s | %8s | %8s | %9s | %9s | %7s |%n", "phase", "wall s", "cpu s", "rss MB",
        "peak MB", "threads");
    System.out.println("|------------------|----------|----------|-----------|-----------|---------|");
    for (Phase p : phases) {
      System.out.printf(Locale.ROOT, "| %-16s | %8.1f | %8.1f | %9.0f | %9.0f | %7d |%n", p.name(), p.wallSeconds(),
          p.cpuSeconds(), p.rssNowBytes() / 1e6, p.rssPeakBytes() / 1e6, p.threadsPeak());
    }
    for (Phase p : phases) {
      System.out.printf("%n%s:%n", p.name());
      p.figures().forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-55s %10.3f%n", k, v));
      System.out.println("  controller's requests (sluice_kubernetes_api_requests_total):");
      p.controllerRequests().forEach((k, v) -> System.out.printf("    %-50s %8d%n", k, v));
      System.out.println("  API server's count for Sluice's kinds, all clients (apiserver_request_total):");
      p.apiServerRequests().forEach((k, v) -> System.out.printf("    %-50s %8d%n", k, v));
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("time", Instant.now().toString());
    json.put("rollouts", o.rollouts());
    json.put("replicas", o.replicas());
    json.put("steps", o.steps());
    json.put("jvmOptionsFile", Files.readAllLines(JVM_OPTIONS).stream().filter(l -> !l.isBlank() && !l.startsWith("#")).toList());
    json.put("jvmOptions", o.jvmOptions());
    // the controller inherits the environment: glibc's malloc settings change its footprint
    json.put("mallocEnvironment", new java.util.TreeMap<>(System.getenv().entrySet().stream()
        .filter(e -> e.getKey().startsWith("MALLOC_")).collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue))));
    json.put("loadAverage1m", load);
    json.put("cpus", Runtime.getRuntime().availableProcessors());
    json.put("phases", phases);
    Path out = o.results().resolve("scale-" + o.rollouts() + "-" + Instant.now().toString().replace(":", "") + ".json");
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), json);
    System.out.println("\nwritten: " + out);
    if (diagnostics != null) {
      Path memory = Path.of(out.toString().replace(".json", "-memory.txt"));
      Files.writeString(memory, diagnostics.text());
      System.out.println("written: " + memory);
    }
  }

  private static double quantile(List<Double> sorted, double q) {
    return sorted.isEmpty() ? Double.NaN : sorted.get((int) Math.min(sorted.size() - 1, Math.floor(q * sorted.size())));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static Options parse(String[] args) {
    Map<String, String> a = new LinkedHashMap<>();
    List<String> jvm = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--jvm-option")) {
        jvm.add(args[++i]);
      } else if (args[i].startsWith("--") && i + 1 < args.length) {
        a.put(args[i].substring(2), args[++i]);
      } else {
        throw new IllegalArgumentException("unknown argument: " + args[i]);
      }
    }
    return new Options(Path.of(required(a, "kubeconfig")), Path.of(required(a, "controller-jar")), jvm,
        Integer.parseInt(a.getOrDefault("rollouts", "100")), Integer.parseInt(a.getOrDefault("replicas", "2")),
        List.of(a.getOrDefault("steps", "setWeight:25,pause:5s,setWeight:50,pause:5s").split(",")),
        a.getOrDefault("namespace", "sluice-bench"), Integer.parseInt(a.getOrDefault("idle-seconds", "60")),
        Path.of(a.getOrDefault("results", "bench/results")));
  }

  private static String required(Map<String, String> a, String name) {
    String v = a.get(name);
    if (v == null) {
      throw new IllegalArgumentException("--" + name + " is required");
    }
    return v;
  }
}
