package dev.skillhost.host.tasks;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When to look at a task next. Sparse before the ETA (halfway to it each time), dense just after
 * it, then slowly sparser the later a task runs. A backend's own hint wins, within bounds.
 * Transient faults back off exponentially with full jitter.
 */
final class Pacing {

  private final long minMs;
  private final long maxMs;

  Pacing(Duration min, Duration max) {
    this.minMs = min.toMillis();
    this.maxMs = Math.max(max.toMillis(), minMs);
  }

  long nextPoll(long elapsedMs, long etaMs, Duration hint) {
    long delay;
    if (hint != null) {
      delay = hint.toMillis();
    } else if (elapsedMs < etaMs) {
      delay = (etaMs - elapsedMs) / 2;
    } else {
      delay = minMs + (elapsedMs - etaMs) / 10;
    }
    delay = clamp(delay);
    // ±10% so that thousands of tasks submitted together do not poll in lockstep
    long spread = delay / 10;
    return spread == 0 ? delay : clamp(delay - spread + ThreadLocalRandom.current().nextLong(2 * spread + 1));
  }

  long backoff(int failures, Duration retryAfter) {
    long cap = Math.min(maxMs, minMs * (1L << Math.min(failures, 16)));
    long jittered = ThreadLocalRandom.current().nextLong(minMs, Math.max(minMs, cap) + 1);
    return retryAfter == null ? jittered : Math.max(jittered, retryAfter.toMillis());
  }

  long max() {
    return maxMs;
  }

  private long clamp(long delay) {
    return Math.max(minMs, Math.min(maxMs, delay));
  }
}
