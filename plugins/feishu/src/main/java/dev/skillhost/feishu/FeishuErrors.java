package dev.skillhost.feishu;

import dev.skillhost.api.ProviderException;
import io.vertx.core.MultiMap;
import java.time.Duration;
import java.util.Set;

/**
 * How a Feishu answer maps to the channel's one error type. The host retries a plain
 * {@link ProviderException} later and ends the delivery on a {@link ProviderException#rejected
 * rejected} one, so: rate limits carry {@code retryAfter}; 5xx and network trouble stay plain
 * (retrying is safe: the message call carries the delivery's {@code uuid}); bad credentials,
 * missing scopes, a bot outside the chat and bad parameters are rejected, since a retry would
 * fail the same way.
 */
final class FeishuErrors {

  /** The gateway refused the tenant token: fetch a new one and try once more. */
  static final Set<String> TOKEN_CODES = Set.of("99991661", "99991663", "99991664", "99991665");
  /** App-wide frequency limit (gateway) and the per-chat one of the message API. */
  static final Set<String> RATE_CODES = Set.of("99991400", "230020");
  static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);

  private FeishuErrors() {}

  /** The failure an answer with HTTP {@code status} and envelope {@code code}/{@code msg} stands for. */
  static ProviderException of(int status, String code, String msg, MultiMap headers) {
    String text = msg == null || msg.isBlank() ? "Feishu answered HTTP " + status : msg;
    if (status == 429 || (code != null && RATE_CODES.contains(code))) {
      return new ProviderException(code == null ? "rate_limited" : code, status == 200 ? 429 : status, text,
          retryAfter(headers), null);
    }
    if (status >= 500 || status == 408) {
      return new ProviderException(code == null ? "http_" + status : code, status, text, retryAfter(headers), null);
    }
    return ProviderException.rejected(code == null ? "http_" + status : code, text + " (HTTP " + status + ")");
  }

  static boolean tokenRefused(Throwable e) {
    return e instanceof ProviderException p && p.code() != null && TOKEN_CODES.contains(p.code());
  }

  /** Feishu's gateway says when the window opens in {@code x-ogw-ratelimit-reset}; some proxies send Retry-After. */
  static Duration retryAfter(MultiMap headers) {
    for (String name : new String[] {"x-ogw-ratelimit-reset", "Retry-After"}) {
      String v = headers == null ? null : headers.get(name);
      if (v != null) {
        try {
          return Duration.ofSeconds(Math.max(1, Long.parseLong(v.trim())));
        } catch (NumberFormatException ignored) {
          // an HTTP date or garbage: fall through to the default
        }
      }
    }
    return DEFAULT_RETRY_AFTER;
  }
}
