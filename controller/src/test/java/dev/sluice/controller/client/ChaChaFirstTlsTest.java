package dev.sluice.controller.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.http.TlsVersion;
import java.net.http.HttpClient;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;

class ChaChaFirstTlsTest {

  @Test
  void chachaSuitesComeFirstAndEveryOtherSuiteKeepsItsPlace() {
    String[] enabled = {"TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256",
        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_RSA_WITH_AES_128_CBC_SHA"};

    assertThat(ChaChaFirstTls.chachaFirst(enabled)).containsExactly("TLS_CHACHA20_POLY1305_SHA256",
        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256",
        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_RSA_WITH_AES_128_CBC_SHA");
  }

  @Test
  void theApiServersClientOffersTheJdksOwnSuitesChaChaFirstOverTheConfiguredTlsVersions() throws Exception {
    Config config = new ConfigBuilder(Config.empty()).withTlsVersions(TlsVersion.TLS_1_3, TlsVersion.TLS_1_2).build();
    HttpClient.Builder builder = HttpClient.newBuilder();

    ((ChaChaFirstTls.Factory) ChaChaFirstTls.httpClientFactory(config)).configure(builder);

    SSLParameters offered = builder.build().sslParameters();
    String[] jdks = SSLContext.getDefault().getDefaultSSLParameters().getCipherSuites();
    assertThat(offered.getCipherSuites()[0]).isEqualTo("TLS_CHACHA20_POLY1305_SHA256");
    assertThat(offered.getCipherSuites()).containsExactlyInAnyOrder(jdks);
    assertThat(offered.getProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
  }
}
