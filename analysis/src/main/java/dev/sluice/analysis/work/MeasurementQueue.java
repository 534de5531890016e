package dev.sluice.analysis.work;

import dev.sluice.analysis.args.SecretUnavailableException;
import dev.sluice.api.v1alpha1.AnalysisRunStatus.Measurement;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measurements that wait on the network, taken away from the reconcile threads. A reconcile asks
 * for a measurement by its {@link Key}: the first ask starts it (once, on a {@link NamespaceFairExecutor}),
 * and when it is done {@code whenDone} wakes the run; the next ask gets the outcome, which stays
 * here until the reconciler has written it into status and says so ({@link #consumed}), so a
 * failed status write loses nothing and a written one is never added twice.
 */
public final class MeasurementQueue implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MeasurementQueue.class);
  /** Outcomes nobody came back for (the run was deleted) are dropped after this. */
  private static final Duration ABANDONED = Duration.ofMinutes(15);
  private static final Duration MAX_RETRY_DELAY = Duration.ofMinutes(1);

  /** One measurement: the run (by uid, so a re-created run with the same name starts afresh), its metric and number. */
  public record Key(String namespace, String run, String uid, String metric, int number) {}

  /** How a measurement ended. */
  public sealed interface Outcome {
    /** Taken: goes into status. */
    record Taken(Measurement measurement) implements Outcome {}

    /** Could not be taken for a passing reason (a Secret not readable now): ask again after {@code delay}. */
    record Retry(String reason, Duration delay) implements Outcome {}
  }

  private sealed interface State {}

  private record Running() implements State {}

  private record Done(Outcome outcome, long atNanos) implements State {}

  private final NamespaceFairExecutor executor;
  private final Consumer<Key> whenDone;
  private final Map<Key, State> states = new HashMap<>();
  private final Map<Key, Integer> retries = new HashMap<>();

  public MeasurementQueue(NamespaceFairExecutor executor, Consumer<Key> whenDone) {
    this.executor = executor;
    this.whenDone = whenDone;
  }

  /**
   * The measurement's outcome when it is done; otherwise empty, and it is started if it was not
   * running yet. A {@link Outcome.Retry} is handed out once: the next ask starts the measurement again.
   */
  public synchronized Optional<Outcome> poll(Key key, Supplier<Measurement> measure) {
    dropAbandoned();
    State state = states.get(key);
    if (state instanceof Done done) {
      if (done.outcome() instanceof Outcome.Retry) {
        states.remove(key);
      }
      return Optional.of(done.outcome());
    }
    if (state == null) {
      states.put(key, new Running());
      executor.submit(key.namespace(), () -> finish(key, run(key, measure)));
    }
    return Optional.empty();
  }

  /** The reconciler wrote these outcomes into status: forget them. */
  public synchronized void consumed(Collection<Key> keys) {
    for (Key key : keys) {
      if (states.get(key) instanceof Done) {
        states.remove(key);
      }
      retries.remove(key);
    }
  }

  /** The run completed: nothing of it is needed any more (a measurement still running ends unheard). */
  public synchronized void forgetRun(String uid) {
    states.entrySet().removeIf(e -> e.getKey().uid().equals(uid) && e.getValue() instanceof Done);
    retries.keySet().removeIf(k -> k.uid().equals(uid));
  }

  private Outcome run(Key key, Supplier<Measurement> measure) {
    try {
      return new Outcome.Taken(measure.get());
    } catch (SecretUnavailableException e) {
      return retry(key, e.getMessage());
    } catch (RuntimeException e) {
      // the class only: a message could quote a URL or header with a secret argument in it
      log.warn("{}/{} measuring metric \"{}\" failed unexpectedly ({}); trying again", key.namespace(), key.run(), key.metric(),
          e.getClass().getName());
      return retry(key, "measuring failed unexpectedly (" + e.getClass().getSimpleName() + ")");
    }
  }

  private synchronized Outcome retry(Key key, String reason) {
    int attempt = retries.merge(key, 1, Integer::sum);
    Duration delay = Duration.ofSeconds(1L << Math.min(attempt - 1, 6));
    return new Outcome.Retry(reason, delay.compareTo(MAX_RETRY_DELAY) > 0 ? MAX_RETRY_DELAY : delay);
  }

  private void finish(Key key, Outcome outcome) {
    synchronized (this) {
      if (!(states.get(key) instanceof Running)) {
        return;
      }
      states.put(key, new Done(outcome, System.nanoTime()));
    }
    whenDone.accept(key);
  }

  private void dropAbandoned() {
    long now = System.nanoTime();
    states.values().removeIf(s -> s instanceof Done done && now - done.atNanos() > ABANDONED.toNanos());
  }

  @Override
  public void close() {
    executor.close();
  }
}
