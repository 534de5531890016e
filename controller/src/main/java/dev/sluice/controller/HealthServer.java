package dev.sluice.controller;

import com.sun.net.httpserver.HttpServer;
import dev.sluice.controller.metrics.ControllerMetrics;
import dev.sluice.controller.metrics.MetricsPage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@code /healthz} (the process serves), {@code /readyz} (the operator runs and its informers are
 * healthy) and {@code /metrics} (Prometheus text), all on one port.
 */
final class HealthServer implements AutoCloseable {
  private final HttpServer server;

  HealthServer(String host, int port, BooleanSupplier ready, Supplier<MetricsPage> metrics) throws IOException {
    server = HttpServer.create(new InetSocketAddress(host, port), 0);
    server.createContext("/healthz", ex -> respond(ex, 200, "ok"));
    server.createContext("/readyz", ex -> {
      boolean ok = ready.getAsBoolean();
      respond(ex, ok ? 200 : 503, ok ? "ok" : "not ready");
    });
    server.createContext("/metrics", ex -> {
      // whole before a byte is sent, so that a failure is a 500 and not a cut-off page
      MetricsPage page;
      try {
        page = metrics.get();
      } catch (RuntimeException e) {
        respond(ex, 500, "metrics unavailable: " + e);
        return;
      }
      ex.getResponseHeaders().set("Content-Type", ControllerMetrics.CONTENT_TYPE);
      ex.sendResponseHeaders(200, page.length());
      try (var out = ex.getResponseBody()) {
        page.writeTo(out);
      }
    });
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  private static void respond(com.sun.net.httpserver.HttpExchange ex, int code, String body) throws IOException {
    byte[] bytes = (body + "\n").getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    ex.sendResponseHeaders(code, bytes.length);
    try (var out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
