package dev.skillhost.simulators.feishu;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Apps and their tenant access tokens, as {@code /open-apis/auth/v3/tenant_access_token/internal}
 * hands them out: a token lives {@code ttl} (two hours upstream); asking again while it has more
 * than the refresh window left answers the same token with its remaining seconds, asking inside
 * the window issues a new one while the old stays valid until it expires (Feishu documents both
 * tokens being valid at once).
 */
final class FeishuTokens {

  /** Why a bearer token was refused: the two codes Feishu's gateway answers. */
  enum Refusal { MISSING, INVALID }

  record Token(String value, String appId, Instant expiresAt) {}

  private static final Duration UPSTREAM_REFRESH_WINDOW = Duration.ofMinutes(30);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Clock clock;
  private final Map<String, String> secrets = new ConcurrentHashMap<>();
  private final Map<String, Token> byValue = new ConcurrentHashMap<>();
  private final Map<String, Token> latest = new ConcurrentHashMap<>();
  private final AtomicInteger issued = new AtomicInteger();
  private volatile Duration ttl;

  FeishuTokens(Clock clock, Duration ttl) {
    this.clock = clock;
    this.ttl = ttl;
  }

  void app(String appId, String appSecret) {
    secrets.put(appId, appSecret);
  }

  boolean knows(String appId) {
    return secrets.containsKey(appId);
  }

  boolean secretMatches(String appId, String appSecret) {
    String s = secrets.get(appId);
    return s != null && s.equals(appSecret);
  }

  void ttl(Duration next) {
    ttl = next;
  }

  /** The app's current token if it has enough life left, else a new one. */
  synchronized Token issue(String appId) {
    Instant now = clock.instant();
    Token current = latest.get(appId);
    if (current != null && Duration.between(now, current.expiresAt()).compareTo(refreshWindow()) > 0) {
      return current;
    }
    byte[] b = new byte[20];
    RANDOM.nextBytes(b);
    Token t = new Token("t-" + HexFormat.of().formatHex(b), appId, now.plus(ttl));
    byValue.put(t.value(), t);
    latest.put(appId, t);
    issued.incrementAndGet();
    return t;
  }

  /** Short test TTLs scale the window down, so a 10 s token is reused for 5 s, not never. */
  private Duration refreshWindow() {
    Duration half = ttl.dividedBy(2);
    return half.compareTo(UPSTREAM_REFRESH_WINDOW) < 0 ? half : UPSTREAM_REFRESH_WINDOW;
  }

  /** The app a request's {@code Authorization} header stands for, or why it is refused. */
  Object check(String authorization) {
    if (authorization == null || !authorization.startsWith("Bearer ") || authorization.length() <= 7) {
      return Refusal.MISSING;
    }
    Token t = byValue.get(authorization.substring(7).trim());
    if (t == null || !clock.instant().isBefore(t.expiresAt())) {
      return Refusal.INVALID;
    }
    return t.appId();
  }

  /** Ends every token now, as if two hours had passed (the next call gets 99991663). */
  synchronized void expireAll() {
    Instant now = clock.instant();
    byValue.replaceAll((v, t) -> new Token(v, t.appId(), now));
    latest.replaceAll((a, t) -> new Token(t.value(), a, now));
  }

  long remainingSeconds(Token t) {
    return Math.max(0, Duration.between(clock.instant(), t.expiresAt()).toSeconds());
  }

  int issued() {
    return issued.get();
  }
}
