package dev.sluice.analysis.work;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs tasks on a bounded set of threads, fairly between namespaces: each namespace has its own
 * queue, namespaces take turns, and no namespace holds more than {@code perNamespace} threads at
 * once. So one tenant's slow or numerous measurements wait behind each other, never in front of
 * another tenant's. Idle threads end after a while.
 */
public final class NamespaceFairExecutor implements AutoCloseable {
  private final int workers;
  private final int perNamespace;
  private final ThreadPoolExecutor threads;
  private final Map<String, ArrayDeque<Runnable>> queued = new HashMap<>();
  /** Namespaces with queued tasks, in the order they get their next turn. */
  private final ArrayDeque<String> turns = new ArrayDeque<>();
  private final Map<String, Integer> running = new HashMap<>();
  private int busy;

  public NamespaceFairExecutor(int workers, int perNamespace) {
    if (workers < 1 || perNamespace < 1) {
      throw new IllegalArgumentException("workers and perNamespace must be at least 1");
    }
    this.workers = workers;
    this.perNamespace = Math.min(perNamespace, workers);
    AtomicInteger count = new AtomicInteger();
    threads = new ThreadPoolExecutor(workers, workers, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
      Thread t = new Thread(r, "sluice-measurement-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    threads.allowCoreThreadTimeOut(true);
  }

  public synchronized void submit(String namespace, Runnable task) {
    queued.computeIfAbsent(namespace, n -> new ArrayDeque<>()).add(task);
    if (!turns.contains(namespace)) {
      turns.add(namespace);
    }
    dispatch();
  }

  /** Tasks waiting for a thread, in all namespaces. */
  public synchronized int waiting() {
    return queued.values().stream().mapToInt(ArrayDeque::size).sum();
  }

  private void dispatch() {
    while (busy < workers && !threads.isShutdown()) {
      String namespace = nextTurn();
      if (namespace == null) {
        return;
      }
      ArrayDeque<Runnable> tasks = queued.get(namespace);
      Runnable task = tasks.poll();
      if (tasks.isEmpty()) {
        queued.remove(namespace);
      } else {
        turns.add(namespace);
      }
      running.merge(namespace, 1, Integer::sum);
      busy++;
      threads.execute(() -> {
        try {
          task.run();
        } finally {
          finished(namespace);
        }
      });
    }
  }

  /** The first namespace in turn that may start another task, taken out of the turns. */
  private String nextTurn() {
    for (Iterator<String> it = turns.iterator(); it.hasNext(); ) {
      String namespace = it.next();
      if (running.getOrDefault(namespace, 0) < perNamespace) {
        it.remove();
        return namespace;
      }
    }
    return null;
  }

  private synchronized void finished(String namespace) {
    busy--;
    running.computeIfPresent(namespace, (n, c) -> c == 1 ? null : c - 1);
    dispatch();
  }

  @Override
  public void close() {
    synchronized (this) {
      queued.clear();
      turns.clear();
    }
    threads.shutdownNow();
  }
}
