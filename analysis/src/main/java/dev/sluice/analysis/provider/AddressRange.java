package dev.sluice.analysis.provider;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** A CIDR range such as {@code 10.0.0.0/8} or {@code fe80::/10}; a bare address is a range of one. */
public record AddressRange(String text, byte[] network, int prefix) {

  /** @throws IllegalArgumentException naming the text when it is not an IP address with an optional /prefix */
  public static AddressRange parse(String cidr) {
    String text = cidr == null ? "" : cidr.strip();
    int slash = text.indexOf('/');
    String address = slash < 0 ? text : text.substring(0, slash);
    // literal addresses only: a host name here would be looked up, which is not what a range means
    if (address.isEmpty() || !(address.contains(":") || address.matches("[0-9.]+"))) {
      throw new IllegalArgumentException("\"" + cidr + "\" is not an address range such as 10.0.0.0/8 or fd00::/8");
    }
    byte[] bytes;
    try {
      bytes = InetAddress.getByName(address).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("\"" + cidr + "\" is not an address range such as 10.0.0.0/8 or fd00::/8");
    }
    int prefix;
    try {
      prefix = slash < 0 ? bytes.length * 8 : Integer.parseInt(text.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("\"" + cidr + "\" has a prefix length that is not a number");
    }
    if (prefix < 0 || prefix > bytes.length * 8) {
      throw new IllegalArgumentException("\"" + cidr + "\" has a prefix length outside 0.." + bytes.length * 8);
    }
    return new AddressRange(text, bytes, prefix);
  }

  public boolean contains(InetAddress address) {
    byte[] candidate = address.getAddress();
    if (candidate.length != network.length) {
      return false;
    }
    int bits = prefix;
    for (int i = 0; i < network.length && bits > 0; i++, bits -= 8) {
      int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
      if ((candidate[i] & mask) != (network[i] & mask)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return text;
  }
}
