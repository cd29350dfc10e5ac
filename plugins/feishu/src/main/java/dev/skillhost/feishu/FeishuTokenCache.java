package dev.skillhost.feishu;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import dev.skillhost.api.ProviderException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tenant access tokens per app, kept until shortly before they expire (Feishu gives two hours;
 * fetching one per message would spend the token endpoint's own rate limit). Concurrent
 * deliveries that find no usable token share one fetch. A token the gateway refused is forgotten
 * so the next call fetches anew. Memory only: a restarted host simply fetches again.
 */
final class FeishuTokenCache {

  /** Refresh this long before expiry, or a tenth of the lifetime when tokens are short (tests). */
  static final Duration MARGIN = Duration.ofMinutes(5);

  private record Cached(String token, Instant refreshAt) {}

  private final Clock clock;
  private final Map<String, Cached> tokens = new ConcurrentHashMap<>();
  private final Map<String, Future<String>> fetching = new ConcurrentHashMap<>();

  FeishuTokenCache(Clock clock) {
    this.clock = clock;
  }

  Future<String> token(FeishuSettings s, FeishuApi api) {
    String key = key(s);
    Cached c = tokens.get(key);
    if (c != null && clock.instant().isBefore(c.refreshAt())) {
      return Future.succeededFuture(c.token());
    }
    // A promise put in the map before the fetch starts: a fetch that fails at once must not
    // remove its entry while the map is still being updated.
    Promise<String> mine = Promise.promise();
    Future<String> pending = fetching.putIfAbsent(key, mine.future());
    if (pending != null) {
      return pending;
    }
    api.fetchToken(s)
        .map(json -> {
          String token = json.getString("tenant_access_token");
          if (token == null || token.isBlank()) {
            throw new ProviderException("malformed", 200, "Feishu's token answer has no tenant_access_token");
          }
          tokens.put(key, new Cached(token, clock.instant().plus(usable(json))));
          return token;
        })
        .onComplete(done -> {
          fetching.remove(key, mine.future());
          mine.handle(done);
        });
    return mine.future();
  }

  /** Drops {@code token} if it is still the cached one (a newer token fetched meanwhile stays). */
  void forget(FeishuSettings s, String token) {
    tokens.computeIfPresent(key(s), (k, c) -> c.token().equals(token) ? null : c);
  }

  private static Duration usable(JsonObject json) {
    Duration life = Duration.ofSeconds(Math.max(0, json.getLong("expire", 0L)));
    Duration tenth = life.dividedBy(10);
    return life.minus(tenth.compareTo(MARGIN) < 0 ? tenth : MARGIN);
  }

  private static String key(FeishuSettings s) {
    return s.base() + "|" + s.appId() + "|" + s.appSecret().hashCode();
  }
}
