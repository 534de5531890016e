package dev.sluice.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.controller.client.ClientRateLimit;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeadlineFirstExecutorTest {
  private static final Instant START = Instant.parse("2026-12-07T10:00:00Z");

  /** A clock the test moves. */
  private static final class TestClock extends Clock {
    volatile Instant now = START;

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  private final TestClock clock = new TestClock();
  private final List<String> ran = new CopyOnWriteArrayList<>();
  private final Map<Runnable, Instant> deadlines = new ConcurrentHashMap<>();
  private final DeadlineFirstExecutor executor = new DeadlineFirstExecutor(1,
      task -> Optional.ofNullable(deadlines.get(task)), clock);
  private final CountDownLatch busy = new CountDownLatch(1);

  @AfterEach
  void stop() throws InterruptedException {
    busy.countDown();
    executor.shutdownNow();
    executor.awaitTermination(10, TimeUnit.SECONDS);
  }

  private Runnable task(String name, Instant deadline, CountDownLatch done) {
    Runnable task = () -> {
      ran.add(name);
      done.countDown();
    };
    if (deadline != null) deadlines.put(task, deadline);
    return task;
  }

  /**
   * Holds the one thread until {@link #busy} is counted down, so that what follows queues; returns
   * once the thread holds (else the thread could take a due task queued next before this one).
   */
  private void occupyTheThread() throws InterruptedException {
    CountDownLatch holding = new CountDownLatch(1);
    executor.execute(() -> {
      holding.countDown();
      try {
        busy.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    assertThat(holding.await(30, TimeUnit.SECONDS)).as("the thread took the task that holds it").isTrue();
  }

  @Test
  void reconcilesWhoseDeadlinePassedRunBeforeTheQueueEarliestFirstAndTheRestInTheirOrder() throws InterruptedException {
    CountDownLatch done = new CountDownLatch(6);
    occupyTheThread();
    executor.execute(task("status change 1", null, done));
    executor.execute(task("pause ended 1 s ago", START.minusSeconds(1), done));
    executor.execute(task("status change 2", null, done));
    executor.execute(task("pause ends in an hour", START.plus(Duration.ofHours(1)), done));
    executor.execute(task("pause ended 5 s ago", START.minusSeconds(5), done));
    executor.execute(task("pause ends now", START, done));
    busy.countDown();

    assertThat(done.await(30, TimeUnit.SECONDS)).as("all ran, in: %s", ran).isTrue();
    assertThat(ran).containsExactly("pause ended 5 s ago", "pause ended 1 s ago", "pause ends now",
        "status change 1", "status change 2", "pause ends in an hour");
  }

  @Test
  void reconcilesQueuedWhileHeldRunOverdueFirstOnceReleasedThoughAThreadWasIdle() throws InterruptedException {
    CountDownLatch done = new CountDownLatch(3);
    executor.hold();
    executor.execute(task("status change 1", null, done));
    executor.execute(task("status change 2", null, done));
    executor.execute(task("pause ended 1 s ago", START.minusSeconds(1), done));
    assertThat(ran).as("held").isEmpty();
    executor.release();

    assertThat(done.await(30, TimeUnit.SECONDS)).as("all ran, in: %s", ran).isTrue();
    assertThat(ran).containsExactly("pause ended 1 s ago", "status change 1", "status change 2");
  }

  @Test
  void aReconcileQueuedBeforeItsPauseEndedLeavesTheLineWhenItEnds() throws InterruptedException {
    CountDownLatch done = new CountDownLatch(3);
    occupyTheThread();
    executor.execute(task("status change 1", null, done));
    executor.execute(task("status change 2", null, done));
    executor.execute(task("replica change of a rollout in a 10 s pause", START.plusSeconds(10), done));
    clock.now = START.plusSeconds(11);
    busy.countDown();

    assertThat(done.await(30, TimeUnit.SECONDS)).as("all ran, in: %s", ran).isTrue();
    assertThat(ran).containsExactly("replica change of a rollout in a 10 s pause", "status change 1", "status change 2");
  }

  @Test
  void aReconcileTakenForItsPassedDeadlineMakesItsRequestsAheadOfTheRateLimit() throws InterruptedException {
    List<Duration> waited = new CopyOnWriteArrayList<>();
    ClientRateLimit limit = new ClientRateLimit(0.001, 1, waited::add);
    try (HttpClient http = ((HttpClient.Builder) new JdkHttpClientFactory().newBuilder()).build()) {
      HttpRequest request = http.newHttpRequestBuilder().uri("https://127.0.0.1:6443/apis/apps/v1/namespaces/a/replicasets/web-1").build();
      CountDownLatch done = new CountDownLatch(1);
      Runnable pauseEnded = () -> {
        limit.before(null, request, null);
        limit.before(null, request, null);
        done.countDown();
      };
      deadlines.put(pauseEnded, START.minusSeconds(1));
      executor.execute(pauseEnded);

      assertThat(done.await(30, TimeUnit.SECONDS)).as("done without waiting 1000 s for a token; waited %s", waited).isTrue();
      assertThat(waited).isEmpty();
    }
  }
}
