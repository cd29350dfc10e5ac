package dev.skillhost.api;

import java.time.Duration;
import java.util.Set;

/**
 * A published rate limit, e.g. Lovart's 300 reads a minute. The host keeps one sliding window per
 * provider account and bucket and makes a call of the listed kinds only when fewer than
 * {@code permits} went in the last {@code window}, so no window of the backend's ever sees more.
 * Calls that wait for room wait in line, first come first served.
 *
 * @param name    bucket name for logs and metrics
 * @param permits calls allowed per window
 * @param window  the window
 * @param calls   which calls draw from this bucket
 */
public record RateBucket(String name, long permits, Duration window, Set<Call> calls) {

  /** The kinds of provider call the host rate-limits. */
  public enum Call { SUBMIT, POLL, CANCEL, ACCOUNT }

  public RateBucket {
    if (permits <= 0 || window.isZero() || window.isNegative()) {
      throw new IllegalArgumentException("a rate bucket needs positive permits and window");
    }
    calls = Set.copyOf(calls);
  }
}
