package dev.skillhost.simulators.chatart;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A per-identity token bucket; answers how long to wait (ms) when empty, 0 when a token was taken. */
final class SimRate {

  private final Map<String, double[]> buckets = new ConcurrentHashMap<>();
  private volatile int permits;
  private volatile long windowMs;
  private volatile int refused;

  void limit(int permits, long windowMs) {
    this.permits = permits;
    this.windowMs = windowMs;
    buckets.clear();
  }

  int refused() {
    return refused;
  }

  synchronized long take(String identity) {
    long now = System.currentTimeMillis();
    double rate = (double) permits / windowMs;
    double[] b = buckets.computeIfAbsent(identity, k -> new double[] {permits, now});
    b[0] = Math.min(permits, b[0] + (now - b[1]) * rate);
    b[1] = now;
    if (b[0] >= 1) {
      b[0] -= 1;
      return 0;
    }
    refused++;
    return (long) Math.ceil((1 - b[0]) / rate);
  }
}
