package dev.sluice.bench.scale;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
      double cpu = cpuSeconds(pid);
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

  /** A process's user + system CPU time so far, from /proc/PID/stat. */
  static double cpuSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // fields after the command name in parentheses: state is field 3, utime 14, stime 15
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
    } catch (IOException e) {
      throw new IllegalStateException("process " + pid + " is gone", e);
    }
  }

  long pid() {
    return pid;
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
