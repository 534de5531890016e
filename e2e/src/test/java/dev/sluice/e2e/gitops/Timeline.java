package dev.sluice.e2e.gitops;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Samples the GitOps loop in the background and keeps every change, with the time since the last
 * mark (a commit, a hand edit): the timeline a person would reconstruct from the cluster. It
 * reports, it does not wait: tests wait with Awaitility and may check the samples afterwards.
 */
final class Timeline implements AutoCloseable {
  record Entry(Duration sinceMark, String mark, GitOpsSnapshot snapshot) {}

  private final Supplier<GitOpsSnapshot> observe;
  private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "gitops-timeline");
    t.setDaemon(true);
    return t;
  });
  private final List<Entry> entries = new ArrayList<>();
  private long markNanos = System.nanoTime();
  private String mark = "start";
  private String lastLine;

  Timeline(Supplier<GitOpsSnapshot> observe) {
    this.observe = observe;
    poller.scheduleWithFixedDelay(this::sample, 0, 200, TimeUnit.MILLISECONDS);
  }

  /** Starts a new section of the timeline (a commit, a hand edit): times are counted from here. */
  synchronized void mark(String what) {
    markNanos = System.nanoTime();
    mark = what;
    lastLine = null;
    print("%n[gitops-timeline] ---- %s%n".formatted(what));
  }

  /** Every change seen since the last mark. */
  synchronized List<GitOpsSnapshot> sinceMark() {
    return entries.stream().filter(e -> e.mark().equals(mark)).map(Entry::snapshot).toList();
  }

  private void sample() {
    long takenAt = System.nanoTime();
    GitOpsSnapshot s;
    try {
      s = observe.get();
    } catch (RuntimeException e) {
      return; // a slow or failed read is a missing sample, not a failure
    }
    synchronized (this) {
      if (takenAt < markNanos) return; // read before the mark: it belongs to the section before
      String line = s.line();
      if (line.equals(lastLine)) return;
      lastLine = line;
      Duration since = Duration.ofNanos(System.nanoTime() - markNanos);
      entries.add(new Entry(since, mark, s));
      print("[gitops-timeline] %6.1fs  %s%n".formatted(since.toMillis() / 1000.0, line));
    }
  }

  private static void print(String text) {
    System.out.print(text);
    System.out.flush();
  }

  @Override
  public void close() {
    poller.shutdownNow();
  }
}
