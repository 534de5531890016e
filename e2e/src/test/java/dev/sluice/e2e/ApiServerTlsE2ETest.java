package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.controller.client.ChaChaFirstTls;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.internal.SSLUtils;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The controller's TLS parameters (ChaChaFirstTls) as a real kube-apiserver answers them. */
@RealCluster
class ApiServerTlsE2ETest {

  @Test
  void theApiServerAnswersTheControllersTlsWithChaCha20(KubernetesClient k8s) throws Exception {
    Config config = k8s.getConfiguration();
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .sslContext(SSLUtils.sslContext(config))
        .sslParameters(ChaChaFirstTls.parameters(config))
        .build();

    HttpResponse<String> version = client.send(
        HttpRequest.newBuilder(URI.create(config.getMasterUrl()).resolve("/version")).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(version.statusCode()).isEqualTo(200);
    assertThat(version.sslSession()).hasValueSatisfying(s -> {
      assertThat(s.getProtocol()).isEqualTo("TLSv1.3");
      assertThat(s.getCipherSuite()).isEqualTo("TLS_CHACHA20_POLY1305_SHA256");
    });
  }
}
