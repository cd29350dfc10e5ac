package dev.skillhost.host.outbox;

import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * What one attempt came to.
 *
 * @param kind       delivered, retry (try again on the schedule), failed (never again) or gone (the
 *                   webhook answered 410: this and every later delivery to it stop)
 * @param error      why not delivered, else null
 * @param retryAfter the receiver's own wait, at least honoured, or null
 * @param receipt    what the receiver answered, when delivered
 */
record Outcome(Kind kind, String error, Duration retryAfter, JsonObject receipt) {

  enum Kind { DELIVERED, RETRY, FAILED, GONE }

  static Outcome delivered(JsonObject receipt) {
    return new Outcome(Kind.DELIVERED, null, null, receipt);
  }

  static Outcome retry(String error, Duration retryAfter) {
    return new Outcome(Kind.RETRY, error, retryAfter, null);
  }

  static Outcome failed(String error) {
    return new Outcome(Kind.FAILED, error, null, null);
  }

  static Outcome gone(String error) {
    return new Outcome(Kind.GONE, error, null, null);
  }
}
