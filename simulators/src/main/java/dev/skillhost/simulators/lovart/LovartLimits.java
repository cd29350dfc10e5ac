package dev.skillhost.simulators.lovart;

/**
 * Lovart's documented rate limits: chat (POST /chat, /chat/confirm) 60 a minute and 600 an hour;
 * queries (everything else) 300 a minute and 3000 an hour. Lovart does not say how it counts; this
 * simulator uses token buckets (capacity = the limit, refilled evenly over the window), the usual
 * gateway reading of "N per minute". A refused call spends no token.
 */
final class LovartLimits {

  /** One tier: a per-minute and a per-hour bucket, both must have a token. */
  static final class Tier {
    private final double[] capacity;
    private final double[] perMs;
    private final double[] tokens;
    private long last;

    Tier(long perMinute, long perHour, long now) {
      capacity = new double[] {perMinute, perHour};
      perMs = new double[] {perMinute / 60_000.0, perHour / 3_600_000.0};
      tokens = capacity.clone();
      last = now;
    }

    /** Takes a token from both buckets, or answers the whole seconds until both have one. */
    synchronized long take(long now) {
      long waitMs = 0;
      for (int i = 0; i < tokens.length; i++) {
        tokens[i] = Math.min(capacity[i], tokens[i] + (now - last) * perMs[i]);
        if (tokens[i] < 1) {
          waitMs = Math.max(waitMs, (long) Math.ceil((1 - tokens[i]) / perMs[i]));
        }
      }
      last = now;
      if (waitMs > 0) {
        return Math.max(1, (waitMs + 999) / 1000);
      }
      for (int i = 0; i < tokens.length; i++) {
        tokens[i] -= 1;
      }
      return 0;
    }
  }

  volatile Tier chat;
  volatile Tier query;

  LovartLimits(long chatMin, long chatHour, long queryMin, long queryHour, long now) {
    set(chatMin, chatHour, queryMin, queryHour, now);
  }

  void set(long chatMin, long chatHour, long queryMin, long queryHour, long now) {
    chat = new Tier(chatMin, chatHour, now);
    query = new Tier(queryMin, queryHour, now);
  }
}
