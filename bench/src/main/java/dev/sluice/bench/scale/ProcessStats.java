package dev.sluice.bench.scale;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** A process's CPU time, resident memory and threads, read from /proc; the peak RSS sampled every 200 ms. */
final class ProcessStats implements AutoCloseable {
  /** USER_HZ: the unit of utime/stime in /proc/PID/stat (100 on every Linux this runs on). */
  private static final double TICKS_PER_SECOND = 100;

  record Sample(double cpuSeconds, long rssBytes, long threads) {}

  private final long pid;
  private final AtomicLong peakRss = new AtomicLong();
  private final AtomicLong peakThreads = new AtomicLong();
  private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "proc-sampler");
    t.setDaemon(true);
    return t;
  });

  ProcessStats(long pid) {
    this.pid = pid;
    sampler.scheduleAtFixedRate(() -> {
      try {
        Sample s = now();
        peakRss.accumulateAndGet(s.rssBytes(), Math::max);
        peakThreads.accumulateAndGet(s.threads(), Math::max);
      } catch (RuntimeException gone) {
        // the process ended; the last samples stand
      }
    }, 0, 200, TimeUnit.MILLISECONDS);
  }

  Sample now() {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // fields after the command name in parentheses: state is field 3, utime 14, stime 15
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      double cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
      long rss = 0;
      long threads = 0;
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          rss = Long.parseLong(line.replaceAll("\\D", "")) * 1024;
        } else if (line.startsWith("Threads:")) {
          threads = Long.parseLong(line.replaceAll("\\D", ""));
        }
      }
      return new Sample(cpu, rss, threads);
    } catch (IOException e) {
      throw new IllegalStateException("process " + pid + " is gone", e);
    }
  }

  /**
   * CPU ticks of each thread alive now, by thread id, with its name as the kernel has it (the JVM gives a native
   * thread the first 15 characters of its Java name: "C1 CompilerThre", "VM Thread", "pool-3-thread-7").
   */
  ThreadTimes threadTimes() {
    Map<Long, ThreadTime> byId = new HashMap<>();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path task : tasks) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          byId.put(Long.parseLong(task.getFileName().toString()), new ThreadTime(name, Long.parseLong(f[11]) + Long.parseLong(f[12])));
        } catch (IOException ended) {
          // the thread ended while the directory was read
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("process " + pid + " is gone", e);
    }
    return new ThreadTimes(byId);
  }

  record ThreadTime(String name, long ticks) {}

  /** Threads' CPU ticks at one moment. */
  record ThreadTimes(Map<Long, ThreadTime> byId) {
    static final ThreadTimes NONE = new ThreadTimes(Map.of());

    /**
     * CPU-seconds since {@code before} by thread name with the numbers after a - or # folded to # (a pool is one
     * line; "C1 CompilerThre" stays), largest first; a thread that ended in between is missing (its CPU is in the process's total only).
     */
    Map<String, Double> secondsSince(ThreadTimes before) {
      Map<String, Long> ticks = new HashMap<>();
      byId.forEach((id, t) -> {
        ThreadTime was = before.byId().get(id);
        long since = was != null && was.name().equals(t.name()) ? t.ticks() - was.ticks() : t.ticks();
        ticks.merge(t.name().replaceAll("(?<=[-#])\\d+", "#"), since, Long::sum);
      });
      Map<String, Double> seconds = new LinkedHashMap<>();
      ticks.entrySet().stream().filter(e -> e.getValue() > 0)
          .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
          .forEach(e -> seconds.put(e.getKey(), e.getValue() / TICKS_PER_SECOND));
      return seconds;
    }
  }

  long peakRssBytes() {
    return peakRss.get();
  }

  long peakThreads() {
    return peakThreads.get();
  }

  @Override
  public void close() {
    sampler.shutdownNow();
  }
}
