package dev.sluice.e2e.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sluice.api.SluiceLabels;
import dev.sluice.api.v1alpha1.AnalysisRun;
import dev.sluice.api.v1alpha1.AnalysisRunStatus;
import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.api.v1alpha1.RolloutStatus;
import dev.sluice.e2e.ControllerProcess;
import dev.sluice.e2e.LocalCluster;
import dev.sluice.e2e.RealCluster;
import dev.sluice.e2e.RealCluster.TestNamespace;
import dev.sluice.e2e.analysis.LocalHttpServer;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged controller runs as the service account of deploy/base/rbac and nothing else: the
 * ServiceAccount, ClusterRole and bindings are applied from that directory (through an overlay that
 * moves them into the test's namespace and suffixes their names), and the controller's kubeconfig
 * holds only a token minted for that account. Rollouts, restarts and analysis then work without a
 * single Forbidden, and what the controller must never do is refused by the API server.
 */
@RealCluster
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ControllerRbacE2ETest {
  private static final Path LOGS = Path.of("target", "controller-logs");
  private static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);

  private KubernetesClient admin;
  private KubernetesClient asController;
  private ControllerProcess controller;
  private String ns;
  private String suffix;
  private int logOffset;

  @BeforeAll
  void runTheControllerAsItsServiceAccount(LocalCluster cluster, KubernetesClient k8s, TestNamespace testNamespace, @TempDir Path dir) {
    admin = k8s;
    ns = testNamespace.name();
    suffix = "-" + ns;
    Path overlay = KustomizeOverlay.write(dir.resolve("rbac"), cluster.repoRoot().resolve("deploy/base/rbac"), ns, suffix);
    System.out.println("[deploy] " + cluster.kubectl("apply", "--server-side", "-k", overlay.toString()).strip());
    Path kubeconfig = ServiceAccountKubeconfig.write(k8s, ns, "sluice-controller" + suffix, cluster.kubeconfig(),
        dir.resolve("controller.kubeconfig"));
    asController = LocalCluster.clientFor(kubeconfig);
    controller = new ControllerProcess(kubeconfig, ns, LOGS.resolve("deploy-rbac.log"),
        "--leader-elect", "--leader-election-namespace", ns, "--notifications-namespace", ns);
    await("the controller holds the Lease and is ready").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
        .until(() -> leaseHolder() != null && controller.healthPort().isPresent() && controller.readyz() == 200);
  }

  @BeforeEach
  void markTheLog() {
    logOffset = controller.output().length();
  }

  @AfterAll
  void stopAndRemoveClusterScopedObjects() throws InterruptedException {
    if (controller != null) controller.close();
    if (asController != null) asController.close();
    if (admin != null) {
      admin.rbac().clusterRoleBindings().withName("sluice-controller" + suffix).delete();
      admin.rbac().clusterRoles().withName("sluice-controller" + suffix).delete();
      admin.admissionRegistration().v1().validatingAdmissionPolicyBindings()
          .withName("sluice-controller-writes-no-rollout-spec" + suffix).delete();
      admin.admissionRegistration().v1().validatingAdmissionPolicies().withName("sluice-controller-writes-no-rollout-spec" + suffix).delete();
    }
  }

  @Test
  void aCanaryWithServicesWalksThroughAnUpdateToHealthy() {
    for (String service : new String[] {"shop-stable", "shop-canary"}) {
      admin.resource("""
          apiVersion: v1
          kind: Service
          metadata: {name: %s}
          spec:
            selector: {app: shop}
            ports: [{port: 80}]
          """.formatted(service)).inNamespace(ns).create();
    }
    admin.resource(rollout("shop", "registry.example/shop:1.0", """
        canaryService: shop-canary
        stableService: shop-stable
        steps:
        - setWeight: 50
        - pause: {duration: 1s}
        """)).inNamespace(ns).create();
    String first = awaitHealthyAndSettled("shop");

    rolloutResource("shop").patch(MERGE, "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"registry.example/shop:2.0\"}]}}}}");
    String second = awaitHealthyAndSettled("shop");

    assertThat(second).isNotEqualTo(first);
    for (String service : new String[] {"shop-stable", "shop-canary"}) {
      assertThat(admin.services().inNamespace(ns).withName(service).get().getSpec().getSelector())
          .as(service + " points at the new stable pods").containsEntry(SluiceLabels.POD_TEMPLATE_HASH, second);
    }
    assertThat(controller.output()).contains(ns + "/shop ");
    assertNothingWasForbidden();
  }

  @Test
  void anNginxRoutedCanaryCreatesAndReweighsItsCanaryIngress() {
    String canaryWeight = "nginx.ingress.kubernetes.io/canary-weight";
    for (String service : new String[] {"web-stable", "web-canary"}) {
      admin.resource("""
          apiVersion: v1
          kind: Service
          metadata: {name: %s}
          spec:
            selector: {app: web}
            ports: [{port: 80}]
          """.formatted(service)).inNamespace(ns).create();
    }
    admin.resource("""
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: web}
        spec:
          ingressClassName: nginx
          rules:
          - host: web.example.com
            http:
              paths:
              - {path: /, pathType: Prefix, backend: {service: {name: web-stable, port: {number: 80}}}}
        """).inNamespace(ns).create();
    admin.resource(rollout("web", "registry.example/web:1.0", """
        canaryService: web-canary
        stableService: web-stable
        trafficRouting:
          nginx: {stableIngress: web}
        scaleDownDelaySeconds: 1
        steps:
        - setWeight: 50
        - pause: {duration: 3s}
        """)).inNamespace(ns).create();
    awaitHealthyAndSettled("web");

    rolloutResource("web").patch(MERGE, "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"registry.example/web:2.0\"}]}}}}");
    var canaryIngress = admin.network().v1().ingresses().inNamespace(ns).withName("web-web-canary");
    await("the canary Ingress takes half the traffic").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
        .until(() -> canaryIngress.get() != null && "50".equals(canaryIngress.get().getMetadata().getAnnotations().get(canaryWeight)));
    awaitHealthyAndSettled("web");

    assertThat(canaryIngress.get().getMetadata().getAnnotations()).as("all traffic back on the new stable").containsEntry(canaryWeight, "0");
    assertNothingWasForbidden();
  }

  /**
   * The other routers rewrite CRD kinds (Gateway API, Istio, SMI) whose CRDs this test does not
   * install, since they would outlive it; the API server's own authorizer answers for the service
   * account instead, for each write those routers send (see dev.sluice.traffic.GenericRoutes).
   */
  @Test
  void theOtherRoutersMayReadAndRewriteTheirRouteObjects() {
    for (String verb : new String[] {"get", "update"}) {
      assertThat(allowed("gateway.networking.k8s.io", "httproutes", verb)).as("HTTPRoute " + verb).isTrue();
      assertThat(allowed("networking.istio.io", "virtualservices", verb)).as("VirtualService " + verb).isTrue();
      assertThat(allowed("networking.istio.io", "destinationrules", verb)).as("DestinationRule " + verb).isTrue();
      assertThat(allowed("split.smi-spec.io", "trafficsplits", verb)).as("TrafficSplit " + verb).isTrue();
    }
    assertThat(allowed("split.smi-spec.io", "trafficsplits", "create")).as("the SMI router creates its TrafficSplit").isTrue();
    assertThat(allowed("gateway.networking.k8s.io", "httproutes", "delete")).as("a user's HTTPRoute is never deleted").isFalse();
    assertThat(allowed("networking.istio.io", "virtualservices", "create")).as("nor a VirtualService made up").isFalse();
  }

  /** What the API server's authorizer answers the controller's service account. */
  private boolean allowed(String group, String resource, String verb) {
    var review = asController.authorization().v1().selfSubjectAccessReview().create(new SelfSubjectAccessReviewBuilder()
        .withNewSpec().withNewResourceAttributes().withNamespace(ns).withGroup(group).withResource(resource).withVerb(verb)
        .endResourceAttributes().endSpec().build());
    return Boolean.TRUE.equals(review.getStatus().getAllowed());
  }

  @Test
  void restartAtReplacesThePods() {
    admin.resource(rollout("restart", "registry.example/app:1.0", "steps: [{setWeight: 50}]")).inNamespace(ns).create();
    awaitHealthyAndSettled("restart");
    Set<String> before = podNames("restart");
    assertThat(before).hasSize(2);

    String restartAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1).toString();
    rolloutResource("restart").patch(MERGE, "{\"spec\":{\"restartAt\":\"" + restartAt + "\"}}");

    await("every pod is replaced").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
      RolloutStatus s = rolloutResource("restart").get().getStatus();
      Set<String> now = podNames("restart");
      return restartAt.equals(s.restartedAt()) && now.size() == 2 && now.stream().noneMatch(before::contains);
    });
    assertNothingWasForbidden();
  }

  @Test
  void anAnalysisRunReadsItsSecretArgumentAndRunsAJob() {
    String secret = "s3cret-" + ns;
    admin.resource("""
        apiVersion: v1
        kind: Secret
        metadata: {name: smoke-credentials}
        stringData: {token: %s}
        """.formatted(secret)).inNamespace(ns).create();
    try (var endpoint = new HealthyEndpoint()) {
      admin.resource("""
          apiVersion: sluice.dev/v1alpha1
          kind: AnalysisRun
          metadata: {name: smoke}
          spec:
            args:
            - name: token
              valueFrom:
                secretKeyRef: {name: smoke-credentials, key: token}
            metrics:
            - name: health
              successCondition: result == true
              provider:
                web:
                  url: %s
                  headers:
                  - {key: Authorization, value: 'Bearer {{args.token}}'}
                  jsonPath: '{$.ok}'
            - name: smoke-job
              provider:
                job:
                  spec:
                    backoffLimit: 0
                    template:
                      spec:
                        restartPolicy: Never
                        containers:
                        - {name: smoke, image: registry.example/smoke:1.0}
          """.formatted(endpoint.url())).inNamespace(ns).create();

      await("the run completes").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
        AnalysisRunStatus s = admin.resources(AnalysisRun.class).inNamespace(ns).withName("smoke").get().getStatus();
        return s != null && Set.of("Successful", "Failed", "Error", "Inconclusive").contains(s.phase());
      });

      AnalysisRunStatus status = admin.resources(AnalysisRun.class).inNamespace(ns).withName("smoke").get().getStatus();
      assertThat(status.phase()).as(status.message()).isEqualTo("Successful");
      assertThat(endpoint.authorizations()).isNotEmpty().allSatisfy(a -> assertThat(a).isEqualTo("Bearer " + secret));
      assertThat(admin.batch().v1().jobs().inNamespace(ns).withLabel("sluice.dev/analysis-run", "smoke").list().getItems()).hasSize(1);
      // events are recorded after the status write waited on above
      await("the controller records events").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
          .untilAsserted(() -> assertThat(admin.v1().events().inNamespace(ns).list().getItems())
              .anySatisfy(e -> assertThat(e.getInvolvedObject().getName()).isEqualTo("smoke")));
    }
    assertThat(controller.output()).doesNotContain(secret);
    assertNothingWasForbidden();
  }

  /** The notifications Role: the ConfigMap and Secret are read by name, and nothing else of the namespace's. */
  @Test
  void notificationsReadTheirConfigMapAndSecretOnly() {
    String token = "token-" + ns;
    try (var receiver = new LocalHttpServer(request -> new LocalHttpServer.Answer(200, "{}"))) {
      admin.resource(new SecretBuilder().withNewMetadata().withName("sluice-notifications-secret").endMetadata()
          .addToStringData("log-token", token).build()).inNamespace(ns).create();
      admin.resource(new ConfigMapBuilder().withNewMetadata().withName("sluice-notifications").endMetadata()
          .addToData("service.webhook.log", "url: %s\nheaders: [{name: Authorization, value: Bearer $log-token}]\n".formatted(receiver.url()))
          .addToData("template.updated", "webhook:\n  log: {body: '{{rollout.metadata.name}} updated'}\n")
          .addToData("trigger.on-rollout-updated", "- send: [updated]\n").build()).inNamespace(ns).create();
      admin.resource(rollout("told", "registry.example/app:1.0", "steps: [{setWeight: 50}]").replaceFirst("(?m)^  name: told$",
          "  name: told\n  annotations: {notifications.sluice.dev/subscribe.on-rollout-updated.log: ''}")).inNamespace(ns).create();
      awaitHealthyAndSettled("told");

      rolloutResource("told").patch(MERGE, "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"registry.example/app:2.0\"}]}}}}");
      await("the webhook is called").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
          .until(() -> !receiver.seen().isEmpty());

      assertThat(receiver.seen()).singleElement().satisfies(r -> {
        assertThat(r.body()).isEqualTo("told updated");
        assertThat(r.authorization()).isEqualTo("Bearer " + token);
      });
      assertForbidden(() -> asController.configMaps().inNamespace(ns).withName("kube-root-ca.crt").get());
      assertForbidden(() -> asController.configMaps().inNamespace(ns).list());
      assertNothingWasForbidden();
    }
  }

  @Test
  void aWorkloadRefReadsItsDeploymentAndWritesNothingOfItButItsScale() {
    admin.resource("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: legacy}
        spec:
          replicas: 2
          selector:
            matchLabels: {app: legacy}
          template:
            metadata:
              labels: {app: legacy}
            spec:
              containers:
              - {name: app, image: "registry.example/legacy:1.0"}
        """).inNamespace(ns).create();
    admin.resource("""
        apiVersion: sluice.dev/v1alpha1
        kind: Rollout
        metadata: {name: legacy}
        spec:
          replicas: 2
          selector:
            matchLabels: {app: legacy}
          workloadRef: {apiVersion: apps/v1, kind: Deployment, name: legacy, scaleDown: onsuccess}
          strategy:
            canary:
              steps: [{setWeight: 50}, {pause: {duration: 1s}}]
        """).inNamespace(ns).create();
    awaitHealthyAndSettled("legacy");
    await("the Deployment is scaled to 0").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
        .until(() -> admin.apps().deployments().inNamespace(ns).withName("legacy").get().getSpec().getReplicas() == 0);

    var legacy = asController.apps().deployments().inNamespace(ns).withName("legacy");
    assertForbidden(() -> legacy.patch(MERGE, "{\"spec\":{\"template\":{\"metadata\":{\"labels\":{\"changed-by\":\"sluice\"}}}}}"));
    assertForbidden(() -> legacy.patch(MERGE, "{\"spec\":{\"replicas\":1}}"));
    assertForbidden(legacy::delete);
    assertThat(controller.output()).contains(ns + "/legacy: Deployment legacy scaled to 0");
    assertNothingWasForbidden();
  }

  @Test
  void whatTheControllerMustNeverDoIsRefused() {
    admin.resource(rollout("precious", "registry.example/app:1.0", "steps: [{setWeight: 50}]")).inNamespace(ns).create();
    var precious = asController.resources(Rollout.class).inNamespace(ns).withName("precious");

    assertForbidden(precious::delete);
    // RBAC lets it patch Rollouts (for its finalizer); the admission policy refuses anything else,
    // once the API server has loaded it (tried as a dry run until then, so nothing is changed)
    await("the admission policy is in force").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .untilAsserted(() -> assertForbidden(() -> precious.dryRun().patch(MERGE, "{\"spec\":{\"paused\":true}}")));
    assertForbidden(() -> precious.patch(MERGE, "{\"spec\":{\"paused\":true}}"));
    assertForbidden(() -> precious.patch(MERGE, "{\"metadata\":{\"labels\":{\"changed-by\":\"sluice\"}}}"));
    assertForbidden(() -> asController.apps().deployments().inNamespace(ns).resource(new DeploymentBuilder()
        .withNewMetadata().withName("not-mine").endMetadata()
        .withNewSpec().withNewSelector().addToMatchLabels("app", "x").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", "x").endMetadata()
        .withNewSpec().addNewContainer().withName("x").withImage("registry.example/x:1").endContainer().endSpec()
        .endTemplate().endSpec().build()).create());
    assertForbidden(() -> asController.secrets().inNamespace(ns).list());
    assertForbidden(() -> asController.services().inNamespace(ns).withName("shop-stable").delete());
    String leaseName = "not-mine" + suffix;
    try {
      assertForbidden(() -> asController.leases().inNamespace("default").resource(new LeaseBuilder()
          .withNewMetadata().withName(leaseName).endMetadata().withNewSpec().withHolderIdentity("x").endSpec().build()).create());
    } finally {
      admin.leases().inNamespace("default").withName(leaseName).delete();
    }

    Rollout after = admin.resources(Rollout.class).inNamespace(ns).withName("precious").get();
    assertThat(after).isNotNull();
    assertThat(after.getSpec().paused()).isNull();
  }

  private static void assertForbidden(ThrowingCallable call) {
    assertThatThrownBy(call).isInstanceOfSatisfying(KubernetesClientException.class,
        e -> assertThat(e.getCode()).as(e.getMessage()).isEqualTo(403));
  }

  private void assertNothingWasForbidden() {
    assertThat(controller.alive()).isTrue();
    assertThat(controller.output().substring(logOffset)).as("the controller's log during this test")
        .doesNotContainIgnoringCase("forbidden");
    assertThat(controller.readyz()).isEqualTo(200);
  }

  /** Waits for Healthy on the current template with nothing left to do; returns the stable hash. */
  private String awaitHealthyAndSettled(String name) {
    await(name + " is healthy").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
      Rollout r = rolloutResource(name).get();
      RolloutStatus s = r.getStatus();
      return s != null && s.conditions() != null
          && s.conditions().stream().anyMatch(c -> "Healthy".equals(c.type()) && "True".equals(c.status()))
          && s.stableRS() != null && s.stableRS().equals(s.currentPodHash())
          && Objects.equals(r.getMetadata().getGeneration(), s.observedGeneration());
    });
    return rolloutResource(name).get().getStatus().stableRS();
  }

  private io.fabric8.kubernetes.client.dsl.Resource<Rollout> rolloutResource(String name) {
    return admin.resources(Rollout.class).inNamespace(ns).withName(name);
  }

  private Set<String> podNames(String app) {
    return admin.pods().inNamespace(ns).withLabel("app", app).list().getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .map(Pod::getMetadata).map(m -> m.getName()).collect(Collectors.toSet());
  }

  private String leaseHolder() {
    var lease = admin.leases().inNamespace(ns).withName("sluice-controller").get();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }

  private static String rollout(String name, String image, String canary) {
    return """
        apiVersion: sluice.dev/v1alpha1
        kind: Rollout
        metadata:
          name: %s
        spec:
          replicas: 2
          selector:
            matchLabels: {app: %s}
          template:
            metadata:
              labels: {app: %s}
            spec:
              containers:
              - name: app
                image: %s
          strategy:
            canary:
        %s
        """.formatted(name, name, name, image, canary.strip().lines().map(l -> "      " + l).collect(Collectors.joining("\n")));
  }
}
