package dev.skillhost.chatart;

import dev.skillhost.api.Estimate;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * The official client's cost tables ({@code video_gen.py _PRICING_TABLE}, {@code ai_image.py
 * _PRICING}, {@code video_mimic.py}), in credits. They are client-side and have changed between
 * releases, so they are an estimate; the backend's own {@code cost_credit} is what was charged.
 */
final class ChatArtPricing {

  static final String UNIT = "credits";

  /** video: "model|resolution" → prices for 5, 10, 15 s (the table holds totals, not per-second rates). */
  private static final Map<String, int[]> VIDEO = new HashMap<>();
  private static final Map<String, Integer> IMAGE = new HashMap<>();

  static {
    video("seedance-2.0", 480, 60, 120, 180);
    video("seedance-2.0", 720, 90, 180, 270);
    video("seedance-2.0", 1080, 120, 240, 360);
    video("seedance-2.0-fast", 480, 30, 60, 90);
    video("seedance-2.0-fast", 720, 60, 120, 180);
    video("seedance-2.0-mini", 480, 40, 80, 120);
    video("seedance-2.0-mini", 720, 60, 120, 180);
    video("seedance-1.5-pro", 480, 32, 64);
    video("seedance-1.5-pro", 720, 48, 96);
    video("seedance-1.5-pro", 1080, 64, 128);
    video("kling-3-0", 720, 40, 80, 120);
    video("kling-3-0", 1080, 60, 120, 180);
    video("kling-3-0", 2160, 200, 400, 600);
    video("happy-horse-1-0", 720, 48, 96, 144);
    video("happy-horse-1-0", 1080, 72, 144, 216);
    video("pix-verse-6", 360, 20, 40, 60);
    video("pix-verse-6", 540, 25, 50, 75);
    video("pix-verse-6", 720, 30, 60, 90);
    video("pix-verse-6", 1080, 50, 100, 150);

    IMAGE.put("gpt-image-2|1K|low", 6);
    IMAGE.put("gpt-image-2|1K|medium", 20);
    IMAGE.put("gpt-image-2|1K|high", 70);
    IMAGE.put("gpt-image-2|2K|low", 8);
    IMAGE.put("gpt-image-2|2K|medium", 30);
    IMAGE.put("gpt-image-2|2K|high", 100);
    IMAGE.put("gpt-image-2|4K|low", 10);
    IMAGE.put("gpt-image-2|4K|medium", 50);
    IMAGE.put("gpt-image-2|4K|high", 180);
    IMAGE.put("nano-banana-2|2K", 6);
    IMAGE.put("nano-banana-2|4K", 10);
    IMAGE.put("nano-banana-pro|2K", 10);
    IMAGE.put("nano-banana-pro|4K", 16);
    IMAGE.put("seedream-5.0-lite|2K", 6);
    IMAGE.put("seedream-5.0-lite|3K", 10);
  }

  private ChatArtPricing() {}

  private static void video(String model, int res, int... byDuration) {
    VIDEO.put(model + "|" + res, byDuration);
  }

  /** Video: TABLE[model, resolution, duration]; null when the table has no such row. */
  static Integer video(String model, int resolution, int duration) {
    int[] row = VIDEO.get(model + "|" + resolution);
    int index = duration == 5 ? 0 : duration == 10 ? 1 : duration == 15 ? 2 : -1;
    return row == null || index < 0 || index >= row.length ? null : row[index];
  }

  /** Image: TABLE["model|res"] or TABLE["model|res|quality"] for gpt-image-2; one image per task. */
  static Integer image(String model, String resolution, String quality) {
    String key = "gpt-image-2".equals(model) ? model + "|" + resolution + "|" + quality : model + "|" + resolution;
    return IMAGE.get(key);
  }

  /** Character replace: unitCost × resMultiplier[res] × seconds of the input video. */
  static double mimic(String model, int resolution, int seconds) {
    double unit = "kling-animate".equals(model) ? 12 : 6;
    double mult = resolution == 720 ? ("kling-animate".equals(model) ? 1.5 : 2) : 1;
    return unit * mult * seconds;
  }

  static Estimate of(Number credits, JsonObject breakdown) {
    return new Estimate(credits == null ? null : credits.doubleValue(), UNIT, breakdown);
  }
}
