package dev.sluice.analysis.provider;

import dev.sluice.analysis.args.SecretLookupException;
import dev.sluice.api.v1alpha1.MetricProvider.Prometheus;
import java.io.IOException;
import java.time.Duration;
import okhttp3.Credentials;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * An instant query: {@code GET <address>/api/v1/query?query=...}, with the metric's headers, bearer
 * or basic authentication read from a Secret, and a timeout (default 30 s).
 */
public final class PrometheusProvider implements MeasurementProvider {
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private final OkHttpClient http;

  public PrometheusProvider(OkHttpClient http) {
    this.http = http;
  }

  @Override
  public ProviderResult measure(MeasurementContext context) {
    Prometheus prometheus = context.metric().provider().prometheus();
    HttpUrl address = HttpUrl.parse(prometheus.address().strip());
    if (address == null) {
      return new ProviderResult.Failure("prometheus address \"" + prometheus.address() + "\" is not an http(s) URL");
    }
    String where = "Prometheus at " + shown(address);
    HttpUrl url = address.newBuilder().addPathSegments("api/v1/query")
        .addQueryParameter("query", prometheus.query()).build();
    Request.Builder request = new Request.Builder().url(url).get().header("Accept", "application/json");
    try {
      Headers.add(request, prometheus.headers());
      authenticate(request, prometheus, context);
    } catch (SecretLookupException e) {
      return new ProviderResult.Failure("prometheus authentication: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      return new ProviderResult.Failure(e.getMessage());
    }
    Duration timeout = prometheus.timeout() == null || prometheus.timeout() <= 0
        ? DEFAULT_TIMEOUT : Duration.ofSeconds(prometheus.timeout());
    OkHttpClient client = HttpClients.forCall(http, timeout, Boolean.TRUE.equals(prometheus.insecure()));
    try (Response response = client.newCall(request.build()).execute()) {
      String body = ResponseBodies.read(response.body(), ResponseBodies.MAX_BYTES);
      return PrometheusResponse.read(response.code(), body, where);
    } catch (IOException e) {
      return new ProviderResult.Failure(HttpFailures.describe(where, e, timeout));
    }
  }

  private static void authenticate(Request.Builder request, Prometheus prometheus, MeasurementContext context) {
    var auth = prometheus.authentication();
    if (auth == null) {
      return;
    }
    if (auth.bearer() != null && auth.bearer().secretKeyRef() != null) {
      var ref = auth.bearer().secretKeyRef();
      request.header("Authorization", "Bearer " + Headers.checked("Authorization", context.secrets().value(ref.name(), ref.key())));
    } else if (auth.basic() != null) {
      var basic = auth.basic();
      String password = basic.passwordSecretKeyRef() == null ? ""
          : context.secrets().value(basic.passwordSecretKeyRef().name(), basic.passwordSecretKeyRef().key());
      request.header("Authorization", Credentials.basic(basic.username() == null ? "" : basic.username(), password));
    }
  }

  /** The address without credentials, as people write it. */
  static String shown(HttpUrl address) {
    String text = address.newBuilder().username("").password("").build().toString();
    return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
  }
}
