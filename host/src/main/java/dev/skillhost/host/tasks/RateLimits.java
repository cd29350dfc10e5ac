package dev.skillhost.host.tasks;

import dev.skillhost.api.RateBucket;
import java.util.List;

/**
 * Room under the backends' published rate limits, asked synchronously on the engine's context:
 * {@link RateWindows} for one host, {@link SharedRateWindows} for several nodes on one PostgreSQL.
 * Part of {@link TaskRunner}.
 */
interface RateLimits {

  /**
   * Milliseconds until every limit that governs {@code call} has room; takes none. {@code demand}:
   * how many calls of this kind wait here, this one included.
   */
  long peek(String account, List<RateBucket> specs, RateBucket.Call call, long now, int demand);

  /** Counts one call under every limit that governs it and answers 0, or counts none and answers the wait. */
  long take(String account, List<RateBucket> specs, RateBucket.Call call, long now, int demand);

  /** Calls counted in {@code spec}'s window for {@code account}, for the bucket-fill gauge. */
  long used(String account, RateBucket spec, long now);

  /** Stops any timers; engine context. */
  default void close() {
  }
}
