package dev.sluice.controller.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.analysis.AnalysisRunPreparer;
import dev.sluice.analysis.AnalysisSpecException;
import dev.sluice.analysis.PreparedRun;
import dev.sluice.analysis.args.ArgumentContext;
import dev.sluice.analysis.args.SecretLookupException;
import dev.sluice.analysis.condition.ConditionEvaluator;
import dev.sluice.analysis.run.AnalysisRunPlanner;
import dev.sluice.analysis.run.RunAssessment;
import dev.sluice.api.v1alpha1.AnalysisRunSpec;
import dev.sluice.api.v1alpha1.AnalysisRunStatus;
import dev.sluice.api.v1alpha1.AnalysisTemplate;
import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.api.validation.AnalysisTemplateValidation;
import dev.sluice.controller.plan.Observed.ObservedPod;
import dev.sluice.controller.plan.Observed.ObservedReplicaSet;
import dev.sluice.controller.plan.Observed.ObservedService;
import dev.sluice.controller.plan.Observed.ObservedTemplates;
import dev.sluice.controller.serialization.UnreadableResources;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Supplier;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * 10,000 random and hostile Rollout and AnalysisTemplate manifests (numbers out of range, wrong
 * types, durations built to make a parser backtrack or overflow, far-future times, huge strings,
 * random steps, routes and conditions), read from JSON through the controller's own
 * deserialisation as its informers read them, then validated and planned as a reconcile would,
 * several passes each with the status fed back and time moving on. Nothing may escape (an Error
 * such as StackOverflowError included: the operator SDK catches only Exceptions), and no pass may
 * take more than 100 ms of its thread's CPU time (CPU rather than wall time, so a busy machine does
 * not fail it). The slowest pass is printed, not asserted.
 */
class HostileSpecFuzzTest {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final KubernetesSerialization SERIALIZATION = UnreadableResources.serialization();
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final long PASS_CPU_LIMIT_NANOS = Duration.ofMillis(100).toNanos();
  private static final Instant START = Instant.parse("2024-05-01T10:00:00Z");
  private static final String STABLE = "aaa";
  private static final String CANARY = "bbb";

  private static final RolloutPlanner PLANNER = new RolloutPlanner();
  private static final AnalysisRunPreparer PREPARER = new AnalysisRunPreparer(new ConditionEvaluator());
  private static final AnalysisRunPlanner RUN_PLANNER = new AnalysisRunPlanner();

  private static long specs;
  private static long passes;
  private static long unreadable;
  private static long slowestCpuNanos;
  private static long slowestWallNanos;
  private static String slowestWhat = "";

  @BeforeContainer
  static void warmUp() {
    // class loading and the first CEL compile happen once per JVM, not per spec: keep them out of the figures
    Random random = new Random(1);
    for (int i = 0; i < 500; i++) {
      exercise(new Hostile(random).rollout(), new Hostile(random).template(), random, false);
    }
  }

  @AfterContainer
  static void report() {
    System.out.printf("[fuzz] %d specs (Rollouts and AnalysisTemplates), %d unreadable (placeholders), %d passes, 0 exceptions escaped;"
        + " slowest pass %.1f ms CPU / %.1f ms wall (%s)%n", specs, unreadable, passes, slowestCpuNanos / 1e6,
        slowestWallNanos / 1e6, slowestWhat);
  }

  @Property(tries = 10_000)
  void noHostileSpecEscapesOrStallsTheReconcileThread(@ForAll long seed) {
    Random random = new Random(seed);
    exercise(new Hostile(random).rollout(), new Hostile(random).template(), random, true);
  }

  private static void exercise(String rolloutJson, String templateJson, Random random, boolean count) {
    Rollout rollout = timed("bind Rollout", count, () -> SERIALIZATION.unmarshal(rolloutJson, Rollout.class));
    AnalysisTemplate template = timed("bind AnalysisTemplate", count, () -> SERIALIZATION.unmarshal(templateJson, AnalysisTemplate.class));
    if (count) specs += 2;
    Map<String, dev.sluice.api.v1alpha1.AnalysisTemplateSpec> templates = Map.of();
    if (UnreadableResources.problem(template).isPresent()) {
      if (count) unreadable++;
    } else {
      timed("validate AnalysisTemplate", count, () -> AnalysisTemplateValidation.validate(template.getSpec()));
      runPasses(template, random, count);
      templates = template.getSpec() == null ? Map.of() : Map.of("t", template.getSpec());
    }
    if (UnreadableResources.problem(rollout).isPresent()) {
      if (count) unreadable++;
      return;
    }
    timed("validate Rollout", count, () -> RolloutPlanner.specProblem(rollout.getSpec()));
    Instant now = START;
    for (int pass = 0; pass < 4; pass++) {
      Observed observed = world(rollout, templates, random, now);
      Instant at = now;
      Plan plan = timed("plan Rollout", count, () -> PLANNER.plan(observed, at));
      assertThat(plan).isNotNull();
      rollout.setStatus(plan.status());
      now = now.plus(plan.requeueAfter().filter(d -> d.compareTo(Duration.ofHours(1)) < 0).orElse(Duration.ofSeconds(random.nextInt(120))));
    }
  }

  /** Prepares a run from the template, as the AnalysisRun reconciler does, and plans a few measurements' worth of it. */
  private static void runPasses(AnalysisTemplate template, Random random, boolean count) {
    var spec = template.getSpec();
    if (spec == null) {
      return;
    }
    var runSpec = new AnalysisRunSpec(spec.metrics(), spec.args(), random.nextInt(10) == 0, spec.dryRun(), spec.measurementRetention());
    PreparedRun prepared;
    try {
      prepared = timed("prepare AnalysisRun", count, () -> PREPARER.prepare(runSpec, ArgumentContext.none(), (name, key) -> {
        throw new SecretLookupException("no Secret " + name + " in this test");
      }));
    } catch (AnalysisSpecException | SecretLookupException e) {
      return; // the reconciler turns these into an Error run with the message
    }
    AnalysisRunStatus status = null;
    Instant now = START;
    for (int pass = 0; pass < 3; pass++) {
      AnalysisRunStatus s = status;
      Instant at = now;
      var due = timed("plan AnalysisRun", count, () -> RUN_PLANNER.due(prepared.settings(), prepared.terminate(), s, at));
      RunAssessment assessment = timed("assess AnalysisRun", count,
          () -> RUN_PLANNER.assess(prepared.settings(), prepared.terminate(), s, Map.of(), at));
      status = assessment.status();
      now = now.plus(Duration.ofSeconds(1 + random.nextInt(600)));
      assertThat(due).isNotNull();
    }
  }

  /** A stable ReplicaSet with ready pods, sometimes a canary one, the Services, and the template "t". */
  private static Observed world(Rollout rollout, Map<String, dev.sluice.api.v1alpha1.AnalysisTemplateSpec> templates, Random random, Instant now) {
    List<ObservedReplicaSet> sets = new ArrayList<>();
    List<ObservedPod> pods = new ArrayList<>();
    int stable = random.nextInt(6);
    sets.add(new ObservedReplicaSet("web-" + STABLE, STABLE, 1, stable, stable, stable, stable, START.minusSeconds(3600), null));
    for (int i = 0; i < stable; i++) pods.add(new ObservedPod("web-" + STABLE + "-" + i, STABLE, START.minusSeconds(3600), true, false));
    if (random.nextBoolean()) {
      int canary = random.nextInt(4);
      sets.add(new ObservedReplicaSet("web-" + CANARY, CANARY, 2, canary, canary, canary / 2, canary / 2, START, null));
    }
    var routing = Optional.ofNullable(rollout.getSpec()).map(s -> s.strategy()).map(s -> s.canary()).map(c -> c.trafficRouting());
    Optional<TrafficObservation> traffic = routing.isEmpty() ? Optional.empty()
        : Optional.of(random.nextInt(5) == 0 ? TrafficObservation.failed("TrafficRoutingError", "broken", true)
            : TrafficObservation.inPlace(random.nextBoolean() ? Optional.empty() : Optional.of(random.nextInt(101))));
    return new Observed(rollout, random.nextBoolean() ? CANARY : STABLE, sets, pods,
        Map.of("web-canary", new ObservedService("web-canary", Map.of("app", "web")),
            "web-stable", new ObservedService("web-stable", Map.of("app", "web"))),
        traffic, List.of(), new ObservedTemplates(templates, templates));
  }

  /** Runs one pass, failing on anything thrown (Errors included) or a pass over the CPU limit (twice in a row). */
  private static <T> T timed(String what, boolean count, Supplier<T> pass) {
    long cpu = THREADS.getCurrentThreadCpuTime();
    long wall = System.nanoTime();
    T result;
    try {
      result = pass.get();
    } catch (AnalysisSpecException | SecretLookupException e) {
      throw e;
    } catch (Throwable t) {
      throw new AssertionError(what + " threw " + t, t);
    }
    long cpuTaken = THREADS.getCurrentThreadCpuTime() - cpu;
    long wallTaken = System.nanoTime() - wall;
    if (count && cpuTaken > PASS_CPU_LIMIT_NANOS) {
      // the first pass through a rarely taken path also pays for loading and compiling its classes
      // (seen: 148 ms once in a CI run); every pass is a pure function, so a second run of the same
      // input tells a slow input from a one-off cost
      cpu = THREADS.getCurrentThreadCpuTime();
      wall = System.nanoTime();
      pass.get();
      cpuTaken = THREADS.getCurrentThreadCpuTime() - cpu;
      wallTaken = System.nanoTime() - wall;
    }
    if (count) {
      passes++;
      if (cpuTaken > slowestCpuNanos) {
        slowestCpuNanos = cpuTaken;
        slowestWhat = what;
      }
      slowestWallNanos = Math.max(slowestWallNanos, wallTaken);
      assertThat(cpuTaken).as("%s took %.1f ms of CPU", what, cpuTaken / 1e6).isLessThanOrEqualTo(PASS_CPU_LIMIT_NANOS);
    }
    return result;
  }

  /** Manifests as a careless or hostile tenant writes them: mostly plausible, often broken. */
  static final class Hostile {
    private final Random random;
    /** A quarter of the manifests carry values the model cannot hold (wrong types, numbers beyond a long or an int). */
    private final boolean unreadable;

    Hostile(Random random) {
      this.random = random;
      this.unreadable = random.nextInt(4) == 0;
    }

    String rollout() {
      ObjectNode r = resource("Rollout");
      ObjectNode spec = r.putObject("spec");
      maybe(spec, "replicas", this::count);
      spec.set("selector", sometimes(() -> JSON.objectNode().set("matchLabels", JSON.objectNode().put("app", "web"))));
      spec.set("template", sometimes(this::podTemplate));
      maybe(spec, "minReadySeconds", this::count);
      maybe(spec, "revisionHistoryLimit", this::count);
      maybe(spec, "paused", this::bool);
      maybe(spec, "progressDeadlineSeconds", this::count);
      maybe(spec, "progressDeadlineAbort", this::bool);
      maybe(spec, "restartAt", this::time);
      maybe(spec, "rollbackWindow", () -> JSON.objectNode().set("revisions", count()));
      ObjectNode strategy = spec.putObject("strategy");
      if (random.nextInt(8) == 0) {
        ObjectNode bg = strategy.putObject("blueGreen");
        maybe(bg, "activeService", this::serviceName);
        maybe(bg, "previewService", this::serviceName);
        maybe(bg, "autoPromotionEnabled", this::bool);
        maybe(bg, "autoPromotionSeconds", this::count);
        maybe(bg, "previewReplicaCount", this::count);
      } else {
        strategy.set("canary", canary());
      }
      if (random.nextBoolean()) r.set("status", status());
      return r.toString();
    }

    String template() {
      ObjectNode t = resource("AnalysisTemplate");
      ObjectNode spec = t.putObject("spec");
      ArrayNode metrics = spec.putArray("metrics");
      int n = random.nextInt(4);
      for (int i = 0; i < n; i++) {
        metrics.add(metric(i));
      }
      if (random.nextBoolean()) {
        ArrayNode args = spec.putArray("args");
        args.addObject().put("name", "service").put("value", random.nextBoolean() ? "web" : string());
        if (random.nextBoolean()) args.addObject().put("name", string());
      }
      if (random.nextInt(4) == 0) spec.putArray("dryRun").addObject().put("metricName", random.nextBoolean() ? "m0" : string());
      if (random.nextInt(4) == 0) spec.putArray("measurementRetention").addObject().put("metricName", "m0").set("limit", count());
      if (random.nextInt(20) == 0) spec.set("metrics", junk());
      return t.toString();
    }

    private ObjectNode resource(String kind) {
      ObjectNode r = JSON.objectNode().put("apiVersion", "sluice.dev/v1alpha1").put("kind", kind);
      r.putObject("metadata").put("name", "web").put("namespace", "team-a").put("uid", "u-1").put("generation", 1 + random.nextInt(5))
          .put("resourceVersion", "1").put("creationTimestamp", "2024-05-01T09:00:00Z");
      return r;
    }

    private JsonNode podTemplate() {
      ObjectNode t = JSON.objectNode();
      t.putObject("metadata").putObject("labels").put("app", random.nextInt(10) == 0 ? "other" : "web");
      ArrayNode containers = t.putObject("spec").putArray("containers");
      int n = random.nextInt(3);
      for (int i = 0; i < n; i++) {
        ObjectNode c = containers.addObject().put("name", "c" + i);
        maybe(c, "image", () -> JSON.textNode("registry.example/app:" + random.nextInt(3)));
        if (random.nextInt(6) == 0) c.putArray("ports").addObject().set("containerPort", count());
      }
      return t;
    }

    private JsonNode canary() {
      ObjectNode c = JSON.objectNode();
      ArrayNode steps = c.putArray("steps");
      int n = random.nextInt(random.nextInt(20) == 0 ? 300 : 8);
      for (int i = 0; i < n; i++) {
        steps.add(step());
      }
      maybe(c, "canaryService", this::serviceName);
      maybe(c, "stableService", this::serviceName);
      maybe(c, "maxSurge", this::intOrPercent);
      maybe(c, "maxUnavailable", this::intOrPercent);
      maybe(c, "scaleDownDelaySeconds", this::count);
      maybe(c, "scaleDownDelayRevisionLimit", this::count);
      maybe(c, "abortScaleDownDelaySeconds", this::count);
      maybe(c, "dynamicStableScale", this::bool);
      if (random.nextInt(3) == 0) {
        ObjectNode routing = c.putObject("trafficRouting");
        switch (random.nextInt(5)) {
          case 0 -> routing.putObject("nginx").put("stableIngress", "web");
          case 1 -> routing.putObject("istio").putObject("virtualService").put("name", "web").putArray("routes").add("primary");
          case 2 -> routing.putObject("smi").put("rootService", "web");
          case 3 -> routing.putObject("plugins").putObject("gatewayAPI").put("httpRoute", "web");
          default -> routing.putArray("managedRoutes").addObject().put("name", string());
        }
        maybe(routing, "maxTrafficWeight", this::count);
      }
      if (random.nextInt(4) == 0) c.set("analysis", analysis());
      if (random.nextInt(10) == 0) c.putObject("antiAffinity").putObject("preferredDuringSchedulingIgnoredDuringExecution").set("weight", count());
      return c;
    }

    private JsonNode step() {
      ObjectNode s = JSON.objectNode();
      switch (random.nextInt(9)) {
        case 0, 1 -> s.set("setWeight", count());
        case 2, 3 -> s.set("pause", random.nextInt(5) == 0 ? JSON.objectNode() : JSON.objectNode().set("duration", duration()));
        case 4 -> {
          ObjectNode scale = s.putObject("setCanaryScale");
          maybe(scale, "weight", this::count);
          maybe(scale, "replicas", this::count);
          maybe(scale, "matchTrafficWeight", this::bool);
        }
        case 5 -> s.set("analysis", analysis());
        case 6 -> {
          ObjectNode route = s.putObject("setHeaderRoute").put("name", random.nextBoolean() ? "r1" : string());
          if (random.nextBoolean()) {
            ObjectNode value = route.putArray("match").addObject().put("headerName", string()).putObject("headerValue");
            value.put(random.nextBoolean() ? "exact" : "regex", random.nextBoolean() ? "(a+)+$" : string());
          }
        }
        case 7 -> {
          ObjectNode mirror = s.putObject("setMirrorRoute").put("name", "m1");
          maybe(mirror, "percentage", this::count);
        }
        default -> {
          // more than one field, or none, or junk
          s.set("setWeight", count());
          if (random.nextBoolean()) s.set("pause", junk());
        }
      }
      return s;
    }

    private JsonNode analysis() {
      ObjectNode a = JSON.objectNode();
      ArrayNode templates = a.putArray("templates");
      templates.addObject().put("templateName", random.nextInt(4) == 0 ? string() : "t").put("clusterScope", random.nextInt(5) == 0);
      if (random.nextBoolean()) a.putArray("args").addObject().put("name", "service").put("value", random.nextBoolean() ? "web" : string());
      maybe(a, "startingStep", this::count);
      return a;
    }

    private JsonNode metric(int i) {
      ObjectNode m = JSON.objectNode().put("name", random.nextInt(10) == 0 ? "m0" : "m" + i);
      maybe(m, "interval", this::duration);
      maybe(m, "initialDelay", this::duration);
      maybe(m, "count", this::intOrString);
      maybe(m, "successCondition", this::condition);
      maybe(m, "failureCondition", this::condition);
      maybe(m, "failureLimit", this::intOrString);
      maybe(m, "inconclusiveLimit", this::intOrString);
      maybe(m, "consecutiveErrorLimit", this::intOrString);
      maybe(m, "consecutiveSuccessLimit", this::intOrString);
      ObjectNode provider = m.putObject("provider");
      switch (random.nextInt(4)) {
        case 0 -> {
          ObjectNode p = provider.putObject("prometheus").put("address", "http://prometheus:9090").put("query", string());
          maybe(p, "timeout", this::count);
        }
        case 1 -> {
          ObjectNode w = provider.putObject("web").put("url", random.nextBoolean() ? "http://metrics/{{args.service}}" : string());
          maybe(w, "timeoutSeconds", this::count);
          maybe(w, "jsonPath", () -> JSON.textNode(string()));
        }
        case 2 -> provider.putObject("job").putObject("spec").putObject("template").putObject("spec").putArray("containers")
            .addObject().put("name", "j").put("image", "busybox");
        default -> provider.set("web", junk());
      }
      return m;
    }

    private JsonNode status() {
      ObjectNode s = JSON.objectNode();
      maybe(s, "currentStepIndex", this::count);
      maybe(s, "currentPodHash", () -> JSON.textNode(random.nextBoolean() ? CANARY : STABLE));
      maybe(s, "stableRS", () -> JSON.textNode(random.nextBoolean() ? STABLE : string()));
      maybe(s, "replicas", this::count);
      maybe(s, "availableReplicas", this::count);
      maybe(s, "abort", this::bool);
      maybe(s, "abortedAt", this::time);
      maybe(s, "promoteFull", this::bool);
      maybe(s, "controllerPause", this::bool);
      maybe(s, "observedGeneration", this::count);
      maybe(s, "restartedAt", this::time);
      if (random.nextBoolean()) {
        s.putArray("pauseConditions").addObject().put("reason", random.nextBoolean() ? "CanaryPauseStep" : string()).set("startTime", time());
      }
      if (random.nextInt(4) == 0) {
        s.putObject("canary").putObject("weights").putObject("canary").put("podTemplateHash", CANARY).set("weight", count());
      }
      if (random.nextInt(4) == 0) {
        s.putArray("conditions").addObject().put("type", "Progressing").put("status", "True").set("lastUpdateTime", time());
      }
      return s;
    }

    /** Counts, weights, seconds: mostly small, sometimes at or beyond every limit, sometimes not a number. */
    private JsonNode count() {
      return switch (random.nextInt(14)) {
        case 0 -> JSON.numberNode(-1 - random.nextInt(5));
        case 1 -> JSON.numberNode(Integer.MAX_VALUE);
        case 2 -> JSON.numberNode(Integer.MIN_VALUE);
        case 3 -> unreadable ? JSON.numberNode(9_000_000_000L) : JSON.numberNode(2_000_000_000);
        case 4 -> unreadable ? JSON.numberNode(new BigInteger("99999999999999999999999")) : JSON.numberNode(0);
        case 5 -> unreadable ? JSON.numberNode(new BigDecimal("2.5")) : JSON.numberNode(3);
        case 6 -> JSON.numberNode(1_000_000);
        case 7 -> junk();
        case 8 -> JSON.numberNode(100 + random.nextInt(10_000));
        default -> JSON.numberNode(random.nextInt(random.nextBoolean() ? 12 : 101));
      };
    }

    private JsonNode duration() {
      return switch (random.nextInt(16)) {
        case 0 -> JSON.textNode("1s".repeat(500));
        case 1 -> JSON.textNode("1".repeat(16_000) + "x");
        case 2 -> JSON.textNode("99999999999999999s");
        case 3 -> JSON.textNode("2562047h47m16.854775808s");
        case 4 -> JSON.textNode("9".repeat(60) + "h");
        case 5 -> JSON.textNode("." + "1".repeat(40) + "s");
        case 6 -> JSON.numberNode(random.nextBoolean() ? Integer.MAX_VALUE : -5);
        case 7 -> JSON.textNode(string());
        case 8 -> junk();
        case 9 -> JSON.textNode("1h".repeat(1 + random.nextInt(40)));
        default -> JSON.textNode(random.nextInt(120) + List.of("s", "ms", "m", "h", "us", "", "ns").get(random.nextInt(7)));
      };
    }

    private JsonNode time() {
      return switch (random.nextInt(8)) {
        case 0 -> JSON.textNode("+999999999-12-31T23:59:59Z");
        case 1 -> JSON.textNode("-999999999-01-01T00:00:00Z");
        case 2 -> JSON.textNode("9999-12-31T23:59:59.999999999Z");
        case 3 -> JSON.textNode(string());
        case 4 -> junk();
        case 5 -> JSON.textNode("2024-05-01T10:00:00+14:00");
        default -> JSON.textNode(START.plusSeconds(random.nextInt(7200) - 3600).toString());
      };
    }

    private JsonNode intOrPercent() {
      return switch (random.nextInt(6)) {
        case 0 -> JSON.textNode(random.nextInt(300) - 100 + "%");
        case 1 -> JSON.textNode(string());
        case 2 -> count();
        case 3 -> JSON.textNode("9".repeat(40) + "%");
        default -> JSON.textNode(random.nextInt(101) + "%");
      };
    }

    private JsonNode intOrString() {
      return random.nextBoolean() ? count() : JSON.textNode(random.nextBoolean() ? "{{args.service}}" : string());
    }

    private JsonNode condition() {
      return JSON.textNode(switch (random.nextInt(8)) {
        case 0 -> "result[0] >= 0.95";
        case 1 -> "result > 5 && result < 10";
        case 2 -> "len(result) == 0 || isNaN(result[0])";
        case 3 -> string();
        case 4 -> "(".repeat(200) + "result" + ")".repeat(200);
        case 5 -> "result" + " + result".repeat(100) + " > 0";
        case 6 -> "{{args.service}} == 'web'";
        default -> "result == true";
      });
    }

    private JsonNode serviceName() {
      return JSON.textNode(switch (random.nextInt(6)) {
        case 0 -> "web-stable";
        case 1 -> "";
        case 2 -> string();
        default -> "web-canary";
      });
    }

    private JsonNode bool() {
      return random.nextInt(10) == 0 ? junk() : JSON.booleanNode(random.nextBoolean());
    }

    private String string() {
      return switch (random.nextInt(7)) {
        case 0 -> "";
        case 1 -> "x".repeat(20_000);
        case 2 -> "\u0000\uFFFF\uD83D\uDE00${}{{}}%s\\n";
        case 3 -> "{{args.missing}}";
        case 4 -> "-1";
        default -> Long.toString(random.nextLong(), 36);
      };
    }

    /** A value of the wrong type (or, in a readable manifest, no value). */
    private JsonNode junk() {
      if (!unreadable) {
        return JSON.nullNode();
      }
      return switch (random.nextInt(5)) {
        case 0 -> JSON.arrayNode().add(1).add("a");
        case 1 -> JSON.objectNode().put("unexpected", true);
        case 2 -> JSON.booleanNode(true);
        case 3 -> JSON.textNode("not a number");
        default -> JSON.nullNode();
      };
    }

    private JsonNode sometimes(Supplier<JsonNode> value) {
      return random.nextInt(12) == 0 ? junk() : value.get();
    }

    private void maybe(ObjectNode node, String field, Supplier<JsonNode> value) {
      if (random.nextInt(3) != 0) {
        node.set(field, value.get());
      }
    }
  }
}
