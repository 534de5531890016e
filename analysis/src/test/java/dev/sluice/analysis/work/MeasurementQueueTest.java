package dev.sluice.analysis.work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.analysis.args.SecretUnavailableException;
import dev.sluice.analysis.work.MeasurementQueue.Key;
import dev.sluice.analysis.work.MeasurementQueue.Outcome;
import dev.sluice.api.v1alpha1.AnalysisRunStatus.Measurement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Measurements off the reconcile threads, with a fake slow provider: a measurement that blocks
 * until the test lets it go stands for a web server answering after 30 s, without waiting 30 s.
 */
class MeasurementQueueTest {
  private static final Measurement OK = new Measurement("Successful", "1", "2025-03-01T10:00:00Z", "2025-03-01T10:00:01Z", null, null);

  private final Set<Key> woken = ConcurrentHashMap.newKeySet();
  private final CountDownLatch slowServerAnswers = new CountDownLatch(1);
  private final MeasurementQueue queue = new MeasurementQueue(new NamespaceFairExecutor(4, 2), woken::add);

  @AfterEach
  void stop() {
    slowServerAnswers.countDown();
    queue.close();
  }

  private static Key key(String namespace, String run, int number) {
    return new Key(namespace, run, run + "-uid", "web", number);
  }

  private Measurement slow() {
    try {
      slowServerAnswers.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return OK;
  }

  @Test
  void aTenantWithManySlowMeasurementsDoesNotDelayAnotherTenant() {
    List<Key> slowTenant = IntStream.range(0, 50).mapToObj(i -> key("slow-team", "run-" + i, 1)).toList();
    slowTenant.forEach(k -> assertThat(queue.poll(k, this::slow)).isEmpty());
    Key other = key("other-team", "run", 1);

    assertThat(queue.poll(other, () -> OK)).isEmpty();

    await().atMost(Duration.ofSeconds(30)).until(() -> woken.contains(other));
    assertThat(queue.poll(other, () -> OK)).contains(new Outcome.Taken(OK));
    assertThat(woken).containsExactly(other);

    slowServerAnswers.countDown();
    await().atMost(Duration.ofSeconds(30)).until(() -> woken.containsAll(slowTenant));
  }

  @Test
  void aMeasurementIsTakenOnceAndItsOutcomeKeptUntilConsumed() {
    AtomicInteger taken = new AtomicInteger();
    Key k = key("team", "run", 1);
    for (int i = 0; i < 5; i++) {
      queue.poll(k, () -> {
        taken.incrementAndGet();
        return slow();
      });
    }
    slowServerAnswers.countDown();
    await().atMost(Duration.ofSeconds(30)).until(() -> woken.contains(k));

    // a status write that failed asks again: the same outcome, not a second measurement
    assertThat(queue.poll(k, () -> OK)).contains(new Outcome.Taken(OK));
    assertThat(queue.poll(k, () -> OK)).contains(new Outcome.Taken(OK));
    assertThat(taken).hasValue(1);

    queue.consumed(List.of(k));
    assertThat(queue.poll(k, () -> {
      taken.incrementAndGet();
      return OK;
    })).isEmpty();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(taken).hasValue(2));
  }

  @Test
  void aSecretThatCannotBeReadNowIsRetriedWithGrowingDelays() {
    Key k = key("team", "run", 1);
    List<Duration> delays = new java.util.ArrayList<>();
    for (int attempt = 0; attempt < 3; attempt++) {
      woken.clear();
      queue.poll(k, () -> {
        throw new SecretUnavailableException("Secret \"prom-auth\" in namespace \"team\" could not be read now (HTTP 503); trying again");
      });
      await().atMost(Duration.ofSeconds(30)).until(() -> woken.contains(k));
      Optional<Outcome> outcome = queue.poll(k, () -> OK);
      assertThat(outcome).get().isInstanceOf(Outcome.Retry.class);
      delays.add(((Outcome.Retry) outcome.get()).delay());
    }
    assertThat(delays).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
  }
}
