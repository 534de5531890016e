package dev.sluice.controller;

import dev.sluice.controller.client.ChaChaFirstTls;
import dev.sluice.controller.client.ClientRateLimit;
import dev.sluice.controller.metrics.ControllerMetrics;
import dev.sluice.controller.serialization.ClientSerialization;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import dev.sluice.analysis.provider.AddressRange;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar sluice-controller.jar [--kubeconfig FILE] [--namespace NS]... [--health-port 8080]
 * [--leader-elect --leader-election-namespace NS] [--notifications-namespace NS] [--metric-allow-cidr CIDR]...
 * [--metric-deny-cidr CIDR]... [--kube-api-qps N] [--kube-api-burst N]}. The address ranges the HTTP metric providers
 * (prometheus, judge, web) may reach are --metric-allow-cidr (only these) and --metric-deny-cidr (never these);
 * --web-metric-allow-cidr and --web-metric-deny-cidr are their former names, still accepted. Requests to the API server are
 * limited to --kube-api-qps a second (default 100; 0: no limit) with bursts of --kube-api-burst (default 200). Without --kubeconfig it uses KUBECONFIG,
 * ~/.kube/config or the in-cluster service account, like kubectl. Prometheus metrics are on the
 * health port, path {@code /metrics}. Notifications are configured by the ConfigMap
 * sluice-notifications in --notifications-namespace (default: the controller's own, POD_NAMESPACE).
 */
public final class Main {
  private static final Logger log = LoggerFactory.getLogger(Main.class);

  public static void main(String[] args) throws Exception {
    String kubeconfig = null;
    String healthHost = "0.0.0.0";
    int healthPort = 8080;
    boolean leaderElect = false;
    String leaseNamespace = System.getenv().getOrDefault("POD_NAMESPACE", "default");
    String notificationsNamespace = System.getenv().getOrDefault("POD_NAMESPACE", "default");
    Set<String> namespaces = new LinkedHashSet<>();
    List<AddressRange> metricAllow = new ArrayList<>();
    List<AddressRange> metricDeny = new ArrayList<>();
    double apiQps = ClientRateLimit.DEFAULT_QPS;
    int apiBurst = ClientRateLimit.DEFAULT_BURST;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--kubeconfig" -> kubeconfig = value(args, ++i, a);
        case "--namespace" -> namespaces.add(value(args, ++i, a));
        case "--health-port" -> healthPort = Integer.parseInt(value(args, ++i, a));
        case "--health-address" -> healthHost = value(args, ++i, a);
        case "--leader-elect" -> leaderElect = true;
        case "--leader-election-namespace" -> leaseNamespace = value(args, ++i, a);
        case "--notifications-namespace" -> notificationsNamespace = value(args, ++i, a);
        case "--metric-allow-cidr", "--web-metric-allow-cidr" -> metricAllow.add(range(value(args, ++i, a), a));
        case "--metric-deny-cidr", "--web-metric-deny-cidr" -> metricDeny.add(range(value(args, ++i, a), a));
        case "--kube-api-qps" -> apiQps = number(value(args, ++i, a), a, 0);
        case "--kube-api-burst" -> apiBurst = (int) number(value(args, ++i, a), a, 1);
        case "--help", "-h" -> {
          System.out.println("usage: sluice-controller [--kubeconfig FILE] [--namespace NS]... [--health-address ADDR]"
              + " [--health-port PORT] [--leader-elect] [--leader-election-namespace NS] [--notifications-namespace NS]"
              + " [--metric-allow-cidr CIDR]... [--metric-deny-cidr CIDR]... (former names: --web-metric-allow-cidr, --web-metric-deny-cidr)"
              + " [--kube-api-qps N (default " + (int) ClientRateLimit.DEFAULT_QPS + "; 0: no limit)]"
              + " [--kube-api-burst N (default " + ClientRateLimit.DEFAULT_BURST + ")]");
          return;
        }
        default -> usage("unknown argument: " + a + " (args: " + Arrays.toString(args) + ")");
      }
    }
    Config config = kubeconfig == null ? Config.autoConfigure(null)
        : Config.fromKubeconfig(null, Files.readString(Path.of(kubeconfig)), kubeconfig);
    // a request that fails is not retried inside the reconcile (fabric8 would back off up to 3.2 s
    // between tries, holding the thread): the reconcile fails and is retried (see RolloutReconciler)
    config.setRequestRetryBackoffLimit(0);
    var metrics = new ControllerMetrics();
    double qps = apiQps;
    int burst = apiBurst;
    var client = new KubernetesClientBuilder().withConfig(config)
        .withHttpClientFactory(ChaChaFirstTls.httpClientFactory(config))
        .withHttpClientBuilderConsumer(http -> {
          metrics.instrument(http);
          ClientRateLimit.install(http, qps, burst, metrics::rateLimitWait);
        })
        // one Rollout that cannot be read must not stop the informers that serve every namespace
        .withKubernetesSerialization(ClientSerialization.create())
        .build();
    String identity = System.getenv().getOrDefault("POD_NAME", java.net.InetAddress.getLocalHost().getHostName())
        + "-" + ProcessHandle.current().pid();
    var options = new SluiceController.Options(Set.copyOf(namespaces), leaderElect ? leaseNamespace : null, identity, metricAllow, metricDeny,
        notificationsNamespace);
    var controller = new SluiceController(client, options, Clock.systemUTC(), metrics);
    var health = new HealthServer(healthHost, healthPort, controller::ready, metrics::scrape);
    var stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      controller.close();
      health.close();
      client.close();
      metrics.close();
      stopped.countDown();
    }));
    controller.start();
    log.info("sluice-controller started: api server {}, namespaces {}, leader election {}, health on {}:{} (/healthz, /readyz, /metrics)",
        config.getMasterUrl(), namespaces.isEmpty() ? "all" : namespaces,
        leaderElect ? "Lease " + leaseNamespace + "/" + SluiceController.LEASE_NAME : "off", healthHost, health.port());
    stopped.await();
  }

  private static double number(String text, String flag, double min) {
    try {
      double value = Double.parseDouble(text);
      if (!(value >= min) || value > 1_000_000) {
        usage(flag + ": must be between " + (int) min + " and 1000000, got " + text);
      }
      return value;
    } catch (NumberFormatException e) {
      usage(flag + ": not a number: " + text);
      return 0;
    }
  }

  private static AddressRange range(String text, String flag) {
    try {
      return AddressRange.parse(text);
    } catch (IllegalArgumentException e) {
      usage(flag + ": " + e.getMessage());
      return null;
    }
  }

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length) usage(flag + " needs a value");
    return args[i];
  }

  private static void usage(String problem) {
    System.err.println("sluice-controller: " + problem);
    System.exit(2);
  }
}
