package dev.skillhost.api;

import java.time.Duration;

/**
 * The one way errors leave a provider: the backend's own code, HTTP status and text, unchanged.
 * The skill's error map, not the provider, decides what they mean (kind, retry, action, message).
 * Use HTTP status 0 when no HTTP exchange happened (connection refused, timeout, bad input found
 * before sending).
 */
public class ProviderException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String code;
  private final int httpStatus;
  private final Duration retryAfter;
  private final boolean rejected;

  public ProviderException(String code, int httpStatus, String text) {
    this(code, httpStatus, text, null, null);
  }

  public ProviderException(String code, int httpStatus, String text, Duration retryAfter, Throwable cause) {
    this(code, httpStatus, text, retryAfter, cause, false);
  }

  private ProviderException(String code, int httpStatus, String text, Duration retryAfter, Throwable cause,
      boolean rejected) {
    super(text, cause, false, false);
    this.code = code;
    this.httpStatus = httpStatus;
    this.retryAfter = retryAfter;
    this.rejected = rejected;
  }

  /**
   * A submit refused before anything could be spent: bad parameters found before sending, or a
   * backend answer that certainly created no task. The host then fails the task plainly instead
   * of treating the submission as possibly received. (A 4xx reply other than 408 counts as
   * refused without this.)
   */
  public static ProviderException rejected(String code, String text) {
    return new ProviderException(code, 0, text, null, null, true);
  }

  /** The backend's error code as it sent it (string or number), or null. */
  public String code() {
    return code;
  }

  /** HTTP status of the failed exchange, or 0. */
  public int httpStatus() {
    return httpStatus;
  }

  /** The backend's text, unchanged. */
  public String text() {
    return getMessage();
  }

  /** The backend's {@code Retry-After}, when it sent one. */
  public Duration retryAfter() {
    return retryAfter;
  }

  /** True when the provider is sure nothing was sent or spent; see {@link #rejected(String, String)}. */
  public boolean rejected() {
    return rejected;
  }

  @Override
  public String toString() {
    return "ProviderException[code=" + code + ", http=" + httpStatus + "]: " + getMessage();
  }
}
