package dev.sluice.e2e.gitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.sluice.api.SluiceLabels;
import dev.sluice.api.v1alpha1.RolloutStatus;
import dev.sluice.e2e.ControllerInJvm;
import dev.sluice.e2e.LocalCluster;
import dev.sluice.e2e.RealCluster;
import dev.sluice.e2e.RealCluster.TestNamespace;
import dev.sluice.e2e.Rollouts;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The seed's story with a real Flux: a Git repository holds a kustomization (two Services, an
 * AnalysisTemplate, a canary Rollout); Flux's source-controller fetches it over HTTP and
 * kustomize-controller applies it with {@code wait: true}, judging the Rollout by the kstatus
 * conditions Sluice writes. Each commit (good, bad, revert) and a hand edit are followed from the
 * commit to Flux's applied revision, Sluice's steps and the Kustomization's Ready, printed as a
 * timeline. The methods run in order: each starts from where the one before left the repository.
 */
@RealCluster
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FluxGitOpsE2ETest {
  private static final String APP = "shop";
  private static final int REPLICAS = 4;
  private static final String GOOD = "registry.example/shop:2.0";
  private static final Duration FLUX_AND_ROLLOUT = Duration.ofMinutes(4);

  private LocalCluster cluster;
  private KubernetesClient k8s;
  private String ns;
  private Rollouts rollouts;
  private GitRepo repo;
  private ControllerInJvm controller;
  private HttpServer smokeEndpoint;
  private Timeline timeline;
  private Path workDir;

  /** The commit of the bad release (reverted later) and the stable pod-template-hash before it. */
  private String badCommit;
  private String goodHash;

  @BeforeAll
  void start(LocalCluster cluster, TestNamespace ns) throws IOException {
    this.cluster = cluster;
    this.k8s = cluster.client();
    this.ns = ns.name();
    rollouts = new Rollouts(k8s, this.ns);
    FluxStack flux = FluxStack.up(cluster);
    workDir = Files.createTempDirectory("sluice-gitops-");
    repo = flux.newRepository(this.ns, workDir.resolve("work"));
    smokeEndpoint = smokeEndpoint();
    controller = new ControllerInJvm(cluster, this.ns);

    String first = repo.commit("shop 1.0", appFiles("registry.example/shop:1.0"));
    for (String object : gitRepositoryAndKustomization().split("(?m)^---$")) {
      k8s.resource(object).inNamespace(this.ns).create();
    }
    timeline = new Timeline(() -> GitOpsSnapshot.take(k8s, this.ns, APP));
    timeline.mark("initial commit " + first.substring(0, 7) + " \"shop 1.0\"");
    awaitSnapshot("Flux applies the first commit and the rollout is Healthy", s -> s.applied() != null
        && s.applied().endsWith(first) && s.fluxReady() && "Healthy".equals(s.phase()));
  }

  @AfterAll
  void stop() throws IOException {
    if (timeline != null) timeline.close();
    if (controller != null) controller.close();
    if (smokeEndpoint != null) smokeEndpoint.stop(0);
    if (workDir != null) {
      try (var files = Files.walk(workDir)) {
        files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  @Order(1)
  void aGoodCommitIsWalkedThroughTheStepsAndFluxIsReadyOnlyOnceTheRolloutIsHealthy() {
    String commit = repo.commit("shop 2.0", appFiles(GOOD));
    timeline.mark("commit " + commit.substring(0, 7) + " \"shop 2.0\" (good)");

    GitOpsSnapshot done = awaitSnapshot("Flux Ready on the good commit with the rollout Healthy", s -> s.applied() != null
        && s.applied().endsWith(commit) && s.fluxReady() && "Healthy".equals(s.phase()) && GOOD.equals(s.image()));
    goodHash = done.stableHash();

    List<GitOpsSnapshot> seen = timeline.sinceMark();
    List<GitOpsSnapshot> thisCommit = seen.stream().filter(s -> s.attempted() != null && s.attempted().endsWith(commit)).toList();
    assertThat(thisCommit).as("Sluice walked the canary's weights while Flux applied the commit")
        .extracting(GitOpsSnapshot::weight).contains(25, 75);
    assertThat(thisCommit).as("Flux waited (not Ready) while the rollout was paused at a step")
        .anyMatch(s -> "Paused".equals(s.phase()) && !s.fluxReady());
    assertThat(thisCommit).as("Flux is never Ready on the commit before the rollout is Healthy")
        .noneMatch(s -> s.fluxReady() && !"Healthy".equals(s.phase()));
    assertThat(done.ready().message()).isEqualTo("Applied revision: main@sha1:" + commit);
    assertThat(done.currentHash()).isEqualTo(done.stableHash());
    assertThat(serviceSelectorHash(APP + "-stable")).isEqualTo(goodHash);
  }

  @Test
  @Order(2)
  void sluiceNeverMakesFluxSeeDrift() {
    List<String> inventory = inventory();
    assertThat(inventory).as("Flux's inventory holds what Git holds, nothing Sluice made")
        .containsExactlyInAnyOrder(
            ns + "_" + APP + "-canary__Service",
            ns + "_" + APP + "-stable__Service",
            ns + "_smoke_sluice.dev_AnalysisTemplate",
            ns + "_" + APP + "_sluice.dev_Rollout");

    Map<String, ManagedFieldsEntry> before = fluxFieldsOf(inventory);
    String requestedAt = Instant.now().toString();
    k8s.genericKubernetesResources("kustomize.toolkit.fluxcd.io/v1", "Kustomization").inNamespace(ns).withName(APP)
        .patch(PatchContext.of(PatchType.JSON_MERGE),
            "{\"metadata\":{\"annotations\":{\"reconcile.fluxcd.io/requestedAt\":\"" + requestedAt + "\"}}}");
    await("Flux reconciles again after the full rollout").atMost(FLUX_AND_ROLLOUT).pollInterval(Duration.ofMillis(300))
        .until(() -> {
          GenericKubernetesResource k = kustomization();
          Map<?, ?> status = (Map<?, ?>) k.getAdditionalProperties().get("status");
          return requestedAt.equals(status.get("lastHandledReconcileAt")) && GitOpsSnapshot.take(k8s, ns, APP).fluxReady();
        });

    assertThat(fluxFieldsOf(inventory)).as("Flux applied nothing: its field ownership (and time) is unchanged on every object")
        .isEqualTo(before);
    for (String id : inventory) {
      HasMetadata object = inventoryObject(id);
      for (ManagedFieldsEntry entry : object.getMetadata().getManagedFields()) {
        if ("kustomize-controller".equals(entry.getManager())) continue;
        String fields = String.valueOf(entry.getFieldsV1().getAdditionalProperties());
        if ("Rollout".equals(object.getKind())) {
          // its status, and its own finalizer (sluice.dev/release), which Flux does not manage
          if (!"status".equals(entry.getSubresource())) {
            assertThat(entry.getFieldsV1().getAdditionalProperties())
                .as("%s: %s writes only the Rollout's status and its own finalizer: %s", id, entry.getManager(), fields)
                .isEqualTo(Map.of("f:metadata", Map.of("f:finalizers", Map.of("v:\"sluice.dev/release\"", Map.of()))));
          }
        } else if ("Service".equals(object.getKind())) {
          // the selector is an atomic map: pinning its hash key takes the whole map; the
          // Kustomization's ignore rule keeps that key out of Flux's drift detection
          assertThat(entry.getFieldsV1().getAdditionalProperties())
              .as("%s: %s owns only the Service's selector: %s", id, entry.getManager(), fields)
              .isEqualTo(Map.of("f:spec", Map.of("f:selector", Map.of())));
        } else {
          assertThat(entry).as("%s: nobody but Flux writes it, found %s: %s", id, entry.getManager(), fields).isNull();
        }
      }
    }
  }

  @Test
  @Order(3)
  void aBadReleaseIsAbortedTrafficStaysOnStableAndFluxReportsTheRolloutFailed() {
    badCommit = repo.commit("shop crashloop", appFiles("registry.example/shop:crashloop"));
    timeline.mark("commit " + badCommit.substring(0, 7) + " \"shop crashloop\" (bad)");

    GitOpsSnapshot failed = awaitSnapshot("Flux reports the health check failed", s -> s.attempted() != null
        && s.attempted().endsWith(badCommit) && "False".equals(s.ready().status())
        && "HealthCheckFailed".equals(s.ready().reason()));

    RolloutStatus status = rollouts.status(APP);
    System.out.printf("[gitops-timeline] Flux says: %s: %s%n[gitops-timeline] Sluice says: %s%n", failed.ready().reason(),
        failed.ready().message(), status.message());
    assertThat(failed.ready().message()).contains("Rollout/" + ns + "/" + APP + " status: 'Failed'");
    assertThat(failed.applied()).as("Flux's last applied revision stays the good one").doesNotEndWith(badCommit);
    assertThat(status.phase()).isEqualTo("Degraded");
    assertThat(status.abort()).as("Sluice aborted the update at its progress deadline").isTrue();
    assertThat(Rollouts.condition(status, "Stalled")).hasValueSatisfying(c -> {
      assertThat(c.status()).isEqualTo("True");
      assertThat(c.message()).startsWith("Rollout aborted update to revision");
      assertThat(status.message()).isEqualTo("RolloutAborted: " + c.message());
    });
    assertThat(status.stableRS()).isEqualTo(goodHash);
    await("traffic on the stable pods only").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
      assertThat(serviceSelectorHash(APP + "-stable")).isEqualTo(goodHash);
      assertThat(serviceSelectorHash(APP + "-canary")).isEqualTo(goodHash);
      assertThat(rollouts.readyPodsByHash(APP)).isEqualTo(Map.of(goodHash, REPLICAS));
    });
  }

  @Test
  @Order(4)
  void aRevertIsHealthyAtOnceOnTheOldTemplateWithoutSteps() {
    Set<String> replicaSetsBefore = replicaSetNames();
    String commit = repo.revert(badCommit);
    timeline.mark("commit " + commit.substring(0, 7) + " revert of " + badCommit.substring(0, 7));

    awaitSnapshot("Flux Ready on the revert with the rollout Healthy", s -> s.applied() != null && s.applied().endsWith(commit)
        && s.fluxReady() && "Healthy".equals(s.phase()) && GOOD.equals(s.image()));

    assertThat(timeline.sinceMark()).as("no step ran: no canary weight, never paused, the stable never changed")
        .allSatisfy(s -> {
          assertThat(s.weight() == null || s.weight() == 0 || s.weight() == 100).as("no canary share, weight %s", s.weight()).isTrue();
          assertThat(s.phase()).isNotEqualTo("Paused");
          assertThat(s.stableHash()).isEqualTo(goodHash);
        });
    assertThat(replicaSetNames()).as("no new ReplicaSet").isEqualTo(replicaSetsBefore);
    assertThat(rollouts.status(APP).currentPodHash()).isEqualTo(goodHash);
    await("the crashloop canary scaled away").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(300))
        .untilAsserted(() -> assertThat(rollouts.readyPodsByHash(APP)).isEqualTo(Map.of(goodHash, REPLICAS)));
  }

  @Test
  @Order(5)
  void aHandEditIsPutBackByFluxAndLeavesNoCanary() {
    timeline.mark("hand edit: kubectl patch the Rollout's image to registry.example/shop:hotfix");
    String out = cluster.kubectl("-n", ns, "patch", "rollout", APP, "--type", "json", "-p",
        "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\",\"value\":\"registry.example/shop:hotfix\"}]");
    assertThat(out).contains("patched");

    awaitSnapshot("Flux puts Git's image back and the rollout is Healthy on it", s -> GOOD.equals(s.image()) && s.fluxReady()
        && "Healthy".equals(s.phase()) && goodHash.equals(s.currentHash()) && goodHash.equals(s.stableHash()));
    await("no canary left behind").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
      assertThat(rollouts.readyPodsByHash(APP)).isEqualTo(Map.of(goodHash, REPLICAS));
      assertThat(rollouts.replicaSets(APP)).allSatisfy(rs -> {
        String hash = rs.getMetadata().getLabels().get(SluiceLabels.POD_TEMPLATE_HASH);
        assertThat(rs.getSpec().getReplicas()).as("replicas of %s", hash).isEqualTo(goodHash.equals(hash) ? REPLICAS : 0);
      });
      assertThat(serviceSelectorHash(APP + "-stable")).isEqualTo(goodHash);
      assertThat(serviceSelectorHash(APP + "-canary")).isEqualTo(goodHash);
    });
  }

  private GitOpsSnapshot awaitSnapshot(String what, Predicate<GitOpsSnapshot> state) {
    return await(what).atMost(FLUX_AND_ROLLOUT).pollInterval(Duration.ofMillis(300))
        .until(() -> GitOpsSnapshot.take(k8s, ns, APP), state);
  }

  private GenericKubernetesResource kustomization() {
    return k8s.genericKubernetesResources("kustomize.toolkit.fluxcd.io/v1", "Kustomization").inNamespace(ns).withName(APP).get();
  }

  /** Flux's inventory ids: namespace_name_group_kind. */
  private List<String> inventory() {
    Map<?, ?> status = (Map<?, ?>) kustomization().getAdditionalProperties().get("status");
    List<?> entries = (List<?>) ((Map<?, ?>) status.get("inventory")).get("entries");
    return entries.stream().map(e -> String.valueOf(((Map<?, ?>) e).get("id"))).toList();
  }

  private HasMetadata inventoryObject(String id) {
    String[] parts = id.split("_");
    String name = parts[1];
    return switch (parts[3]) {
      case "Service" -> k8s.services().inNamespace(ns).withName(name).get();
      default -> k8s.genericKubernetesResources(parts[2] + "/v1alpha1", parts[3]).inNamespace(ns).withName(name).get();
    };
  }

  /** The field ownership Flux's server-side apply holds on each object, by inventory id. */
  private Map<String, ManagedFieldsEntry> fluxFieldsOf(List<String> inventory) {
    Map<String, ManagedFieldsEntry> owned = new TreeMap<>();
    for (String id : inventory) {
      owned.put(id, inventoryObject(id).getMetadata().getManagedFields().stream()
          .filter(e -> "kustomize-controller".equals(e.getManager())).findFirst().orElseThrow());
    }
    return owned;
  }

  private String serviceSelectorHash(String service) {
    return k8s.services().inNamespace(ns).withName(service).get().getSpec().getSelector().get(SluiceLabels.POD_TEMPLATE_HASH);
  }

  private Set<String> replicaSetNames() {
    return rollouts.replicaSets(APP).stream().map(ReplicaSet::getMetadata).map(m -> m.getName()).collect(Collectors.toSet());
  }

  private Map<String, String> appFiles(String image) {
    String smokeUrl = "http://127.0.0.1:" + smokeEndpoint.getAddress().getPort() + "/health";
    return Map.of(
        "app/kustomization.yaml", """
            apiVersion: kustomize.config.k8s.io/v1beta1
            kind: Kustomization
            resources: [services.yaml, analysis.yaml, rollout.yaml]
            """,
        "app/services.yaml", """
            apiVersion: v1
            kind: Service
            metadata: {name: %1$s-stable}
            spec:
              selector: {app: %1$s}
              ports: [{port: 80, targetPort: 8080}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: %1$s-canary}
            spec:
              selector: {app: %1$s}
              ports: [{port: 80, targetPort: 8080}]
            """.formatted(APP),
        "app/analysis.yaml", """
            apiVersion: sluice.dev/v1alpha1
            kind: AnalysisTemplate
            metadata: {name: smoke}
            spec:
              metrics:
              - name: health
                successCondition: result == true
                provider:
                  web: {url: '%s', jsonPath: '{$.ok}'}
            """.formatted(smokeUrl),
        "app/rollout.yaml", """
            apiVersion: sluice.dev/v1alpha1
            kind: Rollout
            metadata: {name: %1$s}
            spec:
              replicas: %2$d
              progressDeadlineSeconds: 30
              progressDeadlineAbort: true
              selector:
                matchLabels: {app: %1$s}
              template:
                metadata:
                  labels: {app: %1$s}
                spec:
                  containers:
                  - {name: app, image: '%3$s'}
              strategy:
                canary:
                  canaryService: %1$s-canary
                  stableService: %1$s-stable
                  steps:
                  - setWeight: 25
                  - pause: {duration: 5s}
                  - analysis: {templates: [{templateName: smoke}]}
                  - setWeight: 75
                  - pause: {duration: 5s}
            """.formatted(APP, REPLICAS, image));
  }

  private String gitRepositoryAndKustomization() {
    return """
        apiVersion: source.toolkit.fluxcd.io/v1
        kind: GitRepository
        metadata: {name: %1$s}
        spec:
          url: %2$s
          ref: {branch: main}
          interval: 5s
          timeout: 60s
        ---
        apiVersion: kustomize.toolkit.fluxcd.io/v1
        kind: Kustomization
        metadata: {name: %1$s}
        spec:
          sourceRef: {kind: GitRepository, name: %1$s}
          path: ./app
          targetNamespace: %3$s
          prune: true
          wait: true
          interval: 15s
          retryInterval: 5s
          timeout: 3m
          # Service.spec.selector is an atomic map: the key Sluice pins would otherwise be drift to
          # Flux, which would re-apply the Services (dropping the pin) at every interval
          ignore:
          - paths: ["/spec/selector/sluice.dev~1pod-template-hash"]
            target: {kind: Service}
        """.formatted(APP, repo.url(), ns);
  }

  /** The smoke test's endpoint on 127.0.0.1: always healthy. */
  private static HttpServer smokeEndpoint() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
      server.createContext("/", exchange -> {
        byte[] body = "{\"ok\": true}".getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
      });
      server.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
