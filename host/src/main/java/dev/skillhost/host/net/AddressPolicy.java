package dev.skillhost.host.net;

import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which addresses the host may connect to on a user's behalf (fetching a URL they gave, posting
 * to their webhook): public unicast only. Loopback, private, link-local, multicast, carrier-grade
 * NAT, reserved and cloud-metadata ranges are refused, including when written as IPv4-mapped or
 * NAT64 IPv6, unless the configuration allows them explicitly (tests allow 127.0.0.1).
 *
 * <p>Checks resolved addresses, never names: callers resolve, check every address, then connect
 * to the checked address itself, so a name that changes its answer in between (DNS rebinding)
 * cannot slip through.
 */
public final class AddressPolicy {

  /** One refused range and why. */
  private record Range(byte[] base, int bits, String why) {
    boolean contains(byte[] address) {
      if (address.length != base.length) {
        return false;
      }
      int full = bits / 8;
      for (int i = 0; i < full; i++) {
        if (address[i] != base[i]) {
          return false;
        }
      }
      int rest = bits % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xff << (8 - rest)) & 0xff;
      return (address[full] & mask) == (base[full] & mask);
    }
  }

  private static final List<Range> REFUSED = List.of(
      range("169.254.169.254/32", "a cloud metadata address"),
      range("100.100.100.200/32", "a cloud metadata address"),
      range("fd00:ec2::254/128", "a cloud metadata address"),
      range("0.0.0.0/8", "an unspecified address"),
      range("127.0.0.0/8", "a loopback address"),
      range("10.0.0.0/8", "a private address"),
      range("172.16.0.0/12", "a private address"),
      range("192.168.0.0/16", "a private address"),
      range("100.64.0.0/10", "a carrier-grade NAT address"),
      range("169.254.0.0/16", "a link-local address"),
      range("192.0.0.0/24", "a reserved address"),
      range("192.0.2.0/24", "a documentation address"),
      range("198.18.0.0/15", "a benchmarking address"),
      range("198.51.100.0/24", "a documentation address"),
      range("203.0.113.0/24", "a documentation address"),
      range("224.0.0.0/4", "a multicast address"),
      range("240.0.0.0/4", "a reserved address"),
      range("::/128", "an unspecified address"),
      range("::1/128", "a loopback address"),
      range("fc00::/7", "a private (unique local) address"),
      range("fe80::/10", "a link-local address"),
      range("ff00::/8", "a multicast address"),
      range("2001:db8::/32", "a documentation address"));

  private final List<Range> allowed;
  private final List<String> allowedText;

  private AddressPolicy(List<Range> allowed, List<String> allowedText) {
    this.allowed = List.copyOf(allowed);
    this.allowedText = List.copyOf(allowedText);
  }

  /** Public addresses only. */
  public static AddressPolicy publicOnly() {
    return new AddressPolicy(List.of(), List.of());
  }

  /**
   * Public addresses plus these ranges, e.g. {@code 127.0.0.1/32} for tests or a company proxy's
   * {@code 10.1.2.0/24}. A bare address means just that address.
   *
   * @throws IllegalArgumentException for an entry that is not an address or CIDR range
   */
  public static AddressPolicy allowing(List<String> cidrs) {
    List<Range> ranges = new ArrayList<>();
    for (String cidr : cidrs) {
      ranges.add(range(cidr.contains("/") ? cidr : cidr + (cidr.contains(":") ? "/128" : "/32"), "allowed"));
    }
    return new AddressPolicy(ranges, cidrs);
  }

  public List<String> allowed() {
    return allowedText;
  }

  /** Why the host may not connect to {@code address}, or empty when it may. */
  public Optional<String> refusal(InetAddress address) {
    byte[] bytes = address.getAddress();
    for (Range r : allowed) {
      if (r.contains(bytes)) {
        return Optional.empty();
      }
    }
    byte[] embedded = embeddedIpv4(address);
    if (embedded != null) {
      try {
        return refusal(InetAddress.getByAddress(embedded)).map(why -> why + " (written as IPv6)");
      } catch (UnknownHostException e) {
        return Optional.of("an address that cannot be read");
      }
    }
    for (Range r : REFUSED) {
      if (r.contains(bytes)) {
        return Optional.of(address.getHostAddress() + " is " + r.why());
      }
    }
    return Optional.empty();
  }

  /** The IPv4 address inside an IPv4-mapped ({@code ::ffff:a.b.c.d}), compatible or NAT64 IPv6 address. */
  private static byte[] embeddedIpv4(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return null;
    }
    byte[] b = address.getAddress();
    boolean zero10 = true;
    for (int i = 0; i < 10; i++) {
      zero10 &= b[i] == 0;
    }
    boolean mapped = zero10 && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
    boolean compatible = zero10 && b[10] == 0 && b[11] == 0 && new BigInteger(1, b).compareTo(BigInteger.ONE) > 0;
    boolean nat64 = (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
    if (mapped || compatible || nat64) {
      return new byte[] {b[12], b[13], b[14], b[15]};
    }
    return null;
  }

  private static Range range(String cidr, String why) {
    int slash = cidr.indexOf('/');
    String host = cidr.substring(0, slash);
    int bits;
    try {
      bits = Integer.parseInt(cidr.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + cidr + "' is not an address range like 10.0.0.0/8");
    }
    if (!host.matches("[0-9a-fA-F:.]+")) {
      throw new IllegalArgumentException("'" + cidr + "' is not an address range like 10.0.0.0/8 (names are not allowed)");
    }
    try {
      byte[] base = InetAddress.getByName(host).getAddress(); // a literal: no lookup
      if (bits < 0 || bits > base.length * 8) {
        throw new IllegalArgumentException("'" + cidr + "': prefix length must be 0 to " + base.length * 8);
      }
      return new Range(base, bits, why);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("'" + cidr + "' is not an address range like 10.0.0.0/8");
    }
  }
}
