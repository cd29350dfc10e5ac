package dev.skillhost.local;

import java.util.Locale;
import java.util.Optional;

/**
 * How {@code extend} makes a video longer, pictures and sound alike: loop plays both again from the
 * start; boomerang plays the sound backwards while the pictures run backwards (it stays in step
 * with them and has no jump where it turns; silence there would cut the sound off every few
 * seconds); hold plays the sound once, then silence under the held last frame.
 */
enum ExtendMode {
  /** Play it again from the start. */
  LOOP,
  /** Forwards, then backwards, and so on: no jump at the seam. */
  BOOMERANG,
  /** Play it once, then hold the last frame. */
  HOLD;

  String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Optional<ExtendMode> parse(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT).replace('-', '_');
    if (v.equals("ping_pong") || v.equals("pingpong")) return Optional.of(BOOMERANG);
    if (v.equals("freeze")) return Optional.of(HOLD);
    for (ExtendMode m : values()) {
      if (m.wire().equals(v)) return Optional.of(m);
    }
    return Optional.empty();
  }

  /**
   * The source frame shown as the {@code j}-th frame of the output's timeline, for a source of
   * {@code n} frames.
   */
  int source(long j, int n) {
    if (n == 1) return 0;
    return switch (this) {
      case LOOP -> (int) (j % n);
      case HOLD -> (int) Math.min(j, n - 1);
      case BOOMERANG -> {
        long period = 2L * n - 2;
        int m = (int) (j % period);
        yield m < n ? m : (int) (period - m);
      }
    };
  }

  /**
   * The source sample heard at output sample {@code t}, or -1 for silence, in step with
   * {@link #source}: {@code span} is how many samples the source's frames last (frames / fps ×
   * rate), {@code turn} where a boomerang turns back ((frames − 1) / fps × rate, where the pictures do).
   */
  long sample(long t, long span, long turn) {
    return switch (this) {
      case LOOP -> t % span;
      case HOLD -> t < span ? t : -1;
      case BOOMERANG -> {
        if (turn <= 0) yield t < span ? t : -1;
        long period = 2 * turn;
        long m = t % period;
        yield m <= turn ? m : period - m;
      }
    };
  }
}
