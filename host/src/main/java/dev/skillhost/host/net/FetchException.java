package dev.skillhost.host.net;

/**
 * Why a {@link SafeFetcher} fetch did not happen or was cut off, worded for the person who gave
 * the URL ("127.0.0.1 is a loopback address", "larger than 1048576 bytes"). Cheap: no stack trace.
 */
public final class FetchException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** What kind of refusal or failure; callers map it to an HTTP status or a retry decision. */
  public enum Kind {
    /** The URL or an address it leads to is not allowed (scheme, private address, too many redirects). */
    REFUSED,
    /** The body is larger than the limit. */
    TOO_LARGE,
    /** No answer, or no whole answer, in time. */
    TIMEOUT,
    /** The type (declared or sniffed) is not accepted. */
    UNSUPPORTED_TYPE,
    /** The server answered with an error status. */
    UPSTREAM_STATUS,
    /** The name does not resolve (not retried: that rarely mends itself within minutes). */
    NO_SUCH_HOST,
    /** The connection failed or broke off. */
    UNREACHABLE
  }

  private final Kind kind;
  private final int status;

  public FetchException(Kind kind, String message) {
    this(kind, 0, message);
  }

  public FetchException(Kind kind, int status, String message) {
    super(message, null, false, false);
    this.kind = kind;
    this.status = status;
  }

  public Kind kind() {
    return kind;
  }

  /** The upstream HTTP status for {@link Kind#UPSTREAM_STATUS}, else 0. */
  public int status() {
    return status;
  }

  /** Whether trying again later may help (a slow or failing server), unlike a refusal. */
  public boolean transientFault() {
    return kind == Kind.TIMEOUT || kind == Kind.UNREACHABLE || (kind == Kind.UPSTREAM_STATUS && (status >= 500 || status == 429));
  }
}
