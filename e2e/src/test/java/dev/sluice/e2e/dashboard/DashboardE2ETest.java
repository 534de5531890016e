package dev.sluice.e2e.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.api.v1alpha1.AnalysisRun;
import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.api.v1alpha1.RolloutStatus;
import dev.sluice.cli.SluiceCli;
import dev.sluice.controller.SluiceController;
import dev.sluice.e2e.LocalCluster;
import dev.sluice.e2e.RealCluster;
import dev.sluice.e2e.RealCluster.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;

/**
 * The web dashboard of {@code kubectl sluice dashboard} in headless Chromium, against the real
 * controller (in this JVM) on the real local cluster. Confirmations are the page's own dialog
 * (an HTML {@code <dialog>}), clicked like any other button.
 */
@RealCluster
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardE2ETest {
  private static final String STEPS = """
      - setWeight: 20
      - pause: {}
      - setWeight: 60
      - pause: {}
      """;
  /** Set in the page by the test; still there later = the page changed without being reloaded. */
  private static final String MARKER = "window.sluiceE2eMarker";

  private KubernetesClient k8s;
  private LocalCluster cluster;
  private String namespace;
  private KubernetesClient controllerClient;
  private SluiceController controller;
  private DashboardCli dashboard;
  private HeadlessChromium chromium;
  private Path artifacts;

  @BeforeAll
  void start(LocalCluster cluster, KubernetesClient k8s, TestNamespace ns) {
    this.cluster = cluster;
    this.k8s = k8s;
    this.namespace = ns.name();
    // the real controller, on its own client as a deployed one would have
    controllerClient = LocalCluster.clientFor(cluster.kubeconfig());
    controller = new SluiceController(controllerClient, new SluiceController.Options(Set.of(namespace), null, null),
        Clock.systemUTC()).start();
    dashboard = new DashboardCli(cluster.kubeconfig(), namespace);
    chromium = new HeadlessChromium(1280, 1500);
    artifacts = cluster.repoRoot().resolve("e2e/target/dashboard");
  }

  @AfterAll
  void stop() throws InterruptedException {
    Integer dashboardExit = null;
    try {
      if (chromium != null) chromium.close();
      if (dashboard != null) dashboardExit = dashboard.stop();
    } finally {
      if (controller != null) controller.close();
      if (controllerClient != null) controllerClient.close();
    }
    assertThat(dashboardExit).as("kubectl sluice dashboard ends on Ctrl-C (an interrupt here)").isEqualTo(130);
  }

  @Test
  void theRolloutPageShowsStepAndWeightsFollowsTheRolloutLiveAndPromotes() {
    createRollout("shop", 5, "registry.example/shop:1.0");
    awaitStored("shop", s -> "Healthy".equals(s.phase()), Duration.ofSeconds(60));
    String stableHash = stored("shop").getStatus().stableRS();

    setImage("shop", "registry.example/shop:2.0");
    awaitStored("shop", s -> Integer.valueOf(1).equals(s.currentStepIndex()) && "Paused".equals(s.phase()), Duration.ofSeconds(60));
    String canaryHash = stored("shop").getStatus().currentPodHash();
    try (MetricEndpoint metrics = new MetricEndpoint(List.of(0.012, 0.018, 0.015, 0.031, 0.022, 0.017, 0.014, 0.011), "2.0.0+build.417")) {
      createAnalysisRun("shop", "shop-canary-health", metrics, 8);

      // the front page lists it; its link opens the rollout page
      chromium.driver().get(dashboard.url().toString());
      within(Duration.ofSeconds(10)).until(() -> "Paused".equals(chromium.text("tr[data-rollout='shop'] .badge")));
      chromium.driver().findElement(By.linkText("shop")).click();
      within(Duration.ofSeconds(10)).until(() -> "1".equals(currentStepOnPage()));
      assertThat(chromium.driver().getCurrentUrl()).isEqualTo(dashboard.url() + "rollouts/" + namespace + "/shop");
      chromium.script(MARKER + " = 'loaded once';");

      // step 2 of 4, the pause after setWeight 20, highlighted; 20% of traffic on the canary
      assertThat(chromium.text("#steps li[aria-current='step'] .step-text")).isEqualTo("pause (until promoted)");
      assertThat(chromium.text("#steps li[aria-current='step'] .step-note")).isEqualTo("waiting for promote");
      assertThat(chromium.text("#step-counter")).isEqualTo("step 2 of 4");
      assertThat(chromium.script("return [...document.querySelectorAll('#steps li')].map(li => li.className)"))
          .isEqualTo(List.of("step done", "step current", "step pending", "step pending"));
      assertThat(chromium.text("#weight-canary")).isEqualTo("20%");
      assertThat(chromium.text("#weight-stable")).isEqualTo("80%");
      assertThat(chromium.text("#phase")).isEqualTo("Paused");
      assertThat(chromium.text(".replicaset[data-hash='" + canaryHash + "'] .role")).isEqualTo("canary");
      assertThat(chromium.text(".replicaset[data-hash='" + stableHash + "'] .role")).isEqualTo("stable");
      within(Duration.ofSeconds(10)).until(() -> "1/1 ready · 1 available".equals(chromium.text(".replicaset[data-hash='" + canaryHash + "'] .rs-pods")));
      assertThat(count(".replicaset[data-hash='" + canaryHash + "'] .pod.ready")).isEqualTo(1);
      assertThat(count(".replicaset[data-hash='" + stableHash + "'] .pod.ready")).isEqualTo(4);

      // the analysis measures once a second: each measurement appears as a new point of the chart
      within(Duration.ofSeconds(30)).until(() -> count(".metric[data-metric='error-rate'] circle.point") >= 3);
      within(Duration.ofSeconds(30)).until(() -> "Successful".equals(chromium.text(".run[data-run='shop-canary-health'] .run-head .badge")));
      assertThat(count(".metric[data-metric='error-rate'] circle.point")).isEqualTo(8);
      assertThat(chromium.text(".metric[data-metric='error-rate'] .last-value")).isEqualTo("last 0.011");
      assertThat(chromium.text(".metric[data-metric='build'] .values code")).isEqualTo("2.0.0+build.417");

      // a promote that is not confirmed does nothing
      clickWhenEnabled("action-promote");
      assertThat(chromium.text("#confirm-title")).isEqualTo("Promote rollout \"shop\"?");
      assertThat(chromium.script("return document.getElementById('confirm').open")).isEqualTo(true);
      chromium.driver().findElement(By.id("confirm-cancel")).click();
      assertThat(chromium.script("return document.getElementById('confirm').open")).isEqualTo(false);
      await("an unconfirmed promote leaves the rollout paused").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
          .pollInterval(Duration.ofMillis(100)).until(() -> stored("shop").getStatus().pauseConditions() != null);

      // someone promotes from a terminal: the page follows within a second of the stored change, without a reload
      assertThat(kubectlSluice("promote", "shop")).isEqualTo("rollout \"shop\" promoted\n");
      awaitStored("shop", s -> Integer.valueOf(3).equals(s.currentStepIndex()) && "Paused".equals(s.phase())
          && s.pauseConditions() != null && Integer.valueOf(60).equals(canaryWeight(s)), Duration.ofSeconds(60));
      Instant storedAt = Instant.now();
      within(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
          .until(() -> "3".equals(currentStepOnPage()) && "60%".equals(chromium.text("#weight-canary")));
      System.out.printf("[dashboard] the page showed step 4 and 60%% %d ms after the test saw it stored%n",
          Duration.between(storedAt, Instant.now()).toMillis());
      assertThat(chromium.text("#weight-stable")).isEqualTo("40%");
      assertThat(chromium.text("#steps li[aria-current='step'] .step-text")).isEqualTo("pause (until promoted)");
      assertThat(chromium.text("#step-counter")).isEqualTo("step 4 of 4");
      assertThat(chromium.script("return " + MARKER)).as("the page was not reloaded").isEqualTo("loaded once");
      within(Duration.ofSeconds(10)).until(() -> count(".replicaset[data-hash='" + canaryHash + "'] .pod.ready") == 3);
      chromium.screenshot(artifacts.resolve("rollout.png"));

      // promote from the page, confirmed: the rollout finishes its steps and the page shows it
      clickWhenEnabled("action-promote");
      chromium.driver().findElement(By.id("confirm-ok")).click();
      within(Duration.ofSeconds(10)).until(() -> "rollout \"shop\" promoted".equals(chromium.text("#toast")));
      awaitStored("shop", s -> "Healthy".equals(s.phase()) && canaryHash.equals(s.stableRS()), Duration.ofSeconds(60));
      RolloutStatus done = stored("shop").getStatus();
      assertThat(done.pauseConditions()).isNullOrEmpty();
      assertThat(done.currentStepIndex()).isEqualTo(4);
      within(Duration.ofSeconds(2)).until(() -> "Healthy".equals(chromium.text("#phase")));
      assertThat(chromium.script("return document.querySelectorAll('#steps li.done').length")).isEqualTo(4L);
      assertThat(chromium.script("return document.querySelector('#steps li[aria-current]')")).isNull();
      assertThat(chromium.text("#step-counter")).isEqualTo("all 4 steps done");
      assertThat(chromium.text("#weight-stable")).isEqualTo(done.canary().weights().stable().weight() + "%");
      assertThat(chromium.script("return document.getElementById('action-promote').disabled")).isEqualTo(true);
      assertThat(chromium.script("return " + MARKER)).as("the page was not reloaded").isEqualTo("loaded once");
      chromium.screenshot(artifacts.resolve("rollout-promoted.png"));
      assertThat(dashboard.output()).contains("promote " + namespace + "/shop: rollout \"shop\" promoted");
    }
  }

  @Test
  void aBlueGreenPageShowsWhatEachServiceSelectsAndItsButtonsPromoteAndAbort() {
    for (String service : List.of("bg-active", "bg-preview")) {
      k8s.resource("""
          apiVersion: v1
          kind: Service
          metadata: {name: %s}
          spec: {selector: {app: bg}, ports: [{port: 80, targetPort: 8080}]}
          """.formatted(service)).inNamespace(namespace).create();
    }
    k8s.resource("""
        apiVersion: sluice.dev/v1alpha1
        kind: Rollout
        metadata: {name: bg}
        spec:
          replicas: 3
          selector: {matchLabels: {app: bg}}
          template:
            metadata: {labels: {app: bg}}
            spec: {containers: [{name: app, image: registry.example/bg:1.0}]}
          strategy:
            blueGreen:
              activeService: bg-active
              previewService: bg-preview
              previewReplicaCount: 1
              autoPromotionEnabled: false
              abortScaleDownDelaySeconds: 2
        """).inNamespace(namespace).create();
    awaitStored("bg", s -> "Healthy".equals(s.phase()), Duration.ofSeconds(60));
    String blue = stored("bg").getStatus().stableRS();
    setImage("bg", "registry.example/bg:2.0");
    awaitStored("bg", s -> "Paused".equals(s.phase()) && s.pauseConditions() != null && !blue.equals(s.currentPodHash()), Duration.ofSeconds(60));
    String green = stored("bg").getStatus().currentPodHash();

    // paused on the preview: the Services with their hashes and ready pods instead of weights
    chromium.driver().get(dashboard.url() + "rollouts/" + namespace + "/bg");
    within(Duration.ofSeconds(10)).until(() -> green.equals(chromium.text("#preview-hash")));
    assertThat(chromium.text("#traffic-title")).isEqualTo("Services");
    assertThat(chromium.text("#active-hash")).isEqualTo(blue);
    assertThat(chromium.text("#summary-active")).isEqualTo(blue);
    assertThat(chromium.text("#summary-preview")).isEqualTo(green);
    within(Duration.ofSeconds(10)).until(() -> "1/1 ready · 1 available".equals(chromium.text("#preview-pods")));
    assertThat(chromium.text("#active-pods")).isEqualTo("3/3 ready · 3 available");
    assertThat(chromium.text("#steps-title")).isEqualTo("Promotion");
    assertThat(chromium.text("#promotion-mode")).isEqualTo("manual (press Promote)");
    assertThat(chromium.text("#steps-note")).isEqualTo("The preview is ready: waiting for promote.");
    assertThat(roles(green)).isEqualTo(List.of("preview"));
    assertThat(roles(blue)).isEqualTo(List.of("stable", "active"));
    assertThat(count("#weights .weight-bar")).isZero();
    chromium.screenshot(artifacts.resolve("blue-green-preview.png"));

    // promote from the page: the active Service switches to the preview's pods, and the page follows
    clickWhenEnabled("action-promote");
    assertThat(chromium.text("#confirm-text")).endsWith("The active Service switches to the preview's pods once they are all available.");
    chromium.driver().findElement(By.id("confirm-ok")).click();
    within(Duration.ofSeconds(10)).until(() -> "rollout \"bg\" promoted".equals(chromium.text("#toast")));
    awaitStored("bg", s -> s.blueGreen() != null && green.equals(s.blueGreen().activeSelector()), Duration.ofSeconds(60));
    within(Duration.ofSeconds(2)).until(() -> green.equals(chromium.text("#active-hash")));
    within(Duration.ofSeconds(10)).until(() -> "3/3 ready · 3 available".equals(chromium.text("#active-pods")));
    awaitStored("bg", s -> "Healthy".equals(s.phase()) && green.equals(s.stableRS()), Duration.ofSeconds(60));
    within(Duration.ofSeconds(2)).until(() -> List.of("stable", "active").equals(roles(green)));

    // a new preview, aborted from the page: both Services stay on (go back to) the green pods
    setImage("bg", "registry.example/bg:3.0");
    awaitStored("bg", s -> "Paused".equals(s.phase()) && s.pauseConditions() != null && !green.equals(s.currentPodHash()), Duration.ofSeconds(60));
    String rejected = stored("bg").getStatus().currentPodHash();
    within(Duration.ofSeconds(2)).until(() -> rejected.equals(chromium.text("#preview-hash")));
    clickWhenEnabled("action-abort");
    assertThat(chromium.text("#confirm-text")).endsWith("The active and preview Services go back to the stable pods, then the preview is scaled down.");
    chromium.driver().findElement(By.id("confirm-ok")).click();
    awaitStored("bg", s -> Boolean.TRUE.equals(s.abort()) && "Degraded".equals(s.phase()) && s.blueGreen() != null
        && green.equals(s.blueGreen().previewSelector()),
        Duration.ofSeconds(30));
    within(Duration.ofSeconds(2)).until(() -> green.equals(chromium.text("#preview-hash")));
    assertThat(chromium.text("#active-hash")).isEqualTo(green);
    within(Duration.ofSeconds(30)).until(() -> "scaled down".equals(chromium.text(".replicaset[data-hash='" + rejected + "'] .rs-pods")));
    assertThat(chromium.text("#steps-note")).isEqualTo("Aborted: both Services are back on the stable pods.");
    within(Duration.ofSeconds(10)).until(() -> Boolean.FALSE.equals(chromium.script("return document.getElementById('action-retry').disabled")));
    chromium.screenshot(artifacts.resolve("blue-green-aborted.png"));
  }

  @SuppressWarnings("unchecked")
  private List<String> roles(String hash) {
    return (List<String>) chromium.script("return [...document.querySelectorAll(\".replicaset[data-hash='\" + arguments[0] + \"'] .role\")]"
        + ".map(span => span.textContent)", hash);
  }

  @Test
  void theFrontPageListsTheNamespacesRolloutsAndAddsANewOneLive() {
    chromium.driver().get(dashboard.url().toString());
    within(Duration.ofSeconds(10)).until(() -> "live".equals(chromium.text("#live")));
    assertThat(chromium.text("#scope")).isEqualTo("· namespace " + namespace);
    chromium.script(MARKER + " = 'front page';");

    createRollout("listed", 2, "registry.example/listed:1.0");

    within(Duration.ofSeconds(30)).until(() -> "Healthy".equals(chromium.text("tr[data-rollout='listed'] .badge")));
    assertThat(chromium.text("section[data-namespace='" + namespace + "'] h2")).isEqualTo(namespace);
    Integer weight = canaryWeight(stored("listed").getStatus());
    assertThat(chromium.script("return [...document.querySelectorAll('tr[data-rollout=listed] td')].map(td => td.textContent)"))
        .isEqualTo(List.of("listed", "Healthy", "4/4", weight == null ? "-" : weight + "%", "2/2", ""));
    assertThat(chromium.script("return " + MARKER)).as("the page was not reloaded").isEqualTo("front page");
    chromium.screenshot(artifacts.resolve("rollouts.png"));
  }

  @Test
  void textFromTheClusterIsShownAsTextNeverAsMarkup() {
    String hostile = "<img src=x onerror=\"document.title='injected'\"><b>bold</b>";
    createRollout("quoted", 1, "registry.example/quoted:1.0");
    awaitStored("quoted", s -> "Healthy".equals(s.phase()), Duration.ofSeconds(60));
    try (MetricEndpoint metrics = new MetricEndpoint(List.of(0.01), hostile)) {
      createAnalysisRun("quoted", "quoted-run", metrics, 1);

      chromium.driver().get(dashboard.url() + "rollouts/" + namespace + "/quoted");
      within(Duration.ofSeconds(30)).until(() -> hostile.equals(chromium.text(".metric[data-metric='build'] .values code")));

      assertThat(count("#analysis img")).isZero();
      assertThat(count("#analysis b")).isZero();
      assertThat(chromium.driver().getTitle()).isEqualTo("quoted · Sluice");
    }
  }

  @Test
  void actionsAreRefusedToOtherSitesAndWithoutTheDashboardsHeader() throws Exception {
    createRollout("guarded", 1, "registry.example/guarded:1.0");
    awaitStored("guarded", s -> "Healthy".equals(s.phase()), Duration.ofSeconds(60));
    setImage("guarded", "registry.example/guarded:2.0");
    awaitStored("guarded", s -> Integer.valueOf(1).equals(s.currentStepIndex()) && "Paused".equals(s.phase()), Duration.ofSeconds(60));
    String before = stored("guarded").getMetadata().getResourceVersion();
    URI abort = dashboard.url().resolve("api/rollouts/" + namespace + "/guarded/abort");
    HttpClient http = HttpClient.newHttpClient();

    HttpResponse<String> noHeader = http.send(HttpRequest.newBuilder(abort).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> otherSite = http.send(HttpRequest.newBuilder(abort).POST(HttpRequest.BodyPublishers.noBody())
        .header("X-Sluice-Dashboard", "1").header("Origin", "https://attacker.example").build(), HttpResponse.BodyHandlers.ofString());
    String afterRefusals = stored("guarded").getMetadata().getResourceVersion();
    HttpResponse<String> fromThePage = http.send(HttpRequest.newBuilder(abort).POST(HttpRequest.BodyPublishers.noBody())
        .header("X-Sluice-Dashboard", "1").header("Origin", dashboard.url().toString().replaceAll("/$", "")).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(noHeader.statusCode()).isEqualTo(403);
    assertThat(noHeader.body()).contains("missing header X-Sluice-Dashboard");
    assertThat(otherSite.statusCode()).isEqualTo(403);
    assertThat(otherSite.body()).contains("cross-site request refused");
    assertThat(afterRefusals).as("nothing was written").isEqualTo(before);
    assertThat(fromThePage.statusCode()).isEqualTo(200);
    assertThat(fromThePage.body()).isEqualTo("{\"message\":\"rollout \\\"guarded\\\" aborted\"}");
    awaitStored("guarded", s -> Boolean.TRUE.equals(s.abort()) && "Degraded".equals(s.phase()), Duration.ofSeconds(30));
  }

  // ---- the cluster side ----

  private void createRollout(String name, int replicas, String image) {
    k8s.resource("""
        apiVersion: sluice.dev/v1alpha1
        kind: Rollout
        metadata:
          name: %1$s
        spec:
          replicas: %2$d
          selector:
            matchLabels: {app: %1$s}
          template:
            metadata:
              labels: {app: %1$s}
            spec:
              containers:
              - name: app
                image: %3$s
          strategy:
            canary:
              steps:
        %4$s
        """.formatted(name, replicas, image, STEPS.indent(6).stripTrailing())).inNamespace(namespace).create();
  }

  private void setImage(String name, String image) {
    k8s.resources(Rollout.class).inNamespace(namespace).withName(name).patch(PatchContext.of(PatchType.JSON_MERGE),
        "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"" + image + "\"}]}}}}");
  }

  /**
   * An AnalysisRun owned by the rollout, measured by the real AnalysisRun controller: the one a
   * step {@code analysis} would start (the planner does not start them yet).
   */
  private void createAnalysisRun(String rollout, String name, MetricEndpoint metrics, int count) {
    Rollout owner = stored(rollout);
    k8s.resources(AnalysisRun.class).inNamespace(namespace).resource(k8s.getKubernetesSerialization().unmarshal("""
        apiVersion: sluice.dev/v1alpha1
        kind: AnalysisRun
        metadata:
          name: %s
          ownerReferences:
          - {apiVersion: sluice.dev/v1alpha1, kind: Rollout, name: %s, uid: %s}
        spec:
          metrics:
          - name: error-rate
            interval: 1s
            count: %d
            successCondition: result < 0.05
            provider:
              web: {url: '%s', jsonPath: '{$.value}'}
          - name: build
            successCondition: result != ""
            provider:
              web: {url: '%s', jsonPath: '{$.value}'}
        """.formatted(name, rollout, owner.getMetadata().getUid(), count, metrics.url("/error-rate"), metrics.url("/build")),
        AnalysisRun.class)).create();
  }

  private Rollout stored(String name) {
    return k8s.resources(Rollout.class).inNamespace(namespace).withName(name).get();
  }

  private void awaitStored(String name, Predicate<RolloutStatus> condition, Duration atMost) {
    await("rollout " + name).atMost(atMost).pollInterval(Duration.ofMillis(50)).until(() -> {
      Rollout rollout = stored(name);
      return rollout != null && rollout.getStatus() != null && condition.test(rollout.getStatus());
    });
  }

  private static Integer canaryWeight(RolloutStatus s) {
    return s.canary() == null || s.canary().weights() == null || s.canary().weights().canary() == null
        ? null : s.canary().weights().canary().weight();
  }

  private String kubectlSluice(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] all = new String[args.length + 4];
    all[0] = "--kubeconfig";
    all[1] = cluster.kubeconfig().toString();
    all[2] = "-n";
    all[3] = namespace;
    System.arraycopy(args, 0, all, 4, args.length);
    int exitCode = SluiceCli.run(new PrintWriter(out), new PrintWriter(err), all);
    assertThat(err.toString()).isEmpty();
    assertThat(exitCode).isZero();
    return out.toString();
  }

  // ---- the browser side ----

  private String currentStepOnPage() {
    Object index = chromium.script("const li = document.querySelector('#steps li[aria-current=\"step\"]'); return li && li.dataset.index;");
    return index == null ? null : index.toString();
  }

  private long count(String selector) {
    return (Long) chromium.script("return document.querySelectorAll(arguments[0]).length", selector);
  }

  private void clickWhenEnabled(String id) {
    within(Duration.ofSeconds(10)).until(() -> Boolean.FALSE.equals(chromium.script("return document.getElementById(arguments[0]).disabled", id)));
    chromium.driver().findElement(By.id(id)).click();
  }

  private static ConditionFactory within(Duration atMost) {
    return await().atMost(atMost).pollInterval(Duration.ofMillis(50));
  }
}
