package dev.sluice.controller.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Delivery against a real HTTP server on 127.0.0.1 whose answers the test lines up. */
class DeliveryTest {
  private static final Delivery.Settings QUICK = new Delivery.Settings(4, Duration.ofMillis(10), Duration.ofSeconds(10));

  private final Deque<String[]> answers = new ArrayDeque<>();
  private final AtomicInteger requests = new AtomicInteger();
  private HttpServer server;
  private ExecutorService executor;
  private Delivery delivery;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    server.createContext("/", exchange -> {
      requests.incrementAndGet();
      String[] answer;
      synchronized (answers) {
        answer = answers.size() > 1 ? answers.poll() : answers.peek();
      }
      byte[] body = answer[1].getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(Integer.parseInt(answer[0]), body.length == 0 ? -1 : body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    executor = Executors.newFixedThreadPool(2);
    delivery = new Delivery(HttpClient.newBuilder().executor(executor).build(), QUICK, executor);
  }

  @AfterEach
  void stop() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void answer(int status, String body) {
    answers.add(new String[] {String.valueOf(status), body});
  }

  private OutgoingRequest request(boolean slackApi) {
    return new OutgoingRequest("t", "POST", URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook"), List.of(),
        "{}", slackApi);
  }

  private Delivery.Result send(OutgoingRequest request) throws Exception {
    return delivery.send(request).get(30, TimeUnit.SECONDS);
  }

  @Test
  void serverErrorsAndTooManyRequestsAreRetriedUntilDelivered() throws Exception {
    answer(503, "busy");
    answer(429, "");
    answer(200, "");

    assertThat(send(request(false))).isEqualTo(new Delivery.Result(3, 200, Optional.empty()));
    assertThat(requests).hasValue(3);
  }

  @Test
  void aClientErrorIsFinalAndSaysWhatTheReceiverAnswered() throws Exception {
    answer(404, "{\"error\": \"no such hook\"}");

    assertThat(send(request(false))).isEqualTo(new Delivery.Result(1, 404, Optional.of("HTTP 404: {\"error\": \"no such hook\"}")));
    assertThat(requests).hasValue(1);
  }

  @Test
  void aReceiverThatKeepsFailingIsGivenUpAfterTheLastAttempt() throws Exception {
    answer(500, "");

    assertThat(send(request(false))).isEqualTo(new Delivery.Result(4, 500, Optional.of("HTTP 500")));
    assertThat(requests).hasValue(4);
  }

  @Test
  void slacksOkFalseIsAFailureThoughTheStatusIs200() throws Exception {
    answer(200, "{\"ok\": false, \"error\": \"channel_not_found\"}");

    assertThat(send(request(true))).isEqualTo(new Delivery.Result(1, 200, Optional.of("Slack answered error \"channel_not_found\"")));
  }

  @Test
  void noConnectionIsRetriedThenReported() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      closed = socket.getLocalPort();
    }
    var request = new OutgoingRequest("t", "POST", URI.create("http://127.0.0.1:" + closed + "/"), List.of(), "{}", false);

    Delivery.Result result = send(request);

    assertThat(result.attempts()).isEqualTo(4);
    assertThat(result.problem()).hasValueSatisfying(p -> assertThat(p).startsWith("could not connect"));
  }
}
