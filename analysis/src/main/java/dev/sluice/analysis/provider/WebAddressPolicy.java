package dev.sluice.analysis.provider;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Which addresses web metrics may reach, set by the operator: a metric is written by a tenant, and
 * the controller must not become their way to the cloud's metadata service or the API server.
 * Link-local addresses (169.254.0.0/16, fe80::/10) and the API server's address and port are
 * always denied; an allow list, when given, is the only ranges reachable; a deny range always wins.
 * The address checked is the one actually connected to, after DNS and after every redirect, and
 * no request is sent to a refused one.
 */
public final class WebAddressPolicy {
  public static final List<AddressRange> ALWAYS_DENIED = List.of(AddressRange.parse("169.254.0.0/16"), AddressRange.parse("fe80::/10"));

  private final List<AddressRange> allow;
  private final List<AddressRange> deny;
  private final Set<InetSocketAddress> deniedEndpoints;

  /**
   * @param allow empty = any address not denied
   * @param deny in addition to {@link #ALWAYS_DENIED}
   * @param deniedEndpoints address and port pairs never reached, e.g. the API server's
   */
  public WebAddressPolicy(List<AddressRange> allow, List<AddressRange> deny, Set<InetSocketAddress> deniedEndpoints) {
    this.allow = List.copyOf(allow);
    List<AddressRange> all = new ArrayList<>(ALWAYS_DENIED);
    all.addAll(deny);
    this.deny = List.copyOf(all);
    this.deniedEndpoints = Set.copyOf(deniedEndpoints);
  }

  /** Only the ranges denied always. */
  public static WebAddressPolicy defaults() {
    return new WebAddressPolicy(List.of(), List.of(), Set.of());
  }

  /** Why a web metric may not connect there, or null when it may. */
  public String refusal(InetSocketAddress endpoint) {
    InetAddress address = endpoint.getAddress();
    if (address == null) {
      return "the address of " + endpoint.getHostString() + " is not known";
    }
    String shown = address.getHostAddress();
    if (deniedEndpoints.contains(new InetSocketAddress(address, endpoint.getPort()))) {
      return "address " + shown + " port " + endpoint.getPort() + " is the API server's, which web metrics may not reach";
    }
    for (AddressRange range : deny) {
      if (range.contains(address)) {
        return "address " + shown + " is in " + range + ", which web metrics may not reach";
      }
    }
    if (!allow.isEmpty() && allow.stream().noneMatch(r -> r.contains(address))) {
      return "address " + shown + " is outside the ranges web metrics may reach (" + String.join(", ", allow.stream().map(AddressRange::toString).toList()) + ")";
    }
    return null;
  }
}
