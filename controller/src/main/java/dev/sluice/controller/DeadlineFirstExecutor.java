package dev.sluice.controller;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The reconcile threads. JOSDK's own executor runs reconciles in the order they were queued, so in a
 * wave of a thousand updates the reconcile that ends a timed pause waited up to 16 s behind the
 * others (bench/results/2026-12-07-deadline-first.md), and a restarted controller catching up ran
 * overdue pauses after rollouts with nothing due. Here a reconcile whose rollout's deadline has
 * passed runs first, earliest deadline first ({@link DeadlineQueue}); the others keep their order.
 */
final class DeadlineFirstExecutor extends ThreadPoolExecutor {
  private final Function<Runnable, Optional<Instant>> deadline;
  private final AtomicLong arrivals = new AtomicLong();

  /** @param deadline the deadline a task's reconcile is for (e.g. its rollout's pause end), if any */
  DeadlineFirstExecutor(int threads, Function<Runnable, Optional<Instant>> deadline, Clock clock) {
    super(threads, threads, 0, TimeUnit.MILLISECONDS, new DeadlineQueue(clock));
    this.deadline = deadline;
    // a pool's first tasks would go to new threads past the queue, so in arrival order (a restart's catch-up)
    prestartAllCoreThreads();
  }

  /**
   * No reconcile starts until {@link #release()}. A controller starting holds its threads while it
   * queues a reconcile for every rollout: idle threads would otherwise take the first sixteen in the
   * order the informer listed them, before the overdue pauses behind them.
   */
  void hold() {
    queue().hold();
  }

  void release() {
    queue().release();
  }

  @Override
  public void shutdown() {
    queue().release();
    super.shutdown();
  }

  @Override
  public List<Runnable> shutdownNow() {
    queue().release();
    return super.shutdownNow();
  }

  private DeadlineQueue queue() {
    return (DeadlineQueue) getQueue();
  }

  @Override
  public void execute(Runnable task) {
    super.execute(new Queued(task, deadline.apply(task).orElse(null), arrivals.getAndIncrement()));
  }

  /** A task with its deadline (null: none) and place in line. */
  record Queued(Runnable task, Instant deadline, long arrival) implements Runnable {
    @Override
    public void run() {
      task.run();
    }
  }
}
