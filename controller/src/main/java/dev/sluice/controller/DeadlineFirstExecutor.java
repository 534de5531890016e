package dev.sluice.controller;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The reconcile threads. JOSDK's own executor runs reconciles in the order they were queued, so in a
 * wave of a thousand updates the reconcile that ends a timed pause waited up to 15 s behind the
 * others (bench/results/2026-12-07-deadline-first.md), and a restarted controller catching up ran
 * overdue pauses after rollouts with nothing due. Here a reconcile whose deadline has passed when it
 * is queued runs first, earliest deadline first; the others keep their order. A task is ranked once,
 * when it is queued: a deadline passing while it waits does not move it (its own timer then queues
 * nothing new: JOSDK keeps one task per resource).
 */
final class DeadlineFirstExecutor extends ThreadPoolExecutor {
  private final Function<Runnable, Optional<Instant>> deadline;
  private final Clock clock;
  private final AtomicLong arrivals = new AtomicLong();

  /** @param deadline the deadline a task's reconcile is for (e.g. its rollout's pause end), if any */
  DeadlineFirstExecutor(int threads, Function<Runnable, Optional<Instant>> deadline, Clock clock) {
    super(threads, threads, 0, TimeUnit.MILLISECONDS, new PriorityBlockingQueue<>());
    this.deadline = deadline;
    this.clock = clock;
  }

  @Override
  public void execute(Runnable task) {
    Instant now = clock.instant();
    Instant due = deadline.apply(task).filter(d -> !d.isAfter(now)).orElse(null);
    super.execute(new Queued(task, due, arrivals.getAndIncrement()));
  }

  /** A task with its rank: {@code due} (null: nothing due) first, then arrival. */
  record Queued(Runnable task, Instant due, long arrival) implements Runnable, Comparable<Queued> {
    private static final Comparator<Queued> ORDER = Comparator
        .comparing(Queued::due, Comparator.nullsLast(Comparator.naturalOrder()))
        .thenComparingLong(Queued::arrival);

    @Override
    public void run() {
      task.run();
    }

    @Override
    public int compareTo(Queued other) {
      return ORDER.compare(this, other);
    }
  }
}
