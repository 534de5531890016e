package dev.sluice.bench.scale;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A process's CPU time by thread, from /proc/PID/task/TID/stat (utime + stime and the thread's name, which
 * the kernel keeps to 15 characters: "C1 CompilerThre"). The kernel counts in clock ticks of 10 ms
 * (USER_HZ 100), charged to whichever thread is running when the tick comes: a thread's figure over a
 * minute is a sample, good to a tick or two, not a measurement of each wake-up.
 */
final class ThreadCpu {
  static final double TICKS_PER_SECOND = 100;

  /** One thread's CPU ticks so far. */
  record Ticks(long tid, String name, long ticks) {}

  /** What a thread (or a group of threads of one name) used between two snapshots. */
  record Use(String name, long tid, double cpuSeconds) {}

  /** A phase's breakdown: the top threads, the same by name with digits folded, and what ended threads used. */
  record Breakdown(double processCpuSeconds, List<Use> topThreads, List<Use> byName, double endedThreadsCpuSeconds) {}

  private ThreadCpu() {}

  /**
   * One line of /proc/PID/task/TID/stat. The name is in parentheses and may itself hold spaces and
   * parentheses, so the fields are counted from the last ')': state is field 3, utime 14, stime 15.
   */
  static Ticks parse(String stat) {
    int open = stat.indexOf('(');
    int close = stat.lastIndexOf(')');
    if (open < 0 || close < open) {
      throw new IllegalArgumentException("not a /proc stat line: " + stat);
    }
    String[] f = stat.substring(close + 2).trim().split(" ");
    return new Ticks(Long.parseLong(stat.substring(0, open).trim()), stat.substring(open + 1, close),
        Long.parseLong(f[11]) + Long.parseLong(f[12]));
  }

  /** Every live thread of the process, by thread id. */
  static Map<Long, Ticks> read(long pid) {
    Map<Long, Ticks> m = new TreeMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path task : tasks.toList()) {
        try {
          Ticks t = parse(Files.readString(task.resolve("stat")));
          m.put(t.tid(), t);
        } catch (NoSuchFileException ended) {
          // the thread ended between the listing and the read
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("process " + pid + ": cannot read its threads", e);
    }
    return m;
  }

  /**
   * What each thread used from {@code before} to {@code after} (a thread started in between counts from
   * zero), the top {@code top} of them, the same summed by name with digits folded to '*' ("GC Thread#0"
   * and "GC Thread#1" are one row), and the rest of the process's own figure: threads that ended in between.
   */
  static Breakdown between(Map<Long, Ticks> before, Map<Long, Ticks> after, double processCpuSeconds, int top) {
    List<Use> threads = new ArrayList<>();
    Map<String, Long> byName = new LinkedHashMap<>();
    long total = 0;
    for (Ticks t : after.values()) {
      Ticks was = before.get(t.tid());
      long used = t.ticks() - (was == null ? 0 : was.ticks());
      if (used > 0) {
        threads.add(new Use(t.name(), t.tid(), used / TICKS_PER_SECOND));
        byName.merge(t.name().replaceAll("\\d+", "*"), used, Long::sum);
        total += used;
      }
    }
    Comparator<Use> most = Comparator.comparingDouble(Use::cpuSeconds).reversed().thenComparing(Use::name);
    List<Use> groups = byName.entrySet().stream().map(e -> new Use(e.getKey(), -1, e.getValue() / TICKS_PER_SECOND))
        .sorted(most).limit(top).toList();
    return new Breakdown(processCpuSeconds, threads.stream().sorted(most).limit(top).toList(), groups,
        Math.max(0, round(processCpuSeconds - total / TICKS_PER_SECOND)));
  }

  private static double round(double seconds) {
    return Math.round(seconds * TICKS_PER_SECOND) / TICKS_PER_SECOND;
  }
}
