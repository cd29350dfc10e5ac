package dev.skillhost.local;

import io.vertx.core.json.JsonObject;

/** Rough running times, for the host's polling pace, and the facts every video output carries. */
final class Estimates {

  /** Frame pixels rendered and encoded per millisecond per core, with room to spare (1080p30 runs at ~55 fps on 2). */
  private static final double PIXELS_PER_MS_PER_CORE = 40_000;
  private static final long SETUP_MS = 1_000;

  private Estimates() {}

  static long videoMs(VideoFormat format) {
    double rate = PIXELS_PER_MS_PER_CORE * Runtime.getRuntime().availableProcessors();
    return SETUP_MS + (long) ((double) format.width() * format.height() * format.frames() / rate);
  }

  static long imageMs(long outputPixels) {
    return SETUP_MS + outputPixels / 20_000;
  }

  static JsonObject videoMeta(VideoFormat format) {
    return new JsonObject()
        .put("width", format.width())
        .put("height", format.height())
        .put("fps", format.fps())
        .put("frames", format.frames())
        .put("duration_ms", Math.round(format.frames() * 1000.0 / format.fps()))
        .put("codec", "h264");
  }
}
