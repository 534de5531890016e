package dev.sluice.analysis.provider;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.JsonPathException;
import com.jayway.jsonpath.PathNotFoundException;
import com.jayway.jsonpath.spi.json.JacksonJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import dev.sluice.analysis.condition.CelValues;
import dev.sluice.api.v1alpha1.MetricProvider.Web;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * An HTTP call (GET, POST or PUT with the metric's headers and body, timeout default 10 s) whose
 * JSON answer gives the value at {@code jsonPath} ({@code {$.data.ok}} or {@code $.data.ok};
 * without one, the whole document). A redirect is an error unless the metric sets
 * {@code followRedirects: true}; only addresses the {@link ProviderAddressPolicy} allows are connected to.
 */
public final class WebProvider implements MeasurementProvider {
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  private static final Set<String> METHODS = Set.of("GET", "POST", "PUT");
  private static final MediaType JSON_TYPE = MediaType.get("application/json");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Configuration JACKSON = Configuration.builder()
      .jsonProvider(new JacksonJsonProvider(JSON)).mappingProvider(new JacksonMappingProvider(JSON)).build();

  static final int MAX_REDIRECTS = 5;

  private final OkHttpClient http;
  private final ProviderAddressPolicy addresses;

  public WebProvider(OkHttpClient http, ProviderAddressPolicy addresses) {
    this.http = http;
    this.addresses = addresses;
  }

  @Override
  public ProviderResult measure(MeasurementContext context) {
    Web web = context.metric().provider().web();
    HttpUrl url = HttpUrl.parse(web.url().strip());
    if (url == null) {
      return new ProviderResult.Failure("web url \"" + web.url() + "\" is not an http(s) URL");
    }
    String method = web.method() == null || web.method().isBlank() ? "GET" : web.method().strip().toUpperCase(Locale.ROOT);
    if (!METHODS.contains(method)) {
      return new ProviderResult.Failure("web method \"" + web.method() + "\" is not one of GET, POST, PUT");
    }
    String where = "web metric at " + shown(url);
    Request request;
    try {
      request = request(url, method, web, true);
    } catch (IllegalArgumentException e) {
      return new ProviderResult.Failure(e.getMessage());
    }
    Duration timeout = web.timeoutSeconds() == null || web.timeoutSeconds() <= 0
        ? DEFAULT_TIMEOUT : Duration.ofSeconds(web.timeoutSeconds());
    OkHttpClient client = HttpClients.forCall(http, timeout, Boolean.TRUE.equals(web.insecure()), addresses).newBuilder()
        .followRedirects(false).followSslRedirects(false)
        .build();
    try {
      for (int redirects = 0; ; redirects++) {
        try (Response response = client.newCall(request).execute()) {
          if (!response.isRedirect()) {
            String body = ResponseBodies.read(response.body(), ResponseBodies.MAX_BYTES);
            if (!response.isSuccessful()) {
              return new ProviderResult.Failure(where + " answered HTTP " + response.code() + ": " + PrometheusResponse.abbreviate(body));
            }
            return value(body, web.jsonPath(), where);
          }
          String location = response.header("Location");
          HttpUrl next = location == null ? null : response.request().url().resolve(location);
          if (next == null) {
            return new ProviderResult.Failure(where + " answered HTTP " + response.code() + " without a usable Location");
          }
          if (!Boolean.TRUE.equals(web.followRedirects())) {
            return new ProviderResult.Failure(where + " answered HTTP " + response.code() + ", a redirect to " + shown(next)
                + "; redirects are followed only with followRedirects: true");
          }
          if (redirects == MAX_REDIRECTS) {
            return new ProviderResult.Failure(where + " redirected more than " + MAX_REDIRECTS + " times");
          }
          boolean keepsMethod = response.code() == 307 || response.code() == 308;
          request = request(next, keepsMethod ? method : "GET", web, sameOrigin(url, next));
        }
      }
    } catch (IOException e) {
      return new ProviderResult.Failure(HttpFailures.describe(where, e, timeout));
    }
  }

  /** The metric's headers (they may carry credentials) go only to the metric's own scheme, host and port. */
  private static Request request(HttpUrl url, String method, Web web, boolean withHeaders) {
    Request.Builder request = new Request.Builder().url(url);
    if (withHeaders) {
      Headers.add(request, web.headers());
    }
    if (method.equals("GET")) {
      request.get();
    } else {
      request.method(method, RequestBody.create(web.body() == null ? "" : web.body(), JSON_TYPE));
    }
    return request.build();
  }

  private static boolean sameOrigin(HttpUrl a, HttpUrl b) {
    return a.scheme().equals(b.scheme()) && a.host().equals(b.host()) && a.port() == b.port();
  }

  /** The URL without credentials and query, which may carry secrets. */
  private static String shown(HttpUrl url) {
    return url.newBuilder().query(null).username("").password("").build().toString();
  }

  static ProviderResult value(String body, String jsonPath, String where) {
    Object document;
    try {
      document = JACKSON.jsonProvider().parse(body);
    } catch (JsonPathException e) {
      return new ProviderResult.Failure(where + " did not answer JSON: " + PrometheusResponse.abbreviate(body));
    }
    String path = path(jsonPath);
    Object value;
    try {
      value = path == null ? document : JsonPath.using(JACKSON).parse(document).read(path);
    } catch (PathNotFoundException e) {
      return new ProviderResult.Failure("jsonPath " + jsonPath + " matches nothing in the answer of " + where + ": " + PrometheusResponse.abbreviate(body));
    } catch (InvalidPathException e) {
      return new ProviderResult.Failure("jsonPath " + jsonPath + " is not a valid JSONPath: " + e.getMessage());
    }
    return new ProviderResult.Observed(shown(value), CelValues.of(value), null);
  }

  /** Argo writes JSONPath in kubectl's braces: {@code {$.data.ok}}. */
  private static String path(String jsonPath) {
    if (jsonPath == null || jsonPath.isBlank()) {
      return null;
    }
    String p = jsonPath.strip();
    if (p.startsWith("{") && p.endsWith("}")) {
      p = p.substring(1, p.length() - 1).strip();
    }
    return p.startsWith("$") ? p : "$" + (p.startsWith(".") || p.startsWith("[") ? "" : ".") + p;
  }

  private static String shown(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof String) {
      return (String) value;
    }
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      return String.valueOf(value);
    }
  }
}
