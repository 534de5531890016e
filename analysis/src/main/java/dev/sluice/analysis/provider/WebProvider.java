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
 * without one, the whole document).
 */
public final class WebProvider implements MeasurementProvider {
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  private static final Set<String> METHODS = Set.of("GET", "POST", "PUT");
  private static final MediaType JSON_TYPE = MediaType.get("application/json");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Configuration JACKSON = Configuration.builder()
      .jsonProvider(new JacksonJsonProvider(JSON)).mappingProvider(new JacksonMappingProvider(JSON)).build();

  private final OkHttpClient http;

  public WebProvider(OkHttpClient http) {
    this.http = http;
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
    String where = "web metric at " + url.newBuilder().query(null).username("").password("").build();
    Request.Builder request = new Request.Builder().url(url);
    try {
      Headers.add(request, web.headers());
    } catch (IllegalArgumentException e) {
      return new ProviderResult.Failure(e.getMessage());
    }
    if (method.equals("GET")) {
      request.get();
    } else {
      request.method(method, RequestBody.create(web.body() == null ? "" : web.body(), JSON_TYPE));
    }
    Duration timeout = web.timeoutSeconds() == null || web.timeoutSeconds() <= 0
        ? DEFAULT_TIMEOUT : Duration.ofSeconds(web.timeoutSeconds());
    OkHttpClient client = HttpClients.forCall(http, timeout, Boolean.TRUE.equals(web.insecure()));
    try (Response response = client.newCall(request.build()).execute()) {
      String body = ResponseBodies.read(response.body(), ResponseBodies.MAX_BYTES);
      if (!response.isSuccessful()) {
        return new ProviderResult.Failure(where + " answered HTTP " + response.code() + ": " + PrometheusResponse.abbreviate(body));
      }
      return value(body, web.jsonPath(), where);
    } catch (IOException e) {
      return new ProviderResult.Failure(HttpFailures.describe(where, e, timeout));
    }
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
