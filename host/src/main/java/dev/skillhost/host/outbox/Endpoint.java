package dev.skillhost.host.outbox;

import dev.skillhost.host.net.AddressPolicy;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * A webhook URL resolved and checked: every address its name resolves to must be allowed by the
 * {@link AddressPolicy}, and the host then connects to the checked address itself, so a name that
 * answers differently a moment later (DNS rebinding) cannot reach a private address.
 *
 * @param host         the name (or literal) from the URL, sent as Host and SNI
 * @param address      the checked address to connect to
 * @param pathAndQuery what to request
 */
record Endpoint(String host, int port, boolean ssl, String pathAndQuery, InetAddress address) {

  /** A URL the host will not post to, and why. */
  static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(message, null, false, false);
    }
  }

  static final int MAX_URL = 2048;

  /** Checks the URL's form only (no lookup): what is wrong with it, or empty. */
  static Optional<String> formProblem(String url) {
    try {
      parse(url);
      return Optional.empty();
    } catch (Refused e) {
      return Optional.of(e.getMessage());
    }
  }

  /** Parses, resolves and checks {@code url}. Blocks on DNS: call from a worker. */
  static Endpoint resolve(String url, AddressPolicy policy) throws Refused {
    URI uri = parse(url);
    String host = uri.getHost();
    String name = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(name);
    } catch (UnknownHostException e) {
      throw new Refused("the webhook host '" + name + "' does not resolve");
    }
    for (InetAddress a : addresses) {
      Optional<String> why = policy.refusal(a);
      if (why.isPresent()) {
        throw new Refused("the webhook URL points at " + why.get() + "; the host posts to public addresses only"
            + " (an operator may allow more with net.allow in the host config)");
      }
    }
    boolean ssl = "https".equals(uri.getScheme().toLowerCase(Locale.ROOT));
    int port = uri.getPort() > 0 ? uri.getPort() : ssl ? 443 : 80;
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    if (uri.getRawQuery() != null) {
      path += "?" + uri.getRawQuery();
    }
    return new Endpoint(name, port, ssl, path, addresses[0]);
  }

  private static URI parse(String url) throws Refused {
    if (url.length() > MAX_URL) {
      throw new Refused("the webhook URL is longer than " + MAX_URL + " characters");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new Refused("the webhook URL is not a URL: " + e.getMessage());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new Refused("the webhook URL must be http or https, not '" + (scheme.isEmpty() ? url : scheme + ":") + "'");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new Refused("the webhook URL has no host name");
    }
    if (uri.getRawUserInfo() != null) {
      throw new Refused("the webhook URL must not carry a user name or password");
    }
    if (uri.getRawFragment() != null) {
      throw new Refused("the webhook URL must not have a #fragment");
    }
    return uri;
  }
}
