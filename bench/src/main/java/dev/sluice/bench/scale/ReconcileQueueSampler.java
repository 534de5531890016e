package dev.sluice.bench.scale;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Samples Sluice's rollout reconciles running and waiting for a thread (from JOSDK's gauges
 * {@code operator_sdk_reconciliations_executions_rollout} and {@code _queue_size_rollout}) every
 * {@link #EVERY_MILLIS} ms while a phase runs: whether a due pause can start its reconcile at once or
 * waits behind others.
 */
final class ReconcileQueueSampler implements AutoCloseable {
  static final long EVERY_MILLIS = 200;
  private final Callable<String> metrics;
  private final List<double[]> samples = new ArrayList<>();
  private final Thread thread;
  private volatile boolean stop;

  ReconcileQueueSampler(Callable<String> metrics) {
    this.metrics = metrics;
    this.thread = new Thread(this::run, "bench-reconcile-queue");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    while (!stop) {
      try {
        String page = metrics.call();
        double running = ScaleBench.sum(page, "operator_sdk_reconciliations_executions_rollout");
        // JOSDK counts a reconcile in queue_size from its submission to its end: the waiting are those not running
        double waiting = Math.max(0, ScaleBench.sum(page, "operator_sdk_reconciliations_queue_size_rollout") - running);
        synchronized (samples) {
          samples.add(new double[] {running, waiting});
        }
        Thread.sleep(EVERY_MILLIS); // a sampling period, not a wait for something
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        // a scrape that failed is a sample missed
      }
    }
  }

  /** Max and mean of the running and waiting reconciles, and the share of samples with any waiting. */
  void addFigures(Map<String, Double> figures) {
    List<double[]> copy;
    synchronized (samples) {
      copy = List.copyOf(samples);
    }
    if (copy.isEmpty()) {
      return;
    }
    figures.put("rollout reconciles running, max", copy.stream().mapToDouble(s -> s[0]).max().orElse(0));
    figures.put("rollout reconciles running, mean", copy.stream().mapToDouble(s -> s[0]).average().orElse(0));
    figures.put("rollout reconciles waiting for a thread, max", copy.stream().mapToDouble(s -> s[1]).max().orElse(0));
    figures.put("rollout reconciles waiting for a thread, mean", copy.stream().mapToDouble(s -> s[1]).average().orElse(0));
    figures.put("share of samples with reconciles waiting", copy.stream().filter(s -> s[1] > 0).count() / (double) copy.size());
  }

  @Override
  public void close() throws InterruptedException {
    stop = true;
    thread.interrupt();
    thread.join();
  }
}
