package dev.sluice.cli.dashboard;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sluice.cli.CliException;
import dev.sluice.cli.kube.KubeErrors;
import dev.sluice.cli.kube.RolloutClient;
import dev.sluice.cli.kube.StoredRollouts;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The dashboard's HTTP server, on 127.0.0.1 only.
 *
 * <pre>
 * GET  /                                  the rollouts by namespace (page)
 * GET  /rollouts/NS/NAME                  one rollout (page)
 * GET  /assets/FILE                       the pages' CSS and JavaScript
 * GET  /api/rollouts                      {@link RolloutListView} as JSON
 * GET  /api/rollouts/NS/NAME              {@link RolloutView} as JSON
 * POST /api/rollouts/NS/NAME/ACTION       promote, abort or retry (needs the X-Sluice-Dashboard header)
 * GET  /api/live                          Server-Sent Events: "rollouts" with the list, again on every change
 * GET  /api/live/NS/NAME                  Server-Sent Events: "rollout" with the view, "gone", or "problem"
 * </pre>
 *
 * Errors are JSON {"error": "..."} with a fitting status code.
 */
public final class DashboardServer implements AutoCloseable {
  private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
  private static final long KEEP_ALIVE_MILLIS = 15_000;
  private static final long RECONNECT_MILLIS = 1_000;
  private static final String JSON = "application/json; charset=utf-8";
  // the pages load nothing but their own files, so injected markup could not run a script anyway
  private static final String PAGE_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
      + "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

  private final HttpServer server;
  private final ExecutorService executor;
  private final ClusterCache cache;
  private final KubernetesClient client;
  private final RequestGuard guard;
  private final Consumer<String> log;
  private final StaticAssets assets = new StaticAssets();

  private DashboardServer(HttpServer server, ExecutorService executor, ClusterCache cache, KubernetesClient client,
      Consumer<String> log) {
    this.server = server;
    this.executor = executor;
    this.cache = cache;
    this.client = client;
    this.guard = new RequestGuard(server.getAddress().getPort());
    this.log = log;
  }

  /**
   * Listens on 127.0.0.1:{@code port} (0: any free port) and serves from {@code cache}.
   *
   * @param client sends the actions' patches
   * @param log one line per action taken
   */
  public static DashboardServer start(ClusterCache cache, KubernetesClient client, int port, Consumer<String> log) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    } catch (BindException e) {
      throw new CliException("cannot listen on 127.0.0.1:" + port + ": " + e.getMessage() + " (choose another port with --port)");
    } catch (IOException e) {
      throw new CliException("cannot listen on 127.0.0.1:" + port + ": " + e.getMessage());
    }
    // each live stream holds a thread while the page is open
    ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
      Thread thread = new Thread(runnable, "sluice-dashboard-http");
      thread.setDaemon(true);
      return thread;
    });
    DashboardServer dashboard = new DashboardServer(server, executor, cache, client, log);
    server.setExecutor(executor);
    server.createContext("/", dashboard::handle);
    server.start();
    return dashboard;
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  @Override
  public void close() {
    server.stop(0);
    // wakes the live streams waiting for a change
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) {
    try {
      route(exchange);
    } catch (IOException e) {
      // the browser went away while we answered: nothing to tell anyone
    } catch (RuntimeException e) {
      trySend(exchange, 500, DashboardJson.error("the dashboard failed to answer: " + e));
    } finally {
      exchange.close();
    }
  }

  private void route(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    Headers headers = exchange.getRequestHeaders();
    Optional<String> refused = guard.problem(method, headers.getFirst("Host"), headers.getFirst("Origin"),
        headers.getFirst(RequestGuard.ACTION_HEADER));
    if (refused.isPresent()) {
      send(exchange, 403, JSON, DashboardJson.error(refused.get()));
      return;
    }
    List<String> path = segments(exchange.getRequestURI().getRawPath());
    boolean get = method.equals("GET");
    if (path.isEmpty()) {
      if (get) page(exchange, "index.html"); else notAllowed(exchange, "GET");
    } else if (path.get(0).equals("assets") && path.size() == 2) {
      if (get) asset(exchange, path.get(1)); else notAllowed(exchange, "GET");
    } else if (path.get(0).equals("rollouts") && path.size() == 3) {
      if (!get) notAllowed(exchange, "GET");
      else if (validNames(exchange, path.get(1), path.get(2))) page(exchange, "rollout.html");
    } else if (path.get(0).equals("api") && path.size() >= 2) {
      api(exchange, method, path.subList(1, path.size()));
    } else {
      send(exchange, 404, JSON, DashboardJson.error("no such page: " + exchange.getRequestURI().getRawPath()));
    }
  }

  private void api(HttpExchange exchange, String method, List<String> path) throws IOException {
    boolean get = method.equals("GET");
    String kind = path.get(0);
    if (kind.equals("rollouts") && path.size() == 1) {
      if (get) send(exchange, 200, JSON, DashboardJson.write(listView())); else notAllowed(exchange, "GET");
    } else if (kind.equals("rollouts") && path.size() == 3) {
      if (!get) notAllowed(exchange, "GET");
      else if (validNames(exchange, path.get(1), path.get(2))) rolloutJson(exchange, path.get(1), path.get(2));
    } else if (kind.equals("rollouts") && path.size() == 4) {
      if (!method.equals("POST")) notAllowed(exchange, "POST");
      else if (validNames(exchange, path.get(1), path.get(2))) action(exchange, path.get(1), path.get(2), path.get(3));
    } else if (kind.equals("live") && path.size() == 1) {
      if (get) stream(exchange, this::listFrame); else notAllowed(exchange, "GET");
    } else if (kind.equals("live") && path.size() == 3) {
      if (!get) notAllowed(exchange, "GET");
      else if (validNames(exchange, path.get(1), path.get(2))) stream(exchange, () -> rolloutFrame(path.get(1), path.get(2)));
    } else {
      send(exchange, 404, JSON, DashboardJson.error("no such API: " + exchange.getRequestURI().getRawPath()));
    }
  }

  private RolloutListView listView() {
    String namespace = cache.namespace();
    return RolloutListView.of(namespace, cache.rollouts());
  }

  private void rolloutJson(HttpExchange exchange, String namespace, String name) throws IOException {
    Optional<String> missing = missing(namespace, name);
    if (missing.isPresent()) {
      send(exchange, 404, JSON, DashboardJson.error(missing.get()));
      return;
    }
    ClusterCache.RolloutObjects objects = cache.rollout(namespace, name).orElseThrow();
    send(exchange, 200, JSON, DashboardJson.write(view(objects)));
  }

  private void action(HttpExchange exchange, String namespace, String name, String actionName) throws IOException {
    Optional<RolloutAction> action = RolloutAction.named(actionName);
    if (action.isEmpty()) {
      send(exchange, 404, JSON, DashboardJson.error("no such action \"" + actionName + "\": promote, abort or retry"));
      return;
    }
    if (!cache.watches(namespace)) {
      send(exchange, 404, JSON, DashboardJson.error(notWatched(namespace)));
      return;
    }
    try {
      String done = action.get().apply(new RolloutClient(client, namespace), name);
      log.accept(action.get().pathName() + " " + namespace + "/" + name + ": " + done);
      send(exchange, 200, JSON, DashboardJson.message(done));
    } catch (CliException e) {
      send(exchange, 404, JSON, DashboardJson.error(e.getMessage()));
    } catch (KubernetesClientException e) {
      String message = KubeErrors.describe(e, client.getConfiguration().getMasterUrl());
      log.accept(action.get().pathName() + " " + namespace + "/" + name + " failed: " + message);
      int code = e.getCode();
      send(exchange, code == 403 || code == 404 || code == 409 || code == 422 ? code : 502, JSON, DashboardJson.error(message));
    }
  }

  private String listFrame() {
    Optional<String> failure = cache.failure();
    if (failure.isPresent()) return SseFrames.event("problem", DashboardJson.error(failure.get()));
    return SseFrames.event("rollouts", DashboardJson.write(listView()));
  }

  private String rolloutFrame(String namespace, String name) {
    Optional<String> failure = cache.failure();
    if (failure.isPresent()) return SseFrames.event("problem", DashboardJson.error(failure.get()));
    Optional<String> missing = missing(namespace, name);
    if (missing.isPresent()) return SseFrames.event("gone", DashboardJson.error(missing.get()));
    return SseFrames.event("rollout", DashboardJson.write(view(cache.rollout(namespace, name).orElseThrow())));
  }

  private static RolloutView view(ClusterCache.RolloutObjects objects) {
    return RolloutViews.of(objects.rollout(), objects.replicaSets(), objects.pods(), objects.analysisRuns());
  }

  private Optional<String> missing(String namespace, String name) {
    if (!cache.watches(namespace)) return Optional.of(notWatched(namespace));
    Optional<StoredRollouts.Unreadable> unreadable = cache.unreadable(namespace, name);
    if (unreadable.isPresent()) return Optional.of(unreadable.get().line());
    if (cache.rollout(namespace, name).isEmpty()) {
      return Optional.of("rollout \"" + name + "\" not found in namespace \"" + namespace + "\"");
    }
    return Optional.empty();
  }

  private String notWatched(String namespace) {
    return "the dashboard watches namespace \"" + cache.namespace() + "\" only, not \"" + namespace
        + "\" (start it without -n to see all namespaces)";
  }

  /**
   * Sends the frame now and again whenever the cluster changed and the frame with it; a comment
   * line when nothing changed for a while, which also notices a page that was closed.
   */
  private void stream(HttpExchange exchange, Supplier<String> frame) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
    securityHeaders(exchange);
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    write(out, SseFrames.retry(RECONNECT_MILLIS));
    ChangeSignal changes = cache.changes();
    String sent = null;
    try {
      while (true) {
        long seen = changes.version();
        if (seen == ChangeSignal.CLOSED) return;
        String next = safely(frame);
        if (!next.equals(sent)) {
          write(out, next);
          sent = next;
        }
        long now = changes.awaitAfter(seen, KEEP_ALIVE_MILLIS);
        if (now == ChangeSignal.CLOSED) return;
        if (now == seen) write(out, SseFrames.keepAlive());
      }
    } catch (InterruptedException e) {
      // the server is closing
      Thread.currentThread().interrupt();
    }
  }

  private static String safely(Supplier<String> frame) {
    try {
      return frame.get();
    } catch (RuntimeException e) {
      return SseFrames.event("problem", DashboardJson.error("the dashboard failed to render: " + e));
    }
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private void page(HttpExchange exchange, String file) throws IOException {
    StaticAssets.Asset asset = assets.get(file).orElseThrow(() -> new IllegalStateException("dashboard/" + file + " is not in the jar"));
    exchange.getResponseHeaders().set("Content-Security-Policy", PAGE_POLICY);
    send(exchange, 200, asset.contentType(), asset.bytes());
  }

  private void asset(HttpExchange exchange, String file) throws IOException {
    Optional<StaticAssets.Asset> asset = assets.get(file);
    if (asset.isEmpty()) {
      send(exchange, 404, JSON, DashboardJson.error("no such file: " + file));
      return;
    }
    send(exchange, 200, asset.get().contentType(), asset.get().bytes());
  }

  private static boolean validNames(HttpExchange exchange, String namespace, String name) throws IOException {
    if (!NAMESPACE.matcher(namespace).matches()) {
      send(exchange, 400, JSON, DashboardJson.error("not a namespace name: \"" + namespace + "\""));
      return false;
    }
    if (!NAME.matcher(name).matches()) {
      send(exchange, 400, JSON, DashboardJson.error("not a rollout name: \"" + name + "\""));
      return false;
    }
    return true;
  }

  private static void notAllowed(HttpExchange exchange, String allowed) throws IOException {
    exchange.getResponseHeaders().set("Allow", allowed);
    send(exchange, 405, JSON, DashboardJson.error(exchange.getRequestMethod() + " is not allowed here (only " + allowed + ")"));
  }

  private static List<String> segments(String rawPath) {
    if (rawPath == null) return List.of();
    return Arrays.stream(rawPath.split("/")).filter(s -> !s.isEmpty()).toList();
  }

  private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
    send(exchange, status, contentType, body.getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    securityHeaders(exchange);
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static void securityHeaders(HttpExchange exchange) {
    Headers headers = exchange.getResponseHeaders();
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("Referrer-Policy", "no-referrer");
    headers.set("Cache-Control", "no-store");
  }

  private static void trySend(HttpExchange exchange, int status, String body) {
    try {
      send(exchange, status, JSON, body);
    } catch (IOException | RuntimeException e) {
      // the answer had begun already, or the browser left: the connection closes either way
    }
  }
}
