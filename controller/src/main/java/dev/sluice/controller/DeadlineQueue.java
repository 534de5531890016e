package dev.sluice.controller;

import dev.sluice.controller.DeadlineFirstExecutor.Queued;
import dev.sluice.controller.client.ClientRateLimit;
import java.time.Clock;
import java.util.AbstractQueue;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.PriorityQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The reconcile queue: tasks in arrival order, except that a task whose deadline has passed when a
 * thread takes the next one goes first, earliest deadline first. The deadline is looked at when a
 * thread takes, not only when the task was queued: JOSDK keeps one task per resource, so a rollout
 * queued for another cause before its pause ended is not queued again by its timer, and must still
 * leave the line when the pause ends. Unbounded, as JOSDK's own queue. While held ({@link #hold()}),
 * tasks queue and none is taken.
 */
final class DeadlineQueue extends AbstractQueue<Runnable> implements BlockingQueue<Runnable> {
  private static final Comparator<Queued> EARLIEST = Comparator.comparing(Queued::deadline).thenComparingLong(Queued::arrival);

  private final Clock clock;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final ArrayDeque<Queued> inOrder = new ArrayDeque<>();
  private final PriorityQueue<Queued> byDeadline = new PriorityQueue<>(EARLIEST);
  private boolean held;

  DeadlineQueue(Clock clock) {
    this.clock = clock;
  }

  @Override
  public boolean offer(Runnable task) {
    Queued queued = task instanceof Queued q ? q : new Queued(task, null, Long.MAX_VALUE);
    lock.lock();
    try {
      inOrder.addLast(queued);
      if (queued.deadline() != null) {
        byDeadline.add(queued);
      }
      notEmpty.signal();
      return true;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void put(Runnable task) {
    offer(task);
  }

  @Override
  public boolean offer(Runnable task, long timeout, TimeUnit unit) {
    return offer(task);
  }

  @Override
  public Runnable poll() {
    lock.lock();
    try {
      return next();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Runnable take() throws InterruptedException {
    lock.lockInterruptibly();
    try {
      Runnable next;
      while ((next = next()) == null) {
        notEmpty.await();
      }
      return next;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Runnable poll(long timeout, TimeUnit unit) throws InterruptedException {
    long nanos = unit.toNanos(timeout);
    lock.lockInterruptibly();
    try {
      Runnable next;
      while ((next = next()) == null) {
        if (nanos <= 0) {
          return null;
        }
        nanos = notEmpty.awaitNanos(nanos);
      }
      return next;
    } finally {
      lock.unlock();
    }
  }

  /** From now on no task is taken until {@link #release()}. */
  void hold() {
    lock.lock();
    try {
      held = true;
    } finally {
      lock.unlock();
    }
  }

  /** Tasks are taken again, in the order of this queue. */
  void release() {
    lock.lock();
    try {
      held = false;
      notEmpty.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Under the lock: the task to run now, taken out of both lines; null when there is none or the
   * queue is held. A task taken for its passed deadline runs with its API requests ahead of the
   * client's rate limit.
   */
  private Runnable next() {
    if (held) {
      return null;
    }
    Queued due = due();
    if (due != null) {
      byDeadline.poll();
      inOrder.remove(due);
      return () -> ClientRateLimit.withoutWaiting(due);
    }
    Queued first = inOrder.pollFirst();
    if (first != null && first.deadline() != null) {
      byDeadline.remove(first);
    }
    return first;
  }

  /** Under the lock: the task with the earliest deadline, if that deadline has passed; else null. */
  private Queued due() {
    Queued earliest = byDeadline.peek();
    return earliest != null && !earliest.deadline().isAfter(clock.instant()) ? earliest : null;
  }

  @Override
  public Runnable peek() {
    lock.lock();
    try {
      if (held) {
        return null;
      }
      Queued due = due();
      return due != null ? due : inOrder.peekFirst();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean remove(Object task) {
    lock.lock();
    try {
      byDeadline.remove(task);
      return inOrder.remove(task);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int size() {
    lock.lock();
    try {
      return inOrder.size();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int remainingCapacity() {
    return Integer.MAX_VALUE;
  }

  /** A copy in arrival order, read-only: remove a task with {@link #remove(Object)}. */
  @Override
  public Iterator<Runnable> iterator() {
    lock.lock();
    try {
      return Collections.unmodifiableList(new ArrayList<Runnable>(inOrder)).iterator();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int drainTo(Collection<? super Runnable> into) {
    return drainTo(into, Integer.MAX_VALUE);
  }

  @Override
  public int drainTo(Collection<? super Runnable> into, int most) {
    lock.lock();
    try {
      int n = 0;
      Runnable next;
      while (n < most && (next = next()) != null) {
        into.add(next);
        n++;
      }
      return n;
    } finally {
      lock.unlock();
    }
  }
}
