package dev.skillhost.host.tasks;

import dev.skillhost.api.RateBucket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The backends' published rate limits as token buckets, one per provider account and bucket.
 * Used on the engine's context only, so not synchronized.
 */
final class TokenBuckets {

  private static final class Bucket {
    final double capacity;
    final double perMs;
    double tokens;
    long last;

    Bucket(RateBucket spec, long now) {
      this.capacity = spec.permits();
      this.perMs = (double) spec.permits() / spec.window().toMillis();
      this.tokens = capacity;
      this.last = now;
    }

    long waitFor(long now) {
      tokens = Math.min(capacity, tokens + (now - last) * perMs);
      last = now;
      return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / perMs);
    }
  }

  private final Map<String, Bucket> buckets = new HashMap<>();

  /**
   * Takes one token from every bucket that governs {@code call}, or none: returns 0 when taken,
   * else the milliseconds until all have one.
   */
  long take(String account, List<RateBucket> specs, RateBucket.Call call, long now) {
    long wait = 0;
    List<Bucket> governing = new java.util.ArrayList<>(specs.size());
    for (RateBucket spec : specs) {
      if (spec.calls().contains(call)) {
        Bucket b = buckets.computeIfAbsent(account + '\u0000' + spec.name(), k -> new Bucket(spec, now));
        governing.add(b);
        wait = Math.max(wait, b.waitFor(now));
      }
    }
    if (wait == 0) {
      governing.forEach(b -> b.tokens -= 1);
    }
    return wait;
  }
}
