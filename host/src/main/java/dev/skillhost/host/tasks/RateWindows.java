package dev.skillhost.host.tasks;

import dev.skillhost.api.RateBucket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The backends' published rate limits ("300 reads a minute"), kept as sliding windows: a call may
 * go when fewer than {@code permits} calls went in the last {@code window}. Not token buckets: a
 * full bucket refilling at permits/window lets up to twice the limit through in one window, and
 * backends that count windows answer that with 429s. One window per provider account and bucket;
 * used on the engine's context only, so not synchronized.
 */
final class RateWindows {

  /** The send times of the last {@code permits} calls, oldest first, in a ring. */
  private static final class Window {
    final long[] sent;
    final long length;
    int next;
    int count;

    Window(RateBucket spec) {
      this.sent = new long[(int) Math.min(spec.permits(), 1_000_000)];
      this.length = spec.window().toMillis();
    }

    /** Milliseconds until one more call fits. */
    long waitFor(long now) {
      if (count < sent.length) {
        return 0;
      }
      long oldest = sent[next]; // the ring is full: next is the oldest
      return Math.max(0, oldest + length - now);
    }

    void record(long now) {
      sent[next] = now;
      next = (next + 1) % sent.length;
      count = Math.min(count + 1, sent.length);
    }
  }

  private final Map<String, Window> windows = new HashMap<>();

  /** Milliseconds until every window that governs {@code call} has room; takes none. */
  long peek(String account, List<RateBucket> specs, RateBucket.Call call, long now) {
    long wait = 0;
    for (RateBucket spec : specs) {
      if (spec.calls().contains(call)) {
        wait = Math.max(wait, window(account, spec).waitFor(now));
      }
    }
    return wait;
  }

  /**
   * Counts one call in every window that governs {@code call}, or in none: returns 0 when
   * counted, else the milliseconds until all have room.
   */
  long take(String account, List<RateBucket> specs, RateBucket.Call call, long now) {
    long wait = 0;
    List<Window> governing = new ArrayList<>(specs.size());
    for (RateBucket spec : specs) {
      if (spec.calls().contains(call)) {
        Window w = window(account, spec);
        governing.add(w);
        wait = Math.max(wait, w.waitFor(now));
      }
    }
    if (wait == 0) {
      governing.forEach(w -> w.record(now));
    }
    return wait;
  }

  private Window window(String account, RateBucket spec) {
    return windows.computeIfAbsent(account + '\u0000' + spec.name() + '\u0000' + spec.permits() + '/' + spec.window(),
        k -> new Window(spec));
  }
}
