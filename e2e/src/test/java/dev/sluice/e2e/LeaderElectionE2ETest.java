package dev.sluice.e2e;

import static dev.sluice.e2e.Rollouts.hasCondition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.e2e.RealCluster.TestNamespace;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Two controller processes: one Lease holder reconciles; when it dies the other takes over. */
@RealCluster
class LeaderElectionE2ETest {
  private static final Path LOGS = Path.of("target", "controller-logs");
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static String holder(KubernetesClient k8s, TestNamespace ns) {
    Lease lease = k8s.leases().inNamespace(ns.name()).withName("sluice-controller").get();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }

  private static int get(int port, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /** The sum of the controller's {@code sluice_kubernetes_api_requests_total} for one verb and resource, from its /metrics. */
  private static double requests(int port, String verb, String resource) throws Exception {
    String page = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    return page.lines()
        .filter(l -> l.startsWith("sluice_kubernetes_api_requests_total{") && l.contains("verb=\"" + verb + "\"")
            && l.contains("resource=\"" + resource + "\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  @Test
  void onlyTheLeaseHolderReconcilesAndAStandbyTakesOverWhenItDies(LocalCluster cluster, KubernetesClient k8s, TestNamespace ns)
      throws Exception {
    var rollouts = new Rollouts(k8s, ns.name());
    try (var a = new ControllerProcess(cluster, ns.name(), LOGS.resolve("leader-a.log"), "--leader-elect", "--leader-election-namespace", ns.name());
         var b = new ControllerProcess(cluster, ns.name(), LOGS.resolve("leader-b.log"), "--leader-elect", "--leader-election-namespace", ns.name())) {
      await().atMost(Duration.ofSeconds(60)).until(() -> holder(k8s, ns) != null && a.healthPort().isPresent() && b.healthPort().isPresent());
      for (var c : List.of(a, b)) {
        int port = c.healthPort().getAsInt();
        await().atMost(Duration.ofSeconds(30)).until(() -> get(port, "/healthz") == 200 && get(port, "/readyz") == 200);
      }
      String first = holder(k8s, ns);
      ControllerProcess leader = first.endsWith("-" + a.pid()) ? a : b;
      ControllerProcess standby = leader == a ? b : a;
      assertThat(first).endsWith("-" + leader.pid());

      // the holder renews with a write alone; the stand-by reads the Lease and nothing else
      int leaderPort = leader.healthPort().getAsInt();
      int standbyPort = standby.healthPort().getAsInt();
      double leaseReads = requests(leaderPort, "get", "leases");
      double renewals = requests(leaderPort, "update", "leases");
      await().atMost(Duration.ofSeconds(30)).until(() -> requests(leaderPort, "update", "leases") >= renewals + 2);
      assertThat(requests(leaderPort, "get", "leases")).as("the holder renews without reading the Lease").isEqualTo(leaseReads);
      assertThat(requests(standbyPort, "get", "leases")).as("the stand-by looks at the Lease").isPositive();
      assertThat(requests(standbyPort, "list", "rollouts") + requests(standbyPort, "watch", "rollouts")
          + requests(standbyPort, "list", "replicasets") + requests(standbyPort, "watch", "replicasets"))
          .as("the stand-by lists and watches nothing").isZero();

      rollouts.create(Rollouts.manifest("le", 2, "registry.example/app:1.0", "", "", "- setWeight: 50"));
      await().atMost(Duration.ofSeconds(60)).until(() -> hasCondition(rollouts.status("le"), "Healthy", "True"));
      assertThat(leader.output()).as("the leader logs the rollout's transitions").contains(ns.name() + "/le ");
      assertThat(standby.output()).as("the standby reconciles nothing").doesNotContain(ns.name() + "/le ");

      leader.kill();
      System.out.println("[leader] killed the Lease holder " + first);
      await().atMost(Duration.ofSeconds(90)).until(() -> {
        String h = holder(k8s, ns);
        return h != null && h.endsWith("-" + standby.pid());
      });
      System.out.println("[leader] the standby took the Lease: " + holder(k8s, ns));

      rollouts.setImage("le", "registry.example/app:2.0");
      await().atMost(Duration.ofSeconds(60)).until(() -> {
        var s = rollouts.status("le");
        return hasCondition(s, "Healthy", "True") && s.stableRS().equals(s.currentPodHash())
            && rollouts.get("le").getMetadata().getGeneration().equals(s.observedGeneration());
      });
      assertThat(standby.output()).contains(ns.name() + "/le ");
    }
  }

  @Test
  void aLeaderStoppedWithSigtermReleasesTheLeaseAndTheStandbyTakesOverAtOnce(LocalCluster cluster, KubernetesClient k8s,
      TestNamespace ns) throws Exception {
    var rollouts = new Rollouts(k8s, ns.name());
    try (var a = new ControllerProcess(cluster, ns.name(), LOGS.resolve("handover-a.log"), "--leader-elect", "--leader-election-namespace", ns.name());
         var b = new ControllerProcess(cluster, ns.name(), LOGS.resolve("handover-b.log"), "--leader-elect", "--leader-election-namespace", ns.name())) {
      await().atMost(Duration.ofSeconds(60)).until(() -> holder(k8s, ns) != null && a.healthPort().isPresent() && b.healthPort().isPresent()
          && (holder(k8s, ns).endsWith("-" + a.pid()) || holder(k8s, ns).endsWith("-" + b.pid())));
      ControllerProcess leader = holder(k8s, ns).endsWith("-" + a.pid()) ? a : b;
      ControllerProcess standby = leader == a ? b : a;
      rollouts.create(Rollouts.manifest("handover", 2, "registry.example/app:1.0", "", "", "- setWeight: 50"));
      await().atMost(Duration.ofSeconds(60)).until(() -> hasCondition(rollouts.status("handover"), "Healthy", "True"));

      long sigterm = System.nanoTime();
      Duration exit = leader.terminate();
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
        String h = holder(k8s, ns);
        return h != null && h.endsWith("-" + standby.pid());
      });
      Duration takeover = Duration.ofNanos(System.nanoTime() - sigterm);
      System.out.printf("[leader] SIGTERM: the leader exited after %d ms; the stand-by held the Lease %d ms after the SIGTERM%n",
          exit.toMillis(), takeover.toMillis());

      assertThat(leader.alive()).isFalse();
      assertThat(exit).as("exit after SIGTERM").isLessThan(Duration.ofSeconds(5));
      assertThat(leader.output()).contains("released the Lease");
      // the Lease lasts 15 s and a stand-by looks every second: taking over within a second or so of the exit means it was
      // released, not left to expire
      assertThat(takeover).as("stand-by takes over after SIGTERM").isLessThan(Duration.ofMillis(6500));

      rollouts.setImage("handover", "registry.example/app:2.0");
      await().atMost(Duration.ofSeconds(60)).until(() -> {
        var s = rollouts.status("handover");
        return hasCondition(s, "Healthy", "True") && s.stableRS().equals(s.currentPodHash())
            && rollouts.get("handover").getMetadata().getGeneration().equals(s.observedGeneration());
      });
      assertThat(standby.output()).contains(ns.name() + "/handover ");
    }
  }

  @Test
  void aLeaderWhoseLeaseSomeoneElseTookExitsWithoutGivingItBack(LocalCluster cluster, KubernetesClient k8s, TestNamespace ns) throws Exception {
    try (var a = new ControllerProcess(cluster, ns.name(), LOGS.resolve("taken.log"), "--leader-elect", "--leader-election-namespace", ns.name())) {
      await().atMost(Duration.ofSeconds(60)).until(() -> holder(k8s, ns) != null && holder(k8s, ns).endsWith("-" + a.pid()));
      k8s.leases().inNamespace(ns.name()).withName("sluice-controller").edit(l -> {
        l.getSpec().setHolderIdentity("another-replica");
        return l;
      });
      // its next renewal, at most 4 s later, finds the Lease changed and held by another
      await().atMost(Duration.ofSeconds(30)).until(() -> !a.alive());
      assertThat(a.output()).contains("lost the Lease").contains("now held by another-replica").doesNotContain("released the Lease");
      assertThat(holder(k8s, ns)).isEqualTo("another-replica");
    }
  }

  @Test
  void aLeaderThatCannotRenewItsLeaseExitsBeforeAStandbyMayTakeIt(LocalCluster cluster, KubernetesClient k8s, TestNamespace ns)
      throws Exception {
    try (var a = new ControllerProcess(cluster, ns.name(), LOGS.resolve("unrenewed.log"), "--leader-elect", "--leader-election-namespace", ns.name())) {
      await().atMost(Duration.ofSeconds(60)).until(() -> holder(k8s, ns) != null && holder(k8s, ns).endsWith("-" + a.pid()));
      Instant stopping = Instant.now();
      try {
        // the API server stays up without its store: a renewal gets no answer in time
        cluster.run(Duration.ofMinutes(1), "dev/cluster", "stop-etcd");
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(100)).until(() -> !a.alive());
        Duration exit = Duration.between(stopping, Instant.now());
        System.out.printf("[leader] etcd stopped: the leader exited %d ms after the stop began: %s%n", exit.toMillis(),
            a.output().lines().filter(l -> l.contains("lost the Lease")).findFirst().orElse("(no line)"));
        assertThat(a.output()).contains("lost the Lease").contains("could not renew it for 10 s").doesNotContain("released the Lease");
        // its last renewal came before the stop began: it stops reconciling within 10 s of that renewal (the watchdog
        // looks every half second), before a stand-by, which waits the Lease's 15 s, could take over
        assertThat(exit).as("exit after etcd stopped").isLessThan(Duration.ofSeconds(15));
      } finally {
        cluster.run(Duration.ofMinutes(2), "dev/cluster", "start-etcd");
      }
    }
  }
}
