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
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

/**
 * bench/scale: N canary Rollouts on a local control plane, with the packaged controller (or, for
 * comparison, Argo Rollouts' controller on the same Rollouts under argoproj.io) as its own process;
 * measures the initial deploy, an update wave of all N at once, and an idle minute. Started by the
 * bench/scale script, which brings up the cluster; see it for the options.
 */
public final class ScaleBench {
  /** Requests that are no work on Rollouts: leader election (on by default for both, as their installs run them). */
  private static final Set<String> NOT_WORKLOAD = Set.of("leases");
  /** No write for this long after a phase: the controller is done with it. */
  private static final Duration QUIET = Duration.ofSeconds(5);
  /**
   * The idle minute starts once no ReplicaSet was seen changing for this long (at most {@link #STILL_AT_MOST}
   * after the wave): old pods still leaving after it are work the controller follows, not idling.
   */
  private static final Duration STILL = Duration.ofSeconds(10);
  private static final Duration STILL_AT_MOST = Duration.ofMinutes(3);
  private static final Duration TAIL_LIMIT = Duration.ofMinutes(10);
  /** Threads (and thread names) shown in a phase's CPU breakdown. */
  private static final int TOP_THREADS = 12;

  static final Path JVM_OPTIONS = Path.of("controller", "src", "main", "jib", "app", "jvm.options");

  record Options(Path kubeconfig, String controller, Map<String, String> controllerPaths, List<String> jvmOptions,
      List<String> controllerFlags, int rollouts, int replicas, List<String> steps, String namespace, int idleSeconds, Path results,
      boolean sampleReconcileQueue, boolean updateWave, boolean leaderElect, Path clusterDir) {}

  /**
   * One phase's figures; {@code clusterCpuSeconds}: the CPU-seconds of each of the cluster's own processes
   * (none without --cluster-dir), {@code benchCpuSeconds}: this harness's (its watches and writes).
   */
  record Phase(String name, double wallSeconds, double cpuSeconds, long rssNowBytes, long rssPeakBytes,
      long threadsPeak, Map<String, Long> controllerRequests, Map<String, Long> apiServerRequests,
      Map<String, Double> figures, ThreadCpu.Breakdown threadCpu, Map<String, Double> clusterCpuSeconds,
      double benchCpuSeconds) {}

  public static void main(String[] args) throws Exception {
    // --check-arguments: bench/scale asks before it starts a cluster for arguments that would be refused after
    boolean checkOnly = args.length > 0 && args[0].equals("--check-arguments");
    Options o;
    try {
      o = parse(checkOnly ? Arrays.copyOfRange(args, 1, args.length) : args);
    } catch (IllegalArgumentException e) {
      System.err.println("bench/scale: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (checkOnly) {
      return;
    }
    Config config = Config.fromKubeconfig(Files.readString(o.kubeconfig()));
    try (KubernetesClient k8s = new KubernetesClientBuilder().withConfig(config).build()) {
      new ScaleBench(o, k8s).run();
    }
  }

  private final Options o;
  private final KubernetesClient k8s;
  private final HttpClient http = HttpClient.newHttpClient();
  private final ExecutorService writers = Executors.newFixedThreadPool(16);
  private final ControllerUnderTest controller;
  private final ResourceDefinitionContext rollouts;
  private Diagnostics diagnostics;
  /** The cluster's own processes, when --cluster-dir names its state directory. */
  private ClusterCpu clusterCpu;
  /** The update wave's status changes by the fields they changed, and the slowest pauses' status histories. */
  private WaveDetails waveDetails;

  record WaveDetails(Map<String, Long> statusChangesByFields, String slowestPauses) {}
  /** From the process's start to ready (caches synced): wall seconds and its CPU-seconds. */
  private double startWallSeconds;
  private double startCpuSeconds;

  private ScaleBench(Options o, KubernetesClient k8s) throws IOException {
    this.o = o;
    this.k8s = k8s;
    this.controller = ControllerUnderTest.of(o.controller(), o.controllerPaths(), o.kubeconfig(), JVM_OPTIONS,
        o.jvmOptions(), o.controllerFlags(), o.namespace(), http, o.leaderElect());
    this.rollouts = controller.rollouts();
  }

  private void run() throws Exception {
    List<String> namespaces = new ArrayList<>(List.of(o.namespace()));
    if (controller instanceof ControllerUnderTest.Argo) {
      namespaces.add(ControllerUnderTest.Argo.OWN_NAMESPACE); // as its install manifests create it
    }
    namespaces.forEach(ns -> k8s.namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).serverSideApply());
    if (o.clusterDir() != null) {
      clusterCpu = ClusterCpu.of(o.clusterDir());
    }
    Timeline timeline = new Timeline();
    SharedIndexInformer<GenericKubernetesResource> informer =
        k8s.genericKubernetesResources(rollouts).inNamespace(o.namespace()).inform(timeline);
    ReplicaSetWaits replicaSetWaits = new ReplicaSetWaits();
    SharedIndexInformer<io.fabric8.kubernetes.api.model.apps.ReplicaSet> replicaSetInformer =
        k8s.apps().replicaSets().inNamespace(o.namespace()).inform(replicaSetWaits);
    Path log = o.results().resolve("controller-" + (isSluice() ? "" : controller.name() + "-") + o.rollouts() + ".log");
    long started = System.nanoTime();
    Process process = controller.start(log);
    List<Phase> phases = new ArrayList<>();
    try (ProcessStats stats = new ProcessStats(process.pid())) {
      controller.awaitReady(process, log);
      startWallSeconds = (System.nanoTime() - started) / 1e9;
      startCpuSeconds = stats.now().cpuSeconds();
      List<String> names = IntStream.range(0, o.rollouts()).mapToObj(i -> "bench-" + i).toList();

      phases.add(measure("initial deploy", stats, () -> {
        parallel(names, n -> k8s.genericKubernetesResources(rollouts).inNamespace(o.namespace())
            .resource(rollout(n, "registry.example/app:1.0")).create());
        awaitAll(timeline, names, Long.MIN_VALUE, Map.of(), Duration.ofMinutes(10));
        return Map.of();
      }));

      if (o.updateWave()) {
        Map<String, String> oldHashes = new LinkedHashMap<>();
        names.forEach(n -> oldHashes.put(n, timeline.of(n).get(timeline.of(n).size() - 1).current()));
        phases.add(measure("update wave", stats, () -> {
          long start = System.nanoTime();
          Map<String, Long> patched = new java.util.concurrent.ConcurrentHashMap<>();
          parallel(names, n -> {
            k8s.genericKubernetesResources(rollouts).inNamespace(o.namespace()).withName(n)
                .patch(PatchContext.of(PatchType.JSON_MERGE),
                    "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"registry.example/app:2.0\"}]}}}}");
            patched.put(n, System.nanoTime());
          });
          Map<String, Long> done = awaitAll(timeline, names, start, oldHashes, Duration.ofMinutes(20));
          Map<String, Double> updates = new LinkedHashMap<>();
          done.forEach((n, t) -> updates.put(n, (t - start) / 1e9));
          // a rollout's own update runs from its patch (the API server's answer), not from the wave's first
          Map<String, Double> ownUpdates = new LinkedHashMap<>();
          done.forEach((n, t) -> ownUpdates.put(n, (t - patched.get(n)) / 1e9));
          Map<String, List<UpdateIdeal.Wait>> waits = replicaSetWaits.endedSince(start);
          List<Double> overruns = names.stream()
              .flatMap(n -> timeline.pauseOverruns(n, start, pauseSecondsByStep()).stream()).sorted().toList();
          Map<String, Double> f = new LinkedHashMap<>();
          f.put("update p50 s", UpdateIdeal.quantile(List.copyOf(updates.values()), 0.5));
          f.put("update p99 s", UpdateIdeal.quantile(List.copyOf(updates.values()), 0.99));
          f.put("update from its patch p50 s", UpdateIdeal.quantile(List.copyOf(ownUpdates.values()), 0.5));
          f.put("update from its patch p99 s", UpdateIdeal.quantile(List.copyOf(ownUpdates.values()), 0.99));
          f.put("wave's patches written s", (java.util.Collections.max(patched.values()) - start) / 1e9);
          f.putAll(UpdateIdeal.figures(ownUpdates, waits, pauseSeconds()));
          f.put("replicaset scale-ups waited for", (double) waits.values().stream().mapToInt(List::size).sum());
          f.put("replicasets still waiting for pods", (double) replicaSetWaits.waitingNow());
          f.put("pause overrun p50 s", UpdateIdeal.quantile(overruns, 0.5));
          f.put("pause overrun p99 s", UpdateIdeal.quantile(overruns, 0.99));
          f.put("pause overrun max s", overruns.isEmpty() ? Double.NaN : overruns.get(overruns.size() - 1));
          f.put("pauses measured", (double) overruns.size());
          List<Timeline.PauseTiming> timings = names.stream()
              .flatMap(n -> timeline.pauseTimings(n, start, pauseSecondsByStep()).stream()).toList();
          Map<String, java.util.function.ToDoubleFunction<Timeline.PauseTiming>> parts = new LinkedHashMap<>();
          // the issue's measure: from the startTime in pauseConditions, not from when the watch saw the pause
          // begin (a status written late makes the watch's overrun look smaller, even below 0)
          parts.put("pause overrun from its startTime", Timeline.PauseTiming::fromStartTime);
          parts.put("pause start to its status seen", Timeline.PauseTiming::enteredSeenAfter);
          parts.put("pause end due to the reconcile leaving it", Timeline.PauseTiming::wokeLate);
          parts.put("that reconcile to its status seen", Timeline.PauseTiming::leftSeenAfter);
          parts.forEach((label, part) -> {
            List<Double> v = timings.stream().mapToDouble(part).sorted().boxed().toList();
            f.put(label + " p50 s", UpdateIdeal.quantile(v, 0.5));
            f.put(label + " p99 s", UpdateIdeal.quantile(v, 0.99));
            f.put(label + " max s", v.isEmpty() ? Double.NaN : v.get(v.size() - 1));
          });
          waveDetails = waveDetails(timeline, names, start);
          return f;
        }));
      }

      double settled = awaitStill(replicaSetWaits);
      phases.add(measure("idle minute", stats, () -> {
        Thread.sleep(o.idleSeconds() * 1000L); // the phase is a length of time: nothing to wait for
        return Map.of("waited for the ReplicaSets to be still s", settled);
      }));
      if (isSluice()) {
        diagnostics = Diagnostics.of(process.pid(), o.jvmOptions()); // the JVM's own jcmd
      }
    } finally {
      process.destroy();
      process.waitFor();
      informer.close();
      replicaSetInformer.close();
      writers.shutdownNow();
    }
    report(phases);
  }

  /**
   * How many status changes the watch saw in the wave by the fields each changed, and the status
   * history of the rollouts with the slowest pause ends (times from the wave's start).
   */
  private WaveDetails waveDetails(Timeline timeline, List<String> names, long start) {
    Map<String, Long> byFields = new java.util.TreeMap<>();
    names.forEach(n -> timeline.statusChanges(n, start).forEach(k -> byFields.merge(k, 1L, Long::sum)));
    List<Map.Entry<String, Double>> worst = names.stream()
        .flatMap(n -> timeline.pauseOverruns(n, start, pauseSecondsByStep()).stream().map(v -> Map.entry(n, v)))
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(5).toList();
    StringBuilder text = new StringBuilder();
    for (var w : worst) {
      text.append(String.format(Locale.ROOT, "== %s: a pause ended %.3f s late%n", w.getKey(), w.getValue()));
      for (Timeline.StatusSeen seen : timeline.statusesSince(w.getKey(), start)) {
        Map<?, ?> st = seen.status();
        text.append(String.format(Locale.ROOT, "  +%8.3f s step %s phase %s pauses %s ready %s available %s updated %s%n",
            (seen.nanos() - start) / 1e9, st.get("currentStepIndex"), st.get("phase"), st.get("pauseConditions"),
            st.get("readyReplicas"), st.get("availableReplicas"), st.get("updatedReplicas")));
      }
    }
    return new WaveDetails(byFields, text.toString());
  }

  interface Body {
    Map<String, Double> run() throws Exception;
  }

  private Phase measure(String name, ProcessStats stats, Body body) throws Exception {
    ProcessStats.Sample before = stats.now();
    Map<String, Double> clusterBefore = clusterCpu == null ? Map.of() : clusterCpu.now();
    double benchBefore = ProcessStats.cpuSeconds(ProcessHandle.current().pid());
    Map<Long, ThreadCpu.Ticks> threadsBefore = ThreadCpu.read(stats.pid());
    String pageBefore = controller.metrics();
    RequestCounts ctlBefore = controllerRequests();
    RequestCounts apiBefore = apiServerRequests();
    long start = System.nanoTime();
    // opt-in: scraping /metrics five times a second costs the controller CPU (its idle minute shows ~4 CPU-s)
    ReconcileQueueSampler queue = isSluice() && o.sampleReconcileQueue() ? new ReconcileQueueSampler(controller::metrics) : null;
    Map<String, Double> figures = new LinkedHashMap<>(body.run());
    double wall = (System.nanoTime() - start) / 1e9;
    if (queue != null) {
      queue.close();
      queue.addFigures(figures);
    }
    ProcessStats.Sample after = stats.now();
    Map<String, Double> clusterUsed = clusterCpu == null ? Map.of() : ClusterCpu.between(clusterBefore, clusterCpu.now());
    double benchUsed = ProcessStats.cpuSeconds(ProcessHandle.current().pid()) - benchBefore;
    Map<Long, ThreadCpu.Ticks> threadsAfter = ThreadCpu.read(stats.pid());
    String pageAfter = controller.metrics();
    RequestCounts ctl = controllerRequests().minus(ctlBefore);
    RequestCounts ctlWork = ctl.without(NOT_WORKLOAD);
    if (isSluice()) {
      // the collector's share of the CPU: what a smaller heap or young generation costs
      figures.put("reconciles started", sum(pageAfter, "operator_sdk_reconciliations_started_total")
          - sum(pageBefore, "operator_sdk_reconciliations_started_total"));
      figures.put("gc pauses", sum(pageAfter, "jvm_gc_pause_seconds_count") - sum(pageBefore, "jvm_gc_pause_seconds_count"));
      figures.put("gc pauses, of them full", sum(pageAfter, "jvm_gc_pause_seconds_count", "end of major GC")
          - sum(pageBefore, "jvm_gc_pause_seconds_count", "end of major GC"));
      figures.put("gc pause s", sum(pageAfter, "jvm_gc_pause_seconds_sum") - sum(pageBefore, "jvm_gc_pause_seconds_sum"));
      // what the client's rate limit (--kube-api-qps) held requests back, and the longest single wait
      figures.put("requests that waited for the rate limit", sum(pageAfter, "sluice_kubernetes_api_rate_limit_wait_seconds_count")
          - sum(pageBefore, "sluice_kubernetes_api_rate_limit_wait_seconds_count"));
      figures.put("rate limit wait s (sum)", sum(pageAfter, "sluice_kubernetes_api_rate_limit_wait_seconds_sum")
          - sum(pageBefore, "sluice_kubernetes_api_rate_limit_wait_seconds_sum"));
      figures.put("rate limit wait s (max, last minutes)", sum(pageAfter, "sluice_kubernetes_api_rate_limit_wait_seconds_max"));
      // the controller's own count of how late timed pauses ended: to the write of the status leaving them,
      // no watch between (the figures above come through the bench's watch, on the same busy machine)
      double pauses = sum(pageAfter, PAUSE_OVERRUN + "_count") - sum(pageBefore, PAUSE_OVERRUN + "_count");
      if (pauses > 0) {
        figures.put("controller: pauses ended", pauses);
        figures.put("controller: pause overrun mean s", (sum(pageAfter, PAUSE_OVERRUN + "_sum") - sum(pageBefore, PAUSE_OVERRUN + "_sum")) / pauses);
        for (String le : List.of("0.25", "1.0")) {
          String bucket = "le=\"" + le + "\"";
          figures.put("controller: pauses ended within " + le + " s", sum(pageAfter, PAUSE_OVERRUN + "_bucket", bucket)
              - sum(pageBefore, PAUSE_OVERRUN + "_bucket", bucket));
        }
        figures.put("controller: pause overrun p99 s (bucket bound)", Histograms.quantileBound(pageBefore, pageAfter, PAUSE_OVERRUN, 0.99));
      }
    }
    RequestCounts api = apiServerRequests().minus(apiBefore);
    int stepsDone = name.equals("update wave") ? o.rollouts() * o.steps().size() : 0;
    if (stepsDone > 0) {
      figures.put("controller writes per rollout per step", ctlWork.writes() / (double) stepsDone);
      figures.put("api server writes (Sluice's kinds) per rollout per step", sluiceKinds(api).writes() / (double) stepsDone);
    }
    if (name.equals("idle minute")) {
      figures.put("controller writes per minute", ctlWork.writes() * 60.0 / wall);
      if (ctlWork.writes() != ctl.writes()) {
        figures.put("controller lease writes per minute", (ctl.writes() - ctlWork.writes()) * 60.0 / wall);
      }
      figures.put("cpu s per minute", (after.cpuSeconds() - before.cpuSeconds()) * 60.0 / wall);
    }
    System.out.printf(Locale.ROOT, "bench: %s done in %.1f s%n", name, wall);
    if (!name.equals("idle minute")) {
      // writes the controller still owes the phase once every Rollout is Healthy (Argo's event recorder sends
      // one at a time behind its work): counted apart, and kept out of the next phase
      long end = System.nanoTime();
      long lastWrite = awaitNoWrites(ctlWork.writes(), ctlBefore);
      RequestCounts withTail = controllerRequests().minus(ctlBefore).without(NOT_WORKLOAD);
      figures.put("tail s (last write after the phase)", lastWrite < 0 ? 0 : (lastWrite - end) / 1e9);
      figures.put("controller writes in the tail", (double) (withTail.writes() - ctlWork.writes()));
      figures.put("cpu s incl. tail", stats.now().cpuSeconds() - before.cpuSeconds());
      if (stepsDone > 0) {
        figures.put("controller writes per rollout per step incl. tail", withTail.writes() / (double) stepsDone);
      }
    }
    return new Phase(name, wall, after.cpuSeconds() - before.cpuSeconds(), after.rssBytes(), stats.peakRssBytes(),
        stats.peakThreads(), ctl.byVerbAndResource(), sluiceKinds(api).byVerbAndResource(), figures,
        ThreadCpu.between(threadsBefore, threadsAfter, after.cpuSeconds() - before.cpuSeconds(), TOP_THREADS), clusterUsed,
        benchUsed);
  }

  /** @return the seconds waited for {@link #STILL} with no ReplicaSet seen changing */
  private static double awaitStill(ReplicaSetWaits replicaSets) throws InterruptedException {
    long start = System.nanoTime();
    while (!replicaSets.stillFor(STILL.toNanos(), System.nanoTime()) && System.nanoTime() - start < STILL_AT_MOST.toNanos()) {
      Thread.sleep(200); // a harness polling its own informer's clock
    }
    return (System.nanoTime() - start) / 1e9;
  }

  /**
   * Waits until the controller has written nothing (leases aside) for {@link #QUIET}, at most {@link #TAIL_LIMIT};
   * returns when (System.nanoTime) it last saw the count of writes since {@code since} rise above {@code writes},
   * or -1 if it did not.
   */
  private long awaitNoWrites(long writes, RequestCounts since) throws IOException, InterruptedException {
    long start = System.nanoTime();
    long quietSince = start;
    long lastWrite = -1;
    long seen = writes;
    while (System.nanoTime() - quietSince < QUIET.toNanos()) {
      if (System.nanoTime() - start > TAIL_LIMIT.toNanos()) {
        System.out.println("bench: the controller still writes " + TAIL_LIMIT + " after the phase; tail cut there");
        break;
      }
      Thread.sleep(500); // sampling the controller's counter
      long now = controllerRequests().minus(since).without(NOT_WORKLOAD).writes();
      if (now != seen) {
        seen = now;
        lastWrite = quietSince = System.nanoTime();
      }
    }
    return lastWrite;
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
        apiVersion: %s/v1alpha1
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
        %s""".formatted(controller.group(), name, o.replicas(), name, name, image, steps);
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

  /** The sum of the pauses: no update is faster, even with its pods available at once. */
  private double pauseSeconds() {
    return pauseSecondsByStep().values().stream().mapToDouble(Double::doubleValue).sum();
  }

  private RequestCounts controllerRequests() throws IOException, InterruptedException {
    return controller.requests();
  }

  private boolean isSluice() {
    return controller instanceof ControllerUnderTest.Sluice;
  }

  /** The sum of a metric's samples over all its labels on a Prometheus text page. */
  private static final String PAUSE_OVERRUN = "sluice_pause_overrun_seconds";

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

  private void report(List<Phase> phases) throws IOException {
    double load = Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    System.out.printf(Locale.ROOT, "%nbench/scale: %s, %d rollouts x %d replicas, steps %s, load average (1 min) %.2f%n%n",
        controllerDescription(), o.rollouts(), o.replicas(), o.steps(), load);
    System.out.printf(Locale.ROOT, "start to ready: %.1f s, %.2f CPU-s%n%n", startWallSeconds, startCpuSeconds);
    System.out.printf(Locale.ROOT, "| %-16s | %8s | %8s | %9s | %9s | %7s | %13s | %12s |%n", "phase", "wall s", "cpu s",
        "rss MB", "peak MB", "threads", "cluster cpu s", "bench cpu s");
    System.out.println("|------------------|----------|----------|-----------|-----------|---------|---------------|--------------|");
    for (Phase p : phases) {
      System.out.printf(Locale.ROOT, "| %-16s | %8.1f | %8.1f | %9.0f | %9.0f | %7d | %13s | %12.1f |%n", p.name(),
          p.wallSeconds(), p.cpuSeconds(), p.rssNowBytes() / 1e6, p.rssPeakBytes() / 1e6, p.threadsPeak(),
          p.clusterCpuSeconds().isEmpty() ? "-" : String.format(Locale.ROOT, "%.1f", total(p.clusterCpuSeconds())),
          p.benchCpuSeconds());
    }
    for (Phase p : phases) {
      System.out.printf("%n%s:%n", p.name());
      if (!p.clusterCpuSeconds().isEmpty()) {
        printMachineCpu(p);
      }
      p.figures().forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-55s %10.3f%n", k, v));
      if (p.name().equals("idle minute")) {
        printThreadCpu(p.threadCpu());
      }
      System.out.println("  controller's requests (" + controller.requestCounter() + "):");
      p.controllerRequests().forEach((k, v) -> System.out.printf("    %-50s %8d%n", k, v));
      System.out.println("  API server's count for the kinds a rollout controller writes, all clients (apiserver_request_total):");
      p.apiServerRequests().forEach((k, v) -> System.out.printf("    %-50s %8d%n", k, v));
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("time", Instant.now().toString());
    if (!isSluice()) {
      json.put("controller", controllerDescription());
    }
    json.put("rollouts", o.rollouts());
    json.put("replicas", o.replicas());
    json.put("steps", o.steps());
    if (isSluice()) {
      json.put("jvmOptionsFile", Files.readAllLines(JVM_OPTIONS).stream().filter(l -> !l.isBlank() && !l.startsWith("#")).toList());
      json.put("jvmOptions", o.jvmOptions());
      json.put("controllerFlags", o.controllerFlags());
      json.put("leaderElect", o.leaderElect());
      // the controller inherits the environment: glibc's malloc settings change its footprint
      json.put("mallocEnvironment", new java.util.TreeMap<>(System.getenv().entrySet().stream()
          .filter(e -> e.getKey().startsWith("MALLOC_")).collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue))));
    }
    json.put("loadAverage1m", load);
    json.put("cpus", Runtime.getRuntime().availableProcessors());
    json.put("startToReadySeconds", startWallSeconds);
    json.put("startToReadyCpuSeconds", startCpuSeconds);
    json.put("phases", phases);
    if (waveDetails != null) {
      System.out.println("\nupdate wave: status changes the watch saw, by the fields they changed:");
      waveDetails.statusChangesByFields().forEach((k, v) -> System.out.printf("    %-70s %6d%n", k, v));
      json.put("waveStatusChangesByFields", waveDetails.statusChangesByFields());
    }
    Path out = o.results().resolve("scale-" + (isSluice() ? "" : controller.name() + "-") + o.rollouts() + "-"
        + Instant.now().toString().replace(":", "") + ".json");
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), json);
    System.out.println("\nwritten: " + out);
    if (waveDetails != null) {
      Path pauses = Path.of(out.toString().replace(".json", "-slowest-pauses.txt"));
      Files.writeString(pauses, waveDetails.slowestPauses());
      System.out.println("written: " + pauses);
    }
    if (diagnostics != null) {
      Path memory = Path.of(out.toString().replace(".json", "-memory.txt"));
      Files.writeString(memory, diagnostics.text());
      System.out.println("written: " + memory);
    }
  }

  private static double total(Map<String, Double> cpuSeconds) {
    return cpuSeconds.values().stream().mapToDouble(Double::doubleValue).sum();
  }

  /** Where the machine's CPU went in a phase: the cluster's processes, the controller, this harness, of all the cores' time. */
  private static void printMachineCpu(Phase p) {
    StringBuilder line = new StringBuilder("  cluster cpu s:");
    p.clusterCpuSeconds().forEach((c, v) -> line.append(String.format(Locale.ROOT, " %s %.1f,", c, v)));
    double cores = Runtime.getRuntime().availableProcessors() * p.wallSeconds();
    double cluster = total(p.clusterCpuSeconds());
    line.append(String.format(Locale.ROOT, " total %.1f; controller %.1f; bench %.1f; of %.0f CPU-s (%d cores x wall): %.0f%%, %.0f%%, %.0f%%",
        cluster, p.cpuSeconds(), p.benchCpuSeconds(), cores, Runtime.getRuntime().availableProcessors(),
        100 * cluster / cores, 100 * p.cpuSeconds() / cores, 100 * p.benchCpuSeconds() / cores));
    System.out.println(line);
  }

  /** The idle minute's CPU by thread: /proc counts it in ticks of 10 ms, so each figure is good to a tick or two. */
  private static void printThreadCpu(ThreadCpu.Breakdown b) {
    System.out.printf(Locale.ROOT, "  CPU-s by thread (/proc/PID/task/*/stat utime+stime, 10 ms ticks; process %.2f, ended threads %.2f):%n",
        b.processCpuSeconds(), b.endedThreadsCpuSeconds());
    System.out.printf(Locale.ROOT, "    | %-16s | %8s | %6s |   | %-16s | %6s |%n", "thread", "tid", "cpu s", "by name", "cpu s");
    System.out.println("    |------------------|----------|--------|   |------------------|--------|");
    for (int i = 0; i < Math.max(b.topThreads().size(), b.byName().size()); i++) {
      ThreadCpu.Use t = i < b.topThreads().size() ? b.topThreads().get(i) : null;
      ThreadCpu.Use n = i < b.byName().size() ? b.byName().get(i) : null;
      System.out.printf(Locale.ROOT, "    | %-16s | %8s | %6s |   | %-16s | %6s |%n", t == null ? "" : t.name(),
          t == null ? "" : Long.toString(t.tid()), t == null ? "" : String.format(Locale.ROOT, "%.2f", t.cpuSeconds()),
          n == null ? "" : n.name(), n == null ? "" : String.format(Locale.ROOT, "%.2f", n.cpuSeconds()));
    }
  }

  /** "sluice", or Argo's binary as the cache names it (argo-rollouts-v1.9.1). */
  private String controllerDescription() {
    return isSluice() ? "sluice" : o.controllerPaths().get("argo-controller") == null ? controller.name()
        : Path.of(o.controllerPaths().get("argo-controller")).getParent().getFileName().toString();
  }

  private static Options parse(String[] args) {
    Map<String, String> a = new LinkedHashMap<>();
    List<String> jvm = new ArrayList<>();
    List<String> flags = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--jvm-option") && i + 1 < args.length) {
        jvm.add(args[++i]);
      } else if (args[i].equals("--controller-flag") && i + 1 < args.length) {
        flags.add(args[++i]);
      } else if (args[i].startsWith("--") && i + 1 < args.length) {
        a.put(args[i].substring(2), args[++i]);
      } else {
        throw new IllegalArgumentException("unknown argument: " + args[i]);
      }
    }
    String controller = a.getOrDefault("controller", "sluice");
    Map<String, String> paths = new LinkedHashMap<>();
    paths.put("controller-jar", a.get("controller-jar"));
    paths.put("argo-controller", a.get("argo-controller"));
    required(a, controller.equals("argo") ? "argo-controller" : "controller-jar");
    if (controller.equals("argo") && a.containsKey("leader-elect")) {
      throw new IllegalArgumentException("--leader-elect is for Sluice; Argo Rollouts' controller runs with its defaults (leader election on)");
    }
    if (controller.equals("argo") && !jvm.isEmpty()) {
      throw new IllegalArgumentException("--jvm-option is for Sluice's JVM; Argo Rollouts' controller runs with its defaults");
    }
    if (controller.equals("argo") && !flags.isEmpty()) {
      throw new IllegalArgumentException("--controller-flag is for Sluice; Argo Rollouts' controller runs with its defaults");
    }
    return new Options(Path.of(required(a, "kubeconfig")), controller, paths, jvm, flags,
        number(a, "rollouts", 100), number(a, "replicas", 2),
        List.of(a.getOrDefault("steps", "setWeight:25,pause:5s,setWeight:50,pause:5s").split(",")),
        a.getOrDefault("namespace", "sluice-bench"), number(a, "idle-seconds", 60),
        Path.of(a.getOrDefault("results", "bench/results")), flag(a, "sample-reconcile-queue"),
        flag(a, "update-wave", true), flag(a, "leader-elect", true),
        a.containsKey("cluster-dir") ? Path.of(a.get("cluster-dir")) : null);
  }

  /** A whole number, at least 1 ({@code fallback} when absent). */
  private static int number(Map<String, String> a, String name, int fallback) {
    String v = a.get(name);
    if (v == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v);
      if (n >= 1) return n;
    } catch (NumberFormatException e) {
      // told below
    }
    throw new IllegalArgumentException("--" + name + " is a whole number of at least 1, not '" + v + "'");
  }

  /** true or false (absent: false); anything else is a mistake, not a quiet false. */
  private static boolean flag(Map<String, String> a, String name) {
    return flag(a, name, false);
  }

  private static boolean flag(Map<String, String> a, String name, boolean fallback) {
    String v = a.getOrDefault(name, Boolean.toString(fallback));
    if (!v.equals("true") && !v.equals("false")) {
      throw new IllegalArgumentException("--" + name + " is true or false, not '" + v + "'");
    }
    return v.equals("true");
  }

  private static String required(Map<String, String> a, String name) {
    String v = a.get(name);
    if (v == null) {
      throw new IllegalArgumentException("--" + name + " is required");
    }
    return v;
  }
}
