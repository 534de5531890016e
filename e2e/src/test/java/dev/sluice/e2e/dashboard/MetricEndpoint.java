package dev.sluice.e2e.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the canary's web metrics ask, on 127.0.0.1: {@code /error-rate} answers {"value": rate}, going
 * through {@code errorRates} one answer at a time (then staying at the last); {@code /build} answers
 * {"value": build}.
 */
final class MetricEndpoint implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final AtomicInteger answered = new AtomicInteger();

  MetricEndpoint(List<Double> errorRates, String build) {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/error-rate", exchange ->
        answer(exchange, errorRates.get(Math.min(answered.getAndIncrement(), errorRates.size() - 1))));
    server.createContext("/build", exchange -> answer(exchange, build));
    server.start();
  }

  private static void answer(HttpExchange exchange, Object value) throws IOException {
    byte[] body = JSON.writeValueAsString(Map.of("value", value)).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
