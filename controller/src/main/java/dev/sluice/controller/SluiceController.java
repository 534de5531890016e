package dev.sluice.controller;

import dev.sluice.analysis.provider.AddressRange;
import dev.sluice.api.v1alpha1.AnalysisRun;
import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.controller.analysis.AnalysisRunReconciler;
import dev.sluice.controller.metrics.ControllerMetrics;
import dev.sluice.controller.metrics.PrimaryCache;
import dev.sluice.controller.rollout.RolloutReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/** The controller as a library: what {@link Main} runs, and what e2e tests start in their own JVM. */
public final class SluiceController implements AutoCloseable {

  /**
   * @param namespaces namespaces to watch; empty = all
   * @param leaderElectionNamespace where the Lease lives; null = no leader election
   */
  public record Options(Set<String> namespaces, String leaderElectionNamespace, String identity,
      List<AddressRange> webMetricAllow, List<AddressRange> webMetricDeny) {
    public Options(Set<String> namespaces, String leaderElectionNamespace, String identity) {
      this(namespaces, leaderElectionNamespace, identity, List.of(), List.of());
    }

    public static Options allNamespaces() {
      return new Options(Set.of(), null, null);
    }
  }

  public static final String LEASE_NAME = "sluice-controller";

  private final Operator operator;
  private final ControllerMetrics metrics;
  private final AnalysisRunReconciler analysisRuns;

  public SluiceController(KubernetesClient client, Options options, Clock clock) {
    this(client, options, clock, null);
  }

  /** @param metrics where reconcile metrics and the rollout/analysis gauges go; null = none */
  public SluiceController(KubernetesClient client, Options options, Clock clock, ControllerMetrics metrics) {
    this.metrics = metrics;
    operator = new Operator(o -> {
      o.withKubernetesClient(client).withCloseClientOnStop(false).withStopOnInformerErrorDuringStartup(false);
      if (metrics != null) o.withMetrics(metrics.operatorMetrics());
      if (options.leaderElectionNamespace() != null) {
        var le = LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(LEASE_NAME)
            .withLeaseNamespace(options.leaderElectionNamespace());
        if (options.identity() != null) le.withIdentity(options.identity());
        o.withLeaderElectionConfiguration(le.build());
      }
    });
    operator.register(new RolloutReconciler(clock), c -> {
      if (!options.namespaces().isEmpty()) c.settingNamespaces(options.namespaces());
    });
    analysisRuns = AnalysisRunReconciler.register(operator, options.namespaces(), clock, options.webMetricAllow(), options.webMetricDeny());
  }

  public SluiceController start() {
    operator.start();
    if (metrics != null) metrics.watch(PrimaryCache.of(operator, Rollout.class), PrimaryCache.of(operator, AnalysisRun.class));
    return this;
  }

  public boolean ready() {
    var info = operator.getRuntimeInfo();
    return info.isStarted() && info.allEventSourcesAreHealthy();
  }

  @Override
  public void close() {
    operator.stop();
    analysisRuns.close();
  }
}
