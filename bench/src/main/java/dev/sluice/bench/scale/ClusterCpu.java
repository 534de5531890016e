package dev.sluice.bench.scale;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CPU-seconds of a dev/cluster control plane's own processes, found through the pid files in its
 * state directory. A process counts only if it is the component and names that directory in its
 * arguments (as dev/cluster starts them all), so another cluster's processes on the machine are never read.
 */
final class ClusterCpu {
  static final List<String> COMPONENTS = List.of("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok");

  private final Map<String, Long> pids;

  private ClusterCpu(Map<String, Long> pids) {
    this.pids = pids;
  }

  /** The cluster of {@code stateDir}; fails if a component is not running from it. */
  static ClusterCpu of(Path stateDir) throws IOException {
    Map<String, Long> pids = new LinkedHashMap<>();
    for (String component : COMPONENTS) {
      Path pidFile = stateDir.resolve("run").resolve(component + ".pid");
      if (!Files.exists(pidFile)) {
        throw new IllegalStateException("no " + pidFile + ": is the cluster of " + stateDir + " up?");
      }
      long pid = Long.parseLong(Files.readString(pidFile).trim());
      Path cmdline = Path.of("/proc", Long.toString(pid), "cmdline");
      List<String> args = Files.exists(cmdline) ? Arrays.asList(Files.readString(cmdline).split("\0")) : List.of();
      if (!belongs(args, component, stateDir)) {
        throw new IllegalStateException(pidFile + " names process " + pid + ", which is not " + component + " of " + stateDir);
      }
      pids.put(component, pid);
    }
    return new ClusterCpu(pids);
  }

  /** Whether a process's arguments are those of {@code component} of the cluster in {@code stateDir}. */
  static boolean belongs(List<String> args, String component, Path stateDir) {
    return !args.isEmpty() && Path.of(args.get(0)).getFileName().toString().equals(component)
        && args.stream().anyMatch(a -> a.contains(stateDir.toString() + "/"));
  }

  /** Each component's CPU-seconds so far. */
  Map<String, Double> now() {
    Map<String, Double> m = new LinkedHashMap<>();
    pids.forEach((component, pid) -> m.put(component, ProcessStats.cpuSeconds(pid)));
    return m;
  }

  /** What each component used from {@code before} to {@code after}, in whole ticks (0.01 s). */
  static Map<String, Double> between(Map<String, Double> before, Map<String, Double> after) {
    Map<String, Double> m = new LinkedHashMap<>();
    after.forEach((component, cpu) -> m.put(component, Math.round((cpu - before.getOrDefault(component, 0.0)) * 100) / 100.0));
    return m;
  }
}
