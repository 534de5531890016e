package dev.sluice.cli.dashboard;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a request must look like for the dashboard to answer it.
 *
 * <ul>
 *   <li>Every request: the Host header names this server (127.0.0.1 or localhost and its port), so a
 *       web page that rebinds its own DNS name to 127.0.0.1 cannot read the dashboard.</li>
 *   <li>Actions (POST): the {@value #ACTION_HEADER} header, which a cross-site page can only send
 *       after a CORS preflight that this server never approves, and, when the browser sends an
 *       Origin, this server's own origin.</li>
 * </ul>
 */
public final class RequestGuard {
  public static final String ACTION_HEADER = "X-Sluice-Dashboard";

  private final String address;
  private final Set<String> hosts;
  private final Set<String> origins;

  public RequestGuard(int port) {
    this.address = "127.0.0.1:" + port;
    this.hosts = Set.of(address, "localhost:" + port);
    this.origins = Set.of("http://127.0.0.1:" + port, "http://localhost:" + port);
  }

  /** Empty when the request may go on, else why not (for a 403 answer). */
  public Optional<String> problem(String method, String host, String origin, String actionHeader) {
    if (host == null || !hosts.contains(host.toLowerCase(Locale.ROOT))) {
      return Optional.of("unexpected Host header " + (host == null ? "(none)" : "\"" + host + "\"")
          + ": open the dashboard as http://" + address + "/");
    }
    if (method.equals("GET") || method.equals("HEAD")) {
      return Optional.empty();
    }
    if (origin != null && !origins.contains(origin.toLowerCase(Locale.ROOT))) {
      return Optional.of("cross-site request refused (Origin " + origin + ")");
    }
    if (actionHeader == null || actionHeader.isBlank()) {
      return Optional.of("missing header " + ACTION_HEADER + ": actions are only taken from the dashboard page");
    }
    return Optional.empty();
  }
}
