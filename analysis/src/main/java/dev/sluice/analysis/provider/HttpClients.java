package dev.sluice.analysis.provider;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;

/** One OkHttp client shared by the HTTP providers; each call derives its own timeout, TLS settings and reachable addresses. */
public final class HttpClients {
  private HttpClients() {}

  public static OkHttpClient shared() {
    return Holder.CLIENT;
  }

  /**
   * @param insecure skip TLS certificate verification (the metric asked for it explicitly)
   * @param addresses the only addresses the call may connect to
   */
  static OkHttpClient forCall(OkHttpClient base, Duration timeout, boolean insecure, ProviderAddressPolicy addresses) {
    // OkHttp's own 10 s connect/read/write timeouts would cut a longer timeout the metric asked for
    OkHttpClient.Builder builder = base.newBuilder().callTimeout(timeout)
        .connectTimeout(timeout).readTimeout(timeout).writeTimeout(timeout).followRedirects(true);
    if (insecure) {
      X509TrustManager trustAll = new TrustingAll();
      try {
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {trustAll}, new SecureRandom());
        builder.sslSocketFactory(tls.getSocketFactory(), trustAll).hostnameVerifier((host, session) -> true);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("TLS is not available", e);
      }
    }
    return addresses.guard(builder.build());
  }

  private static final class Holder {
    static final OkHttpClient CLIENT = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();
  }

  private static final class TrustingAll implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
