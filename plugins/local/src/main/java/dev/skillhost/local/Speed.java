package dev.skillhost.local;

import dev.skillhost.local.media.Motion;
import java.util.Locale;
import java.util.Optional;

/** How far a camera move goes over the clip: the zoom factor between its widest and closest view. */
enum Speed {
  SLOW(1.15, 1.12), NORMAL(1.3, 1.2), FAST(1.5, 1.35);

  private final double zoom;
  private final double pan;

  Speed(double zoom, double pan) {
    this.zoom = zoom;
    this.pan = pan;
  }

  /** The zoom factor for this move; pans zoom in less, just enough to have room to travel. */
  double amount(Motion motion) {
    return motion.isPan() ? pan : zoom;
  }

  String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Optional<Speed> parse(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    for (Speed s : values()) {
      if (s.wire().equals(v)) return Optional.of(s);
    }
    return Optional.empty();
  }
}
