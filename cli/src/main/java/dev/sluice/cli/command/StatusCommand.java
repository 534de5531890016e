package dev.sluice.cli.command;

import dev.sluice.cli.CliException;
import dev.sluice.cli.kube.KubeConnection;
import dev.sluice.cli.kube.RolloutClient;
import dev.sluice.cli.kube.RolloutReads;
import dev.sluice.cli.kube.RolloutWatch;
import dev.sluice.cli.render.RolloutHealth;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * As {@code kubectl argo rollouts status}: watches by default until the rollout is Healthy or
 * Degraded, a pause included (it ends only by a promote or the timeout); {@code --watch=false}
 * prints the status once.
 */
@Command(name = "status", description = {
    "Watch the rollout until it is Healthy (exit 0) or Degraded (exit 1), printing each change, as kubectl argo rollouts status does.",
    "Degraded: aborted, a failed analysis, an invalid spec, the progress deadline. A pause is not the end: the watch goes on until promoted.",
    "With --timeout: give up after that long (exit 2). With --watch=false: print the status once; exit 1 if Degraded, else 0.",
    "Meant for CI: kubectl sluice set image app app=img:2 && kubectl sluice status app --timeout 10m"})
public final class StatusCommand extends BaseCommand implements Callable<Integer> {
  public static final int TIMED_OUT = 2;

  @Parameters(index = "0", paramLabel = "NAME", description = "The rollout")
  String name;

  @Option(names = {"-w", "--watch"}, arity = "0..1", defaultValue = "true", fallbackValue = "true", paramLabel = "BOOL",
      description = "Watch until the rollout is Healthy or Degraded (default true); --watch=false prints the status once")
  boolean watch;

  @Option(names = {"-t", "--timeout"}, paramLabel = "DURATION",
      description = "Stop watching after this long, e.g. 60s, 10m; 0 (the default) waits forever")
  Duration timeout;

  @Override
  public Integer call() {
    if (!watch && timeout != null) {
      throw new ParameterException(spec.commandLine(), "--timeout is for the watch: it cannot go with --watch=false");
    }
    if (!watch) return read(false, this::once);
    try (KubeConnection connection = connect(false)) {
      RolloutClient rollouts = new RolloutClient(connection.client(), connection.namespace());
      rollouts.require(name);
      return await(rollouts);
    }
  }

  private int once(RolloutReads rollouts) {
    RolloutHealth.Health health = RolloutHealth.of(rollouts.require(name));
    out().println(health.line());
    return health.verdict() == RolloutHealth.Verdict.DEGRADED ? health.verdict().exitCode() : 0;
  }

  private int await(RolloutClient rollouts) {
    Instant deadline = timeout == null || timeout.isZero() ? null : root().clock().instant().plus(timeout);
    String lastLine = null;
    try (RolloutWatch rolloutWatch = RolloutWatch.start(rollouts, name, false)) {
      while (true) {
        Optional<RolloutWatch.Snapshot> snapshot;
        if (deadline == null) {
          snapshot = Optional.of(rolloutWatch.nextChange());
        } else {
          Duration left = Duration.between(root().clock().instant(), deadline);
          snapshot = left.isNegative() || left.isZero() ? Optional.empty() : rolloutWatch.nextChange(left);
        }
        if (snapshot.isEmpty()) {
          err().println("error: rollout \"" + name + "\" did not become Healthy within " + format(timeout)
              + (lastLine == null ? "" : " (last status: " + lastLine + ")"));
          return TIMED_OUT;
        }
        if (snapshot.get().rollout() == null) {
          throw new CliException("rollout \"" + name + "\" was deleted");
        }
        RolloutHealth.Health health = RolloutHealth.of(snapshot.get().rollout());
        if (!health.line().equals(lastLine)) {
          out().println(health.line());
          out().flush();
          lastLine = health.line();
        }
        if (health.verdict() != RolloutHealth.Verdict.IN_PROGRESS) {
          return health.verdict().exitCode();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 130;
    }
  }

  private static String format(Duration d) {
    return d.toString().substring(2).toLowerCase(Locale.ROOT);
  }
}
