package dev.sluice.e2e.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.sluice.e2e.LocalCluster;
import dev.sluice.e2e.RealCluster;
import dev.sluice.e2e.RealCluster.TestNamespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One tenant's web server answers after 60 s, and that tenant has more AnalysisRuns (120) than the
 * controller has reconcile threads: another tenant's run must still be measured at once. Before
 * measurements left the reconcile threads, every thread waited on the slow server and the other
 * tenant's run was not measured within 25 s.
 */
@RealCluster
class MeasurementFairnessE2ETest {
  private static final int SLOW_RUNS = 120;
  private static final CountDownLatch release = new CountDownLatch(1);
  private static final AtomicInteger slowRequests = new AtomicInteger();

  private static HttpServer slow;
  private static HttpServer fast;
  private static ExecutorService serverThreads;
  private static AnalysisController controller;
  private static KubernetesClient k8s;
  private static String otherTenant;

  @BeforeAll
  static void start(LocalCluster cluster, KubernetesClient client, TestNamespace ns) throws IOException {
    k8s = client;
    otherTenant = ns.name().length() > 57 ? ns.name().substring(0, 57) + "-other" : ns.name() + "-other";
    k8s.resource(new NamespaceBuilder().withNewMetadata().withName(otherTenant).addToLabels("sluice.dev/e2e", "true")
        .endMetadata().build()).create();
    serverThreads = Executors.newCachedThreadPool();
    slow = server(true);
    fast = server(false);
    controller = new AnalysisController(cluster, Set.of(ns.name(), otherTenant));
  }

  /** Answers {"ok": true}; the slow one only after 60 s (or when the test ends). */
  private static HttpServer server(boolean slowly) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    server.setExecutor(serverThreads);
    server.createContext("/", exchange -> {
      if (slowly) {
        slowRequests.incrementAndGet();
        try {
          release.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      byte[] body = "{\"ok\": true}".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      try (OutputStream out = exchange.getResponseBody()) {
        exchange.sendResponseHeaders(200, body.length);
        out.write(body);
      } catch (IOException clientGaveUp) {
        // the controller stopped first
      }
    });
    server.start();
    return server;
  }

  @AfterAll
  static void stop() {
    release.countDown();
    if (controller != null) controller.close();
    if (slow != null) slow.stop(0);
    if (fast != null) fast.stop(0);
    if (serverThreads != null) serverThreads.shutdownNow();
    if (otherTenant != null) k8s.namespaces().withName(otherTenant).delete();
  }

  private static String url(HttpServer server) {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Test
  void anotherTenantsRunIsMeasuredWhileOneTenantsServerIsSlow(TestNamespace ns) {
    AnalysisRuns slowTenant = new AnalysisRuns(k8s, ns.name());
    for (int i = 0; i < SLOW_RUNS; i++) {
      slowTenant.create("web-once.yaml", Map.of("NAME", "slow-" + i, "URL", url(slow)));
    }
    await("the slow tenant's measurements are waiting on its server").atMost(Duration.ofSeconds(60))
        .until(() -> slowRequests.get() >= 4);

    AnalysisRuns other = new AnalysisRuns(k8s, otherTenant);
    long created = System.nanoTime();
    other.create("web-once.yaml", Map.of("NAME", "quick", "URL", url(fast)));

    // the slow server answers only after 60 s: finishing well before that means nobody waited on it
    assertThat(other.awaitCompletion("quick", Duration.ofSeconds(25)).phase()).isEqualTo("Successful");
    System.out.printf("other tenant's run completed %d ms after it was created, with %d slow requests waiting%n",
        (System.nanoTime() - created) / 1_000_000, slowRequests.get());
    assertThat(release.getCount()).isEqualTo(1);
    assertThat(slowTenant.status("slow-0") == null || !"Successful".equals(slowTenant.status("slow-0").phase())).isTrue();
  }
}
