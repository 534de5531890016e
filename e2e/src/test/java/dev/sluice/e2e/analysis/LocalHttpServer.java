package dev.sluice.e2e.analysis;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A small HTTP server on 127.0.0.1 whose answers the test writes; it remembers what it was asked. */
public final class LocalHttpServer implements AutoCloseable {
  /** What one request looked like. */
  public record Seen(String method, String pathAndQuery, String authorization, String service, String body) {}

  /** The answer to one request. */
  public record Answer(int status, String body) {}

  public interface Handler {
    Answer answer(Seen request);
  }

  private final HttpServer server;
  private final List<Seen> seen = new CopyOnWriteArrayList<>();

  public LocalHttpServer(Handler handler) {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", exchange -> respond(exchange, handler));
    server.start();
  }

  private void respond(HttpExchange exchange, Handler handler) throws IOException {
    var headers = exchange.getRequestHeaders();
    Seen request = new Seen(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
        headers.getFirst("Authorization"), headers.getFirst("X-Service"),
        new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    seen.add(request);
    Answer answer = handler.answer(request);
    byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(answer.status(), bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public List<Seen> seen() {
    return List.copyOf(seen);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
