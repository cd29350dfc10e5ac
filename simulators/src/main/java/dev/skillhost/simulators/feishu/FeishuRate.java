package dev.skillhost.simulators.feishu;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Per-app, per-endpoint fixed-window limits, as Feishu's gateway applies them (the message API
 * documents 50/s per app). A refused call answers HTTP 429, code 99991400, and the gateway's
 * {@code x-ogw-ratelimit-reset} header (seconds until the window opens again).
 */
final class FeishuRate {

  private record Limit(int permits, long windowMs) {}

  private static final class Window {
    long start;
    int used;
  }

  private final Map<String, Limit> limits = new ConcurrentHashMap<>();
  private final Map<String, Window> windows = new ConcurrentHashMap<>();
  private final AtomicInteger refused = new AtomicInteger();

  void limit(String route, int permits, long windowMs) {
    limits.put(route, new Limit(permits, windowMs));
    windows.keySet().removeIf(k -> k.endsWith("|" + route));
  }

  /** Takes a permit; answers 0 when granted, else the milliseconds until the window resets. */
  synchronized long take(String appId, String route, long nowMs) {
    Limit l = limits.get(route);
    if (l == null) {
      return 0;
    }
    Window w = windows.computeIfAbsent(appId + "|" + route, k -> new Window());
    if (nowMs - w.start >= l.windowMs()) {
      w.start = nowMs;
      w.used = 0;
    }
    if (w.used < l.permits()) {
      w.used++;
      return 0;
    }
    refused.incrementAndGet();
    return Math.max(1, w.start + l.windowMs() - nowMs);
  }

  int refused() {
    return refused.get();
  }

  static int limitOf(FeishuRate rate, String route) {
    Limit l = rate.limits.get(route);
    return l == null ? 0 : l.permits();
  }
}
