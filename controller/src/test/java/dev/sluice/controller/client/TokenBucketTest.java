package dev.sluice.controller.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
  static final long SECOND = 1_000_000_000L;

  @Test
  void aBurstGoesAtOnceThenRequestsAreSpacedAtTheRate() {
    TokenBucket bucket = new TokenBucket(10, 3);

    List<Duration> waits = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      waits.add(bucket.reserve(0));
    }

    assertThat(waits).containsExactly(Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ofMillis(100), Duration.ofMillis(200));
  }

  @Test
  void idleTimeRefillsTheBucketUpToTheBurstOnly() {
    TokenBucket bucket = new TokenBucket(10, 2);
    bucket.reserve(0);
    bucket.reserve(0);

    assertThat(bucket.reserve(60 * SECOND)).isZero();
    assertThat(bucket.reserve(60 * SECOND)).isZero();
    assertThat(bucket.reserve(60 * SECOND)).as("an idle minute stores 2 tokens, not 600").isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void overAnyLongRunTheAverageRateIsTheLimit() {
    TokenBucket bucket = new TokenBucket(50, 100);
    long now = 0;
    for (int i = 0; i < 1100; i++) {
      now += bucket.reserve(now).toNanos();
    }
    // 100 at once, then 1000 more at 50 a second
    assertThat(Duration.ofNanos(now)).isBetween(Duration.ofMillis(19_900), Duration.ofMillis(20_100));
  }

  @Test
  void aLimitThatCouldNeverLetARequestThroughIsRefused() {
    assertThatThrownBy(() -> new TokenBucket(0, 10)).hasMessageContaining("qps must be above 0");
    assertThatThrownBy(() -> new TokenBucket(5, 0)).hasMessageContaining("burst at least 1");
  }
}
