package dev.sluice.controller.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sluice.analysis.args.SecretLookupException;
import dev.sluice.analysis.args.SecretUnavailableException;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How a Secret read fails, against a scripted API server on 127.0.0.1 (the e2e suite cannot make
 * the real API server answer 503 for one Secret): a passing failure is retried, a missing Secret is an error.
 */
class KubernetesSecretLookupTest {
  private HttpServer server;
  private KubernetesClient client;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    server.createContext("/api/v1/namespaces/team/secrets/", exchange -> {
      String name = exchange.getRequestURI().getPath().replaceFirst(".*/", "");
      switch (name) {
        case "prom-auth" -> answer(exchange, 200, "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"prom-auth\"},"
            + "\"data\":{\"token\":\"dG9rLTEyMw==\"}}");
        case "flaky" -> answer(exchange, 503, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":503}");
        case "forbidden" -> answer(exchange, 403, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":403}");
        default -> answer(exchange, 404, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"NotFound\",\"code\":404}");
      }
    });
    server.start();
    client = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
        .withMasterUrl("http://127.0.0.1:" + server.getAddress().getPort())
        .withRequestRetryBackoffLimit(0).build()).build();
  }

  @AfterEach
  void stop() {
    client.close();
    server.stop(0);
  }

  private static void answer(HttpExchange exchange, int code, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Test
  void readsTheKey() {
    assertThat(new KubernetesSecretLookup(client, "team").value("prom-auth", "token")).isEqualTo("tok-123");
  }

  @Test
  void anApiServerThatCannotAnswerNowIsRetriedNotAnError() {
    assertThatThrownBy(() -> new KubernetesSecretLookup(client, "team").value("flaky", "token"))
        .isInstanceOf(SecretUnavailableException.class)
        .hasMessage("Secret \"flaky\" in namespace \"team\" could not be read now (HTTP 503); trying again");
  }

  @Test
  void aMissingSecretOrNoPermissionIsAClearError() {
    assertThatThrownBy(() -> new KubernetesSecretLookup(client, "team").value("gone", "token"))
        .isInstanceOf(SecretLookupException.class).hasMessage("Secret \"gone\" not found in namespace \"team\"");
    assertThatThrownBy(() -> new KubernetesSecretLookup(client, "team").value("forbidden", "token"))
        .isInstanceOf(SecretLookupException.class).hasMessage("no permission to read Secret \"forbidden\" in namespace \"team\"");
    assertThatThrownBy(() -> new KubernetesSecretLookup(client, "team").value("prom-auth", "password"))
        .isInstanceOf(SecretLookupException.class).hasMessage("Secret \"prom-auth\" in namespace \"team\" has no key \"password\"");
  }
}
