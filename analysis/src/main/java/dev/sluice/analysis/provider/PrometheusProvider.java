package dev.sluice.analysis.provider;

import dev.sluice.analysis.args.SecretLookup;
import dev.sluice.analysis.args.SecretLookupException;
import dev.sluice.api.v1alpha1.MetricProvider.Authentication;
import dev.sluice.api.v1alpha1.MetricProvider.Header;
import dev.sluice.api.v1alpha1.MetricProvider.JudgePrometheus;
import dev.sluice.api.v1alpha1.MetricProvider.Prometheus;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.Credentials;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * An instant query: {@code GET <address>/api/v1/query?query=...}, with the metric's headers, bearer
 * or basic authentication read from a Secret, and a timeout (default 30 s). A measurement with a
 * schedule asks for the value at its moment ({@code time=}), so a replayed run sees the past.
 * {@link #get} is every Prometheus call of the providers (the judge's range queries too).
 */
public final class PrometheusProvider implements MeasurementProvider {
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private final OkHttpClient http;
  private final ProviderAddressPolicy addresses;

  /** @param addresses the only addresses the metric's {@code address} may lead to */
  public PrometheusProvider(OkHttpClient http, ProviderAddressPolicy addresses) {
    this.http = http;
    this.addresses = addresses;
  }

  /** Where and how to reach Prometheus: the prometheus provider's fields, or the judge's. */
  record Connection(String address, Integer timeout, Boolean insecure, List<Header> headers, Authentication authentication) {
    static Connection of(Prometheus p) {
      return new Connection(p.address(), p.timeout(), p.insecure(), p.headers(), p.authentication());
    }

    static Connection of(JudgePrometheus p) {
      return new Connection(p.address(), p.timeout(), null, p.headers(), p.authentication());
    }
  }

  /** Prometheus' answer: its HTTP status and body, with "Prometheus at URL" for messages. */
  record Reply(int status, String body, String where) {}

  /** No answer, with the reason in words (never a secret). */
  static final class Unanswered extends Exception {
    Unanswered(String message) {
      super(message, null, false, false);
    }
  }

  @Override
  public ProviderResult measure(MeasurementContext context) {
    Prometheus prometheus = context.metric().provider().prometheus();
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("query", prometheus.query());
    if (context.schedule() != null) {
      parameters.put("time", seconds(context.schedule().at().toEpochMilli()));
    }
    try {
      Reply reply = get(http, addresses, Connection.of(prometheus), "api/v1/query", parameters, context.secrets());
      return PrometheusResponse.read(reply.status(), reply.body(), reply.where());
    } catch (Unanswered e) {
      return new ProviderResult.Failure(e.getMessage());
    }
  }

  /** {@code GET <address>/<path>?<parameters>} with the connection's headers, authentication and timeout, where {@code addresses} allow. */
  static Reply get(OkHttpClient http, ProviderAddressPolicy addresses, Connection prometheus, String path, Map<String, String> parameters, SecretLookup secrets)
      throws Unanswered {
    HttpUrl address = prometheus.address() == null ? null : HttpUrl.parse(prometheus.address().strip());
    if (address == null) {
      throw new Unanswered("prometheus address \"" + prometheus.address() + "\" is not an http(s) URL");
    }
    String where = "Prometheus at " + shown(address);
    HttpUrl.Builder url = address.newBuilder().addPathSegments(path);
    parameters.forEach(url::addQueryParameter);
    Request.Builder request = new Request.Builder().url(url.build()).get().header("Accept", "application/json");
    try {
      Headers.add(request, prometheus.headers());
      authenticate(request, prometheus.authentication(), secrets);
    } catch (SecretLookupException e) {
      throw new Unanswered("prometheus authentication: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new Unanswered(e.getMessage());
    }
    Duration timeout = prometheus.timeout() == null || prometheus.timeout() <= 0
        ? DEFAULT_TIMEOUT : Duration.ofSeconds(prometheus.timeout());
    OkHttpClient client = HttpClients.forCall(http, timeout, Boolean.TRUE.equals(prometheus.insecure()), addresses);
    try (Response response = client.newCall(request.build()).execute()) {
      String body = ResponseBodies.read(response.body(), ResponseBodies.MAX_BYTES);
      return new Reply(response.code(), body, where);
    } catch (IOException e) {
      throw new Unanswered(HttpFailures.describe(where, e, timeout));
    }
  }

  private static void authenticate(Request.Builder request, Authentication auth, SecretLookup secrets) {
    if (auth == null) {
      return;
    }
    if (auth.bearer() != null && auth.bearer().secretKeyRef() != null) {
      var ref = auth.bearer().secretKeyRef();
      request.header("Authorization", "Bearer " + Headers.checked("Authorization", secrets.value(ref.name(), ref.key())));
    } else if (auth.basic() != null) {
      var basic = auth.basic();
      String password = basic.passwordSecretKeyRef() == null ? ""
          : secrets.value(basic.passwordSecretKeyRef().name(), basic.passwordSecretKeyRef().key());
      request.header("Authorization", Credentials.basic(basic.username() == null ? "" : basic.username(), password));
    }
  }

  /** Epoch milliseconds as Prometheus reads a time: seconds with a fraction. */
  static String seconds(long epochMillis) {
    return epochMillis % 1000 == 0 ? Long.toString(epochMillis / 1000)
        : BigDecimal.valueOf(epochMillis, 3).toPlainString();
  }

  /** The address without credentials, as people write it. */
  static String shown(HttpUrl address) {
    String text = address.newBuilder().username("").password("").build().toString();
    return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
  }
}
