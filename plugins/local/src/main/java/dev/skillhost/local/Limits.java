package dev.skillhost.local;

import io.vertx.core.json.JsonObject;

/**
 * What the local provider accepts, from the {@code limits} object of its configuration section
 * ({@code providers.local.limits} in {@code skillhost.yaml}); each key falls back to its default.
 *
 * @param maxDurationS      longest video it makes, in seconds
 * @param maxFps            highest frame rate
 * @param maxShortSide      largest short side of a video (1080 is "1080p")
 * @param maxInputPixels    largest still it decodes, checked from the file's header first
 * @param maxVideoPixels    largest input video frame
 * @param maxInputVideoS    longest input video
 * @param maxImages         most pictures in a slideshow
 * @param maxOutputPixels   largest still it writes (upscales)
 */
record Limits(int maxDurationS, int maxFps, int maxShortSide, long maxInputPixels, long maxVideoPixels,
    int maxInputVideoS, int maxImages, long maxOutputPixels) {

  static final int DEFAULT_MAX_DURATION_S = 60;
  static final int DEFAULT_MAX_FPS = 60;
  static final int DEFAULT_MAX_SHORT_SIDE = 1080;
  static final long DEFAULT_MAX_INPUT_PIXELS = 50_000_000;
  static final long DEFAULT_MAX_VIDEO_PIXELS = 4096L * 2160;
  static final int DEFAULT_MAX_INPUT_VIDEO_S = 120;
  static final int DEFAULT_MAX_IMAGES = 20;
  static final long DEFAULT_MAX_OUTPUT_PIXELS = 50_000_000;

  static final Limits DEFAULT = new Limits(DEFAULT_MAX_DURATION_S, DEFAULT_MAX_FPS, DEFAULT_MAX_SHORT_SIDE,
      DEFAULT_MAX_INPUT_PIXELS, DEFAULT_MAX_VIDEO_PIXELS, DEFAULT_MAX_INPUT_VIDEO_S, DEFAULT_MAX_IMAGES,
      DEFAULT_MAX_OUTPUT_PIXELS);

  static Limits from(JsonObject config) {
    JsonObject l = config.getJsonObject("limits", new JsonObject());
    return new Limits(
        l.getInteger("max_duration_s", DEFAULT_MAX_DURATION_S),
        l.getInteger("max_fps", DEFAULT_MAX_FPS),
        l.getInteger("max_short_side", DEFAULT_MAX_SHORT_SIDE),
        l.getLong("max_input_pixels", DEFAULT_MAX_INPUT_PIXELS),
        l.getLong("max_video_pixels", DEFAULT_MAX_VIDEO_PIXELS),
        l.getInteger("max_input_video_s", DEFAULT_MAX_INPUT_VIDEO_S),
        l.getInteger("max_images", DEFAULT_MAX_IMAGES),
        l.getLong("max_output_pixels", DEFAULT_MAX_OUTPUT_PIXELS));
  }

  JsonObject toJson() {
    return new JsonObject().put("max_duration_s", maxDurationS).put("max_fps", maxFps)
        .put("max_resolution", maxShortSide + "p").put("max_input_pixels", maxInputPixels)
        .put("max_video_pixels", maxVideoPixels).put("max_input_video_s", maxInputVideoS)
        .put("max_images", maxImages).put("max_output_pixels", maxOutputPixels);
  }
}
