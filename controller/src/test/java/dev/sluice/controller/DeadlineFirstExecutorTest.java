package dev.sluice.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
  private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

  private final List<String> ran = new CopyOnWriteArrayList<>();
  private final CountDownLatch done = new CountDownLatch(6);
  private final Map<Runnable, Instant> deadlines = new ConcurrentHashMap<>();
  private final DeadlineFirstExecutor executor = new DeadlineFirstExecutor(1,
      task -> Optional.ofNullable(deadlines.get(task)), Clock.fixed(NOW, ZoneOffset.UTC));

  @AfterEach
  void stop() throws InterruptedException {
    executor.shutdownNow();
    executor.awaitTermination(10, TimeUnit.SECONDS);
  }

  private Runnable task(String name, Instant deadline) {
    Runnable task = () -> {
      ran.add(name);
      done.countDown();
    };
    if (deadline != null) deadlines.put(task, deadline);
    return task;
  }

  @Test
  void reconcilesWhoseDeadlinePassedRunBeforeTheQueueEarliestFirstAndTheRestInTheirOrder() throws InterruptedException {
    CountDownLatch busy = new CountDownLatch(1);
    executor.execute(() -> {
      try {
        busy.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    executor.execute(task("status change 1", null));
    executor.execute(task("pause ended 1 s ago", NOW.minusSeconds(1)));
    executor.execute(task("status change 2", null));
    executor.execute(task("pause ends in an hour", NOW.plus(Duration.ofHours(1))));
    executor.execute(task("pause ended 5 s ago", NOW.minusSeconds(5)));
    executor.execute(task("pause ends now", NOW));
    busy.countDown();

    assertThat(done.await(30, TimeUnit.SECONDS)).as("all ran, in: %s", ran).isTrue();
    assertThat(ran).containsExactly("pause ended 5 s ago", "pause ended 1 s ago", "pause ends now",
        "status change 1", "status change 2", "pause ends in an hour");
  }
}
