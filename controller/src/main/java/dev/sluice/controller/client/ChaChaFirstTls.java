package dev.sluice.controller.client;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.http.TlsVersion;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.stream.Stream;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;

/**
 * The controller's TLS to the API server offers ChaCha20-Poly1305 first. The controller's JVM runs
 * the client compiler only ({@code -XX:TieredStopAtLevel=1} in jvm.options), and the JDK's AES-GCM
 * is fast only through the server compiler's intrinsics: without them it encrypted 8-16 MB/s on this
 * machine against 47-71 MB/s for ChaCha20-Poly1305, and decrypting the API server's answers and watch
 * events was 15 % of the controller's Java samples in a profiled bench/scale run at N=100
 * (bench/results/2026-12-08-tls.md).
 * A Go API server picks ChaCha20 when the client lists it first; a server without it still gets every
 * suite the JDK enables, in the JDK's order after it.
 */
public final class ChaChaFirstTls {
  private ChaChaFirstTls() {}

  /** {@code enabled} with the ChaCha20-Poly1305 suites first, the others in their order. */
  static String[] chachaFirst(String[] enabled) {
    return Stream.concat(Arrays.stream(enabled).filter(ChaChaFirstTls::chacha),
        Arrays.stream(enabled).filter(s -> !chacha(s))).toArray(String[]::new);
  }

  private static boolean chacha(String suite) {
    return suite.contains("CHACHA20");
  }

  /** The suites a JDK client enables by default, ChaCha20-Poly1305 first; {@code protocols} null: the JDK's. */
  public static SSLParameters parameters(String[] protocols) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      // no key or trust managers: only the enabled suites are read, without loading the JDK's trust store
      context.init(new KeyManager[0], new TrustManager[0], null);
      return new SSLParameters(chachaFirst(context.getDefaultSSLParameters().getCipherSuites()), protocols);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no TLS", e);
    }
  }

  /** {@link #parameters(String[])} over the TLS versions of {@code config} (fabric8 sets only those). */
  public static SSLParameters parameters(Config config) {
    TlsVersion[] versions = config.getTlsVersions();
    return parameters(versions == null || versions.length == 0 ? null
        : Arrays.stream(versions).map(TlsVersion::javaName).toArray(String[]::new));
  }

  /** fabric8's JDK HTTP client with {@link #parameters(Config)}; the key and trust material stay in its SSLContext. */
  public static JdkHttpClientFactory httpClientFactory(Config config) {
    return new Factory(parameters(config));
  }

  static final class Factory extends JdkHttpClientFactory {
    private final SSLParameters parameters;

    Factory(SSLParameters parameters) {
      this.parameters = parameters;
    }

    @Override
    protected void additionalConfig(HttpClient.Builder builder) {
      configure(builder);
    }

    /** Called by fabric8 after it set the builder's TLS versions, which these parameters repeat. */
    void configure(HttpClient.Builder builder) {
      builder.sslParameters(parameters);
    }
  }
}
