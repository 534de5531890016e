package dev.sluice.e2e.analysis;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An application's {@code /metrics} as Prometheus scrapes it, on 127.0.0.1: per pod-template-hash,
 * the counters {@code app_requests_total{hash}} and {@code app_errors_total{hash}}, growing with
 * time since the test started serving that hash at 100 requests a second and the error ratio the
 * test set. Both counters of a hash are computed from the same instant, so
 * {@code rate(errors) / rate(requests)} is exactly that ratio at every step: two hashes with the
 * same ratio are an exact A/A pair.
 */
public final class CounterExporter implements AutoCloseable {
  private static final double REQUESTS_PER_SECOND = 100;

  private record Served(long sinceNanos, double errorRatio) {}

  private final HttpServer server;
  private final Map<String, Served> hashes = new ConcurrentHashMap<>();

  public CounterExporter() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/metrics", exchange -> {
      long now = System.nanoTime();
      StringBuilder body = new StringBuilder("# TYPE app_requests_total counter\n# TYPE app_errors_total counter\n");
      new TreeMap<>(hashes).forEach((hash, served) -> {
        double requests = REQUESTS_PER_SECOND * (now - served.sinceNanos()) / 1e9;
        body.append("app_requests_total{hash=\"").append(hash).append("\"} ").append(requests).append('\n');
        body.append("app_errors_total{hash=\"").append(hash).append("\"} ").append(requests * served.errorRatio()).append('\n');
      });
      byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
      exchange.sendResponseHeaders(200, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    server.start();
  }

  /** Starts serving counters for {@code hash} with this share of requests failing. */
  public void serve(String hash, double errorRatio) {
    hashes.putIfAbsent(hash, new Served(System.nanoTime(), errorRatio));
  }

  public String address() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
