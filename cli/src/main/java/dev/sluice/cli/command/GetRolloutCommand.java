package dev.sluice.cli.command;

import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.cli.kube.KubeConnection;
import dev.sluice.cli.kube.RolloutClient;
import dev.sluice.cli.kube.RolloutReads;
import dev.sluice.cli.kube.RolloutWatch;
import dev.sluice.cli.render.RolloutTree;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "rollout", aliases = {"rollouts", "ro"}, description = {
    "Show a rollout as a tree: status, strategy, step and weights (canary) or the hash the active and preview Services select (blue-green),",
    "ReplicaSets with their role (stable, canary; stable, active, preview) and AnalysisRuns.",
    "With --watch: redraw on every change until interrupted (Ctrl-C)."})
public final class GetRolloutCommand extends BaseCommand implements Callable<Integer> {
  private static final String CLEAR_SCREEN = "\033[H\033[2J";

  @Parameters(index = "0", paramLabel = "NAME", description = "The rollout")
  String name;

  @Option(names = {"-w", "--watch"}, description = "Redraw whenever the rollout, its ReplicaSets or AnalysisRuns change")
  boolean watch;

  @Override
  public Integer call() {
    if (!watch) return read(false, this::show);
    try (KubeConnection connection = connect(false)) {
      RolloutClient rollouts = new RolloutClient(connection.client(), connection.namespace());
      rollouts.require(name);
      boolean terminal = System.console() != null;
      try (RolloutWatch rolloutWatch = RolloutWatch.start(rollouts, name, true)) {
        String previous = null;
        while (true) {
          RolloutWatch.Snapshot snapshot = rolloutWatch.nextChange();
          if (snapshot.rollout() == null) {
            err().println("rollout \"" + name + "\" was deleted");
            return 1;
          }
          String frame = RolloutTree.render(snapshot.rollout(), snapshot.replicaSets(), snapshot.analysisRuns(), root().clock().instant());
          if (!frame.equals(previous)) {
            out().print(terminal ? CLEAR_SCREEN + frame : (previous == null ? "" : "\n") + frame);
            out().flush();
            previous = frame;
          }
        }
      } catch (InterruptedException e) {
        // Ctrl-C in a terminal ends the JVM; in-process, an interrupt ends the watch the same way
        Thread.currentThread().interrupt();
        return 130;
      }
    }
  }

  private int show(RolloutReads rollouts) {
    Rollout rollout = rollouts.require(name);
    out().print(RolloutTree.render(rollout, rollouts.replicaSets(rollout), rollouts.analysisRuns(rollout), root().clock().instant()));
    out().flush();
    return 0;
  }
}
