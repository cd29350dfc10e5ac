package dev.skillhost.lovart;

import dev.skillhost.api.ProviderContext;
import dev.skillhost.api.ProviderException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * The spending POSTs ({@code /chat}, {@code /chat/confirm}): sent once, never re-sent on an unclear
 * outcome (a reset, a timeout, a 5xx: the caller reports it and the host reconciles). Only an
 * answer that certainly created nothing is waited out and sent again under the same
 * Idempotency-Key: 429/1429 (after its Retry-After) and 409/2011 (the thread is busy, e.g. with a
 * message sent outside Skillhost), within {@link #BUDGET} so the host's submit deadline holds.
 */
final class LovartSend {

  static final Duration BUDGET = Duration.ofSeconds(90);
  static final int MAX_ATTEMPTS = 4;

  private LovartSend() {}

  static Future<JsonObject> chat(LovartClient client, ProviderContext ctx, JsonObject body, String key) {
    return once(client, ctx, "/chat", body, key);
  }

  static Future<JsonObject> once(LovartClient client, ProviderContext ctx, String path, JsonObject body, String key) {
    return attempt(client, ctx, path, body, key, 0, 0);
  }

  private static Future<JsonObject> attempt(LovartClient client, ProviderContext ctx, String path, JsonObject body,
      String key, int attempt, long waited) {
    return client.post(path, body, key).recover(e -> {
      if (!(e instanceof ProviderException pe) || !refusedForNow(pe) || attempt + 1 >= MAX_ATTEMPTS) {
        return Future.failedFuture(e);
      }
      long wait = pe.retryAfter() != null ? pe.retryAfter().toMillis() : 5_000L << attempt;
      if (waited + wait > BUDGET.toMillis()) {
        return Future.failedFuture(e);
      }
      return ctx.vertx().timer(Math.max(1, wait))
          .compose(v -> attempt(client, ctx, path, body, key, attempt + 1, waited + wait));
    });
  }

  /** Answers that Lovart gives before doing anything: rate limited, or the thread is busy. */
  static boolean refusedForNow(ProviderException pe) {
    return pe.httpStatus() == 429 || pe.httpStatus() == 409 || "1429".equals(pe.code()) || "2011".equals(pe.code());
  }
}
