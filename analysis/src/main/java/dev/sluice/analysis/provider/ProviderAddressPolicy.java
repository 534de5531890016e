package dev.sluice.analysis.provider;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.net.SocketFactory;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;

/**
 * Which addresses the HTTP providers (prometheus, judge, web) may reach, set by the operator: their
 * addresses are written by tenants, and the controller must not become their way to the cloud's
 * metadata service or the API server. Link-local addresses (169.254.0.0/16, fe80::/10) and the API
 * server's address and port are always denied; an allow list, when given, is the only ranges
 * reachable; a deny range always wins.
 *
 * <p>{@link #guard} enforces it on a client: each address the host resolves to is checked as the
 * socket is about to connect to it (after DNS, after every redirect), so a refused address is never
 * connected to, and a host that also resolves to an allowed address is reached there. Metrics
 * connect directly, never through a proxy the JVM may be configured with.
 */
public final class ProviderAddressPolicy {
  public static final List<AddressRange> ALWAYS_DENIED = List.of(AddressRange.parse("169.254.0.0/16"), AddressRange.parse("fe80::/10"));

  private final List<AddressRange> allow;
  private final List<AddressRange> deny;
  private final Set<InetSocketAddress> deniedEndpoints;
  private final SocketFactory sockets = new CheckedSockets();
  // connections made under this policy only, so a pooled connection was checked by it
  private final ConnectionPool connections = new ConnectionPool();

  /**
   * @param allow empty = any address not denied
   * @param deny in addition to {@link #ALWAYS_DENIED}
   * @param deniedEndpoints address and port pairs never reached, e.g. the API server's
   */
  public ProviderAddressPolicy(List<AddressRange> allow, List<AddressRange> deny, Set<InetSocketAddress> deniedEndpoints) {
    this.allow = List.copyOf(allow);
    List<AddressRange> all = new ArrayList<>(ALWAYS_DENIED);
    all.addAll(deny);
    this.deny = List.copyOf(all);
    this.deniedEndpoints = Set.copyOf(deniedEndpoints);
  }

  /** Only the ranges denied always. */
  public static ProviderAddressPolicy defaults() {
    return new ProviderAddressPolicy(List.of(), List.of(), Set.of());
  }

  /** Why a metric may not connect there, or null when it may. */
  public String refusal(InetSocketAddress endpoint) {
    InetAddress address = endpoint.getAddress();
    if (address == null) {
      return "the address of " + endpoint.getHostString() + " is not known";
    }
    String shown = address.getHostAddress();
    if (deniedEndpoints.contains(new InetSocketAddress(address, endpoint.getPort()))) {
      return "address " + shown + " port " + endpoint.getPort() + " is the API server's, which metrics may not reach";
    }
    for (AddressRange range : deny) {
      if (range.contains(address)) {
        return "address " + shown + " is in " + range + ", which metrics may not reach";
      }
    }
    if (!allow.isEmpty() && allow.stream().noneMatch(r -> r.contains(address))) {
      return "address " + shown + " is outside the ranges metrics may reach (" + String.join(", ", allow.stream().map(AddressRange::toString).toList()) + ")";
    }
    return null;
  }

  /** The client, connecting only to addresses this policy allows (a refusal is an {@link AddressRefused}). */
  OkHttpClient guard(OkHttpClient client) {
    // directly: through a proxy the address connected to would be the proxy's, and the metric's unchecked
    return client.newBuilder().proxy(Proxy.NO_PROXY).socketFactory(sockets).connectionPool(connections).build();
  }

  /** A connection the policy refused; its message says why. */
  static final class AddressRefused extends IOException {
    AddressRefused(String message) {
      super(message);
    }
  }

  private final class CheckedSockets extends SocketFactory {
    @Override
    public Socket createSocket() {
      return new CheckedSocket();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
      return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
      return connected(new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
      return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
      return connected(new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
    }

    private Socket connected(InetSocketAddress remote, InetSocketAddress local) throws IOException {
      Socket socket = new CheckedSocket();
      if (local != null) {
        socket.bind(local);
      }
      socket.connect(remote);
      return socket;
    }
  }

  private final class CheckedSocket extends Socket {
    @Override
    public void connect(SocketAddress endpoint, int timeout) throws IOException {
      if (endpoint instanceof InetSocketAddress inet) {
        String refusal = refusal(inet);
        if (refusal != null) {
          close();
          throw new AddressRefused(refusal);
        }
      }
      super.connect(endpoint, timeout);
    }
  }
}
