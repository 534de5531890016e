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
 * The "canary" Prometheus scrapes: a tiny HTTP server on 127.0.0.1 serving {@code /metrics} with
 * gauges whose values the test sets, so the test decides what the canary's error rate is.
 */
public final class ScrapeTarget implements AutoCloseable {
  private final HttpServer server;
  private final Map<String, String> samples = new ConcurrentHashMap<>();

  public ScrapeTarget() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/metrics", exchange -> {
      StringBuilder body = new StringBuilder();
      new TreeMap<>(samples).forEach((series, value) -> body.append(series).append(' ').append(value).append('\n'));
      byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
      exchange.sendResponseHeaders(200, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    server.start();
  }

  /** e.g. {@code set("canary_error_ratio{test=\"good\"}", "0.01")}; "NaN" works too. */
  public void set(String series, String value) {
    samples.put(series, value);
  }

  public String address() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
