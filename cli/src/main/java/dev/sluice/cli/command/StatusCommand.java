package dev.sluice.cli.command;

import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.cli.CliException;
import dev.sluice.cli.kube.KubeConnection;
import dev.sluice.cli.kube.RolloutClient;
import dev.sluice.cli.kube.RolloutWatch;
import dev.sluice.cli.render.RolloutHealth;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "status", description = {
    "Print the rollout's status; exit 0 if Healthy, 1 if Degraded, 2 if not done (yet).",
    "With --watch: wait for Healthy or Degraded, printing each change; with --timeout: give up after that long (exit 2).",
    "Meant for CI: kubectl sluice set image app app=img:2 && kubectl sluice status app --watch --timeout 10m"})
public final class StatusCommand extends BaseCommand implements Callable<Integer> {
  public static final int TIMED_OUT = 2;

  @Parameters(index = "0", paramLabel = "NAME", description = "The rollout")
  String name;

  @Option(names = {"-w", "--watch"}, description = "Wait until the rollout is Healthy or Degraded")
  boolean watch;

  @Option(names = {"-t", "--timeout"}, paramLabel = "DURATION",
      description = "Stop waiting after this long, e.g. 60s, 10m (implies --watch; default: wait forever)")
  Duration timeout;

  @Override
  public Integer call() {
    try (KubeConnection connection = connect(false)) {
      RolloutClient rollouts = new RolloutClient(connection.client(), connection.namespace());
      Rollout rollout = rollouts.require(name);
      if (!watch && timeout == null) {
        RolloutHealth.Health health = RolloutHealth.of(rollout);
        out().println(health.line());
        return health.verdict() == RolloutHealth.Verdict.IN_PROGRESS ? TIMED_OUT : health.verdict().exitCode();
      }
      return await(rollouts);
    }
  }

  private int await(RolloutClient rollouts) {
    Instant deadline = timeout == null ? null : root().clock().instant().plus(timeout);
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
