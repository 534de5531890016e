package dev.sluice.controller.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ClientRateLimitTest {
  final HttpClient client = ((HttpClient.Builder) new JdkHttpClientFactory().newBuilder()).build();
  final List<Duration> waits = new ArrayList<>();
  final ClientRateLimit limit = new ClientRateLimit(2, 1, () -> 0L, waits::add);

  @AfterEach
  void close() {
    client.close();
  }

  HttpRequest request(String uri) {
    return client.newHttpRequestBuilder().uri(uri).build();
  }

  @Test
  void requestsBeyondTheLimitWaitOnTheirThread() {
    limit.before(null, request("https://127.0.0.1:6443/apis/apps/v1/namespaces/a/replicasets/web-1"), null);
    limit.before(null, request("https://127.0.0.1:6443/apis/apps/v1/namespaces/a/replicasets/web-1"), null);
    limit.before(null, request("https://127.0.0.1:6443/api/v1/namespaces/a/services/web"), null);

    assertThat(waits).containsExactly(Duration.ofMillis(500), Duration.ofMillis(1000));
  }

  @Test
  void eachWaitIsReportedBeforeTheRequestWaits() {
    List<Duration> reported = new ArrayList<>();
    ClientRateLimit reporting = new ClientRateLimit(2, 1, () -> 0L, ClientRateLimit.reporting(reported::add, d -> {
      assertThat(reported).as("reported before the wait").last().isEqualTo(d);
      waits.add(d);
    }));

    for (int i = 0; i < 3; i++) {
      reporting.before(null, request("https://127.0.0.1:6443/api/v1/namespaces/a/services/web"), null);
    }

    assertThat(reported).containsExactly(Duration.ofMillis(500), Duration.ofMillis(1000)).isEqualTo(waits);
  }

  @Test
  void watchesAreNotCounted() {
    for (int i = 0; i < 5; i++) {
      limit.before(null, request("https://127.0.0.1:6443/apis/sluice.dev/v1alpha1/rollouts?allowWatchBookmarks=true&watch=true"), null);
    }
    limit.before(null, request("https://127.0.0.1:6443/apis/sluice.dev/v1alpha1/rollouts"), null);

    assertThat(waits).isEmpty();
  }

  @Test
  void overdueWorkGoesAheadAndTheRequestsAfterItWaitTheLongerForIt() {
    String rs = "https://127.0.0.1:6443/apis/apps/v1/namespaces/a/replicasets/web-1";
    limit.before(null, request(rs), null);
    ClientRateLimit.withoutWaiting(() -> {
      limit.before(null, request(rs), null);
      limit.before(null, request(rs), null);
    });
    limit.before(null, request(rs), null);

    assertThat(waits).as("the overdue requests did not wait; the next one waits for their tokens too")
        .containsExactly(Duration.ofMillis(1500));
  }
}
