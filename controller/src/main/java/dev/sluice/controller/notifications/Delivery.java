package dev.sluice.controller.notifications;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends one rendered request, asynchronously (no thread waits on a receiver), retrying what may
 * pass (no connection, a timeout, 5xx, 429) with exponential backoff, and giving up on what will
 * not (any other status; Slack's {@code "ok": false}). Only the first {@value #KEPT_ANSWER} bytes of
 * an answer are kept.
 */
final class Delivery {
  static final int KEPT_ANSWER = 4096;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How a delivery ended: {@code status} is the last HTTP status (0: none), {@code problem} empty when delivered. */
  record Result(int attempts, int status, Optional<String> problem) {}

  /** What one attempt gave. */
  private record Attempt(int status, Optional<String> problem, boolean retryable) {}

  record Settings(int attempts, Duration firstBackoff, Duration timeout) {
    static final Settings DEFAULT = new Settings(4, Duration.ofSeconds(1), Duration.ofSeconds(10));
  }

  private final HttpClient http;
  private final Settings settings;
  private final Executor executor;

  Delivery(HttpClient http, Settings settings, Executor executor) {
    this.http = http;
    this.settings = settings;
    this.executor = executor;
  }

  CompletableFuture<Result> send(OutgoingRequest request) {
    return attempt(request, 1);
  }

  private CompletableFuture<Result> attempt(OutgoingRequest request, int n) {
    return once(request).thenCompose(a -> {
      if (a.retryable() && n < settings.attempts()) {
        long backoff = settings.firstBackoff().toMillis() << (n - 1);
        Executor later = CompletableFuture.delayedExecutor(backoff, TimeUnit.MILLISECONDS, executor);
        return CompletableFuture.supplyAsync(() -> null, later).thenCompose(ignored -> attempt(request, n + 1));
      }
      return CompletableFuture.completedFuture(new Result(n, a.status(), a.problem()));
    });
  }

  private CompletableFuture<Attempt> once(OutgoingRequest request) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(request.uri()).timeout(settings.timeout());
    request.headers().forEach(h -> builder.header(h.name(), h.value()));
    builder.method(request.method(), request.body() == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(request.body()));
    var answer = new ByteArrayOutputStream();
    HttpResponse.BodyHandler<Void> keepSome = info -> HttpResponse.BodySubscribers.ofByteArrayConsumer(chunk ->
        chunk.ifPresent(bytes -> answer.write(bytes, 0, Math.min(bytes.length, Math.max(0, KEPT_ANSWER - answer.size())))));
    CompletableFuture<Attempt> sent;
    try {
      sent = http.sendAsync(builder.build(), keepSome)
          // the request timeout covers the answer's headers; this bounds the body too
          .orTimeout(settings.timeout().toMillis() * 2, TimeUnit.MILLISECONDS)
          .handle((response, error) -> error != null ? failed(error) : answered(request, response.statusCode(), answer.toString()));
    } catch (IllegalArgumentException e) {
      sent = CompletableFuture.completedFuture(new Attempt(0, Optional.of("the request is not valid: " + e.getMessage()), false));
    }
    return sent;
  }

  private static Attempt answered(OutgoingRequest request, int status, String body) {
    if (status == 429 || status >= 500) {
      return new Attempt(status, Optional.of("HTTP " + status + answerText(body)), true);
    }
    if (status < 200 || status >= 300) {
      return new Attempt(status, Optional.of("HTTP " + status + answerText(body)), false);
    }
    if (request.slackApi()) {
      // chat.postMessage answers 200 with {"ok": false, "error": "channel_not_found"} when it did not post
      try {
        JsonNode node = JSON.readTree(body);
        if (!node.path("ok").asBoolean(false)) {
          return new Attempt(status, Optional.of("Slack answered error \"" + node.path("error").asText("?") + "\""), false);
        }
      } catch (IOException e) {
        return new Attempt(status, Optional.of("Slack's answer is not JSON"), false);
      }
    }
    return new Attempt(status, Optional.empty(), false);
  }

  private static String answerText(String body) {
    String text = body.strip().replaceAll("\\s+", " ");
    return text.isEmpty() ? "" : ": " + (text.length() > 200 ? text.substring(0, 200) + "..." : text);
  }

  private Attempt failed(Throwable error) {
    Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (e instanceof HttpConnectTimeoutException) {
      return new Attempt(0, Optional.of("no connection within " + settings.timeout().toSeconds() + "s"), true);
    }
    if (e instanceof HttpTimeoutException || e instanceof TimeoutException) {
      return new Attempt(0, Optional.of("no answer within " + settings.timeout().toSeconds() + "s"), true);
    }
    if (e instanceof ConnectException) {
      return new Attempt(0, Optional.of("could not connect" + (e.getMessage() == null ? "" : ": " + e.getMessage())), true);
    }
    if (e instanceof IOException) {
      return new Attempt(0, Optional.of("I/O error: " + e.getMessage()), true);
    }
    return new Attempt(0, Optional.of(e.getClass().getSimpleName() + ": " + e.getMessage()), false);
  }
}
