package dev.skillhost.local.media;

import java.util.Locale;
import java.util.Optional;

/**
 * A camera move over a still ("Ken Burns"). Pans name where the camera goes: in {@code PAN_LEFT}
 * the camera moves left, so the picture's content slides to the right across the frame.
 */
public enum Motion {
  ZOOM_IN, ZOOM_OUT, PAN_LEFT, PAN_RIGHT, PAN_UP, PAN_DOWN,
  /** Zoom in towards the picture's centre of interest, easing in and out. */
  PUSH_IN;

  /** The wire name, e.g. {@code zoom_in}. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Motion> parse(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
    for (Motion m : values()) {
      if (m.wire().equals(v)) return Optional.of(m);
    }
    return Optional.empty();
  }

  public boolean isPan() {
    return this == PAN_LEFT || this == PAN_RIGHT || this == PAN_UP || this == PAN_DOWN;
  }
}
