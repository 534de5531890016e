package dev.sluice.controller.client;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The controller's limit on requests to the Kubernetes API server ({@code --kube-api-qps},
 * {@code --kube-api-burst}), so that a wave of thousands of rollouts cannot flood it: a request
 * beyond the limit waits on the thread that makes it, as with client-go. Watches are not counted:
 * they are long-lived and opened once per informer. Work that is overdue (a reconcile ending a timed
 * pause) runs {@link #withoutWaiting}: its requests take their tokens without waiting for them, so the
 * requests after them wait longer and the average rate holds.
 */
public final class ClientRateLimit implements Interceptor {
  public static final double DEFAULT_QPS = 100;
  public static final int DEFAULT_BURST = 200;
  /** The name under which it is added to a fabric8 HTTP client builder. */
  public static final String INTERCEPTOR_NAME = "sluice-client-rate-limit";

  private static final ThreadLocal<Boolean> OVERDUE = ThreadLocal.withInitial(() -> false);

  private final TokenBucket bucket;
  private final LongSupplier nanoTime;
  private final Sleeper sleeper;

  /** How a request waits; a test records the waits instead. */
  interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  /** @param waited told each wait before it starts (a metric of how much the limit holds requests back) */
  public ClientRateLimit(double qps, int burst, Consumer<Duration> waited) {
    this(qps, burst, System::nanoTime, reporting(waited, d -> Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000)));
  }

  /** {@code sleeper}, telling {@code waited} of each wait first. */
  static Sleeper reporting(Consumer<Duration> waited, Sleeper sleeper) {
    return d -> {
      waited.accept(d);
      sleeper.sleep(d);
    };
  }

  ClientRateLimit(double qps, int burst, LongSupplier nanoTime, Sleeper sleeper) {
    this.bucket = new TokenBucket(qps, burst);
    this.nanoTime = nanoTime;
    this.sleeper = sleeper;
  }

  /** Adds the limit to a client's HTTP builder; {@code qps <= 0} leaves the client unlimited. */
  public static void install(HttpClient.Builder httpClient, double qps, int burst, Consumer<Duration> waited) {
    if (qps > 0) {
      httpClient.addOrReplaceInterceptor(INTERCEPTOR_NAME, new ClientRateLimit(qps, burst, waited));
    }
  }

  /** Runs {@code work} on this thread with its requests going ahead of those waiting for the limit. */
  public static void withoutWaiting(Runnable work) {
    OVERDUE.set(true);
    try {
      work.run();
    } finally {
      OVERDUE.set(false);
    }
  }

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    String query = request.uri().getRawQuery();
    if (query != null && query.contains("watch=true")) {
      return;
    }
    Duration wait = bucket.reserve(nanoTime.getAsLong());
    if (wait.isZero() || OVERDUE.get()) {
      return;
    }
    try {
      sleeper.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
