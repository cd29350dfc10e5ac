package dev.skillhost.host.tasks;

import dev.skillhost.api.RateBucket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The backends' published rate limits ("300 reads a minute"), kept as sliding windows: a call may
 * go when fewer than {@code permits} calls went in the last {@code window}. Not token buckets
 * alone: a full bucket refilling at permits/window lets up to twice the limit through in one
 * window, and backends that count windows answer that with 429s. But a window alone spends its
 * whole allowance in a burst and then stands still for a window (the Lovart bench: 300 reads in
 * a second, then a minute of nothing); so calls under a window of a minute or less are also
 * spaced by a small bucket (a tenth of the limit as burst, refilled at the limit's rate), and the
 * window is the hard cap. One per provider
 * account and bucket; used on the engine's context only, so not synchronized. One host's own
 * limits (SQLite); several nodes on one PostgreSQL share theirs through {@link SharedRateWindows}.
 * The {@code demand} the runner passes is not needed here: a call is counted when it is taken.
 */
final class RateWindows implements RateLimits {

  /** The send times of the last {@code permits} calls, oldest first, in a ring. */
  private static final class Window {
    final long[] sent;
    final long length;
    int next;
    int count;

    /**
     * Windows of a minute or less are rates, and are spaced; longer ones ("3000 an hour") are
     * budgets: spacing them at their average would hold a busy hour to a trickle from the start.
     */
    boolean spaced() {
      return length <= 60_000;
    }

    /** The spacing bucket: up to a tenth of the limit at once, refilled at the limit's rate. */
    final double burst;
    final double perMs;
    double tokens;
    long filled;

    Window(RateBucket spec, long now) {
      this.sent = new long[(int) Math.min(spec.permits(), 1_000_000)];
      this.length = spec.window().toMillis();
      this.burst = Math.max(1, spec.permits() / 10);
      this.perMs = (double) spec.permits() / length;
      this.tokens = burst;
      this.filled = now;
    }

    /** Milliseconds until one more call fits both the window and the spacing. */
    long waitFor(long now) {
      tokens = Math.min(burst, tokens + (now - filled) * perMs);
      filled = now;
      long spaced = !spaced() || tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / perMs);
      if (count < sent.length) {
        return spaced;
      }
      long oldest = sent[next]; // the ring is full: next is the oldest
      return Math.max(spaced, oldest + length - now);
    }

    /** Calls made in the last {@link #length} ms: the newest send times, counted back from the newest. */
    long used(long now) {
      long n = 0;
      for (int i = 1; i <= count; i++) {
        if (sent[Math.floorMod(next - i, sent.length)] <= now - length) {
          break;
        }
        n++;
      }
      return n;
    }

    void record(long now) {
      sent[next] = now;
      next = (next + 1) % sent.length;
      count = Math.min(count + 1, sent.length);
      tokens -= 1;
    }
  }

  private final Map<String, Window> windows = new HashMap<>();

  /** Milliseconds until every window that governs {@code call} has room; takes none. */
  @Override
  public long peek(String account, List<RateBucket> specs, RateBucket.Call call, long now, int demand) {
    long wait = 0;
    for (RateBucket spec : specs) {
      if (spec.calls().contains(call)) {
        wait = Math.max(wait, window(account, spec, now).waitFor(now));
      }
    }
    return wait;
  }

  /**
   * Counts one call in every window that governs {@code call}, or in none: returns 0 when
   * counted, else the milliseconds until all have room.
   */
  @Override
  public long take(String account, List<RateBucket> specs, RateBucket.Call call, long now, int demand) {
    long wait = 0;
    List<Window> governing = new ArrayList<>(specs.size());
    for (RateBucket spec : specs) {
      if (spec.calls().contains(call)) {
        Window w = window(account, spec, now);
        governing.add(w);
        wait = Math.max(wait, w.waitFor(now));
      }
    }
    if (wait == 0) {
      governing.forEach(w -> w.record(now));
    }
    return wait;
  }

  /** Calls counted in {@code spec}'s window for {@code account} in the last window; 0 before the first. */
  @Override
  public long used(String account, RateBucket spec, long now) {
    Window w = windows.get(key(account, spec));
    return w == null ? 0 : w.used(now);
  }

  private Window window(String account, RateBucket spec, long now) {
    return windows.computeIfAbsent(key(account, spec), k -> new Window(spec, now));
  }

  private static String key(String account, RateBucket spec) {
    return account + '\u0000' + spec.name() + '\u0000' + spec.permits() + '/' + spec.window();
  }
}
