package dev.skillhost.simulators.chatart;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One generation the simulator took: who asked, what it cost, and how far it is. It answers status
 * 0 until it has been looked at {@code pollsUntilDone} times, then 1 (or 2 when told to fail, with
 * the credits given back).
 */
final class SimTask {

  static final Set<String> VIDEO_MODELS = Set.of("seedance-2.0", "seedance-2.0-fast", "seedance-2.0-mini",
      "seedance-1.5-pro", "kling-3-0", "happy-horse-1-0", "pix-verse-6");
  static final Set<String> MIMIC_MODELS = Set.of("kling-animate", "wan-2.2");
  static final Set<String> IMAGE_MODELS = Set.of("gpt-image-2", "nano-banana-2", "nano-banana-pro", "seedream-5.0-lite");
  /** The backend's price list: model|quality → price for 5, 10, 15 s. */
  private static final Map<String, int[]> VIDEO_PRICES = Map.ofEntries(
      Map.entry("seedance-2.0|480p", new int[] {60, 120, 180}), Map.entry("seedance-2.0|720p", new int[] {90, 180, 270}),
      Map.entry("seedance-2.0|1080p", new int[] {120, 240, 360}), Map.entry("seedance-2.0-fast|480p", new int[] {30, 60, 90}),
      Map.entry("seedance-2.0-fast|720p", new int[] {60, 120, 180}), Map.entry("seedance-2.0-mini|480p", new int[] {40, 80, 120}),
      Map.entry("seedance-2.0-mini|720p", new int[] {60, 120, 180}), Map.entry("seedance-1.5-pro|480p", new int[] {32, 64}),
      Map.entry("seedance-1.5-pro|720p", new int[] {48, 96}), Map.entry("seedance-1.5-pro|1080p", new int[] {64, 128}),
      Map.entry("kling-3-0|720p", new int[] {40, 80, 120}), Map.entry("kling-3-0|1080p", new int[] {60, 120, 180}),
      Map.entry("kling-3-0|4k", new int[] {200, 400, 600}), Map.entry("happy-horse-1-0|720p", new int[] {48, 96, 144}),
      Map.entry("happy-horse-1-0|1080p", new int[] {72, 144, 216}), Map.entry("pix-verse-6|360p", new int[] {20, 40, 60}),
      Map.entry("pix-verse-6|540p", new int[] {25, 50, 75}), Map.entry("pix-verse-6|720p", new int[] {30, 60, 90}),
      Map.entry("pix-verse-6|1080p", new int[] {50, 100, 150}));
  private static final Map<String, Integer> IMAGE_PRICES = Map.ofEntries(
      Map.entry("gpt-image-2|1|low", 6), Map.entry("gpt-image-2|1|medium", 20), Map.entry("gpt-image-2|1|high", 70),
      Map.entry("gpt-image-2|2|low", 8), Map.entry("gpt-image-2|2|medium", 30), Map.entry("gpt-image-2|2|high", 100),
      Map.entry("gpt-image-2|3|low", 10), Map.entry("gpt-image-2|3|medium", 50), Map.entry("gpt-image-2|3|high", 180),
      Map.entry("nano-banana-2|2", 6), Map.entry("nano-banana-2|3", 10), Map.entry("nano-banana-pro|2", 10),
      Map.entry("nano-banana-pro|3", 16), Map.entry("seedream-5.0-lite|2", 6), Map.entry("seedream-5.0-lite|4", 10));

  final String id;
  final SimAccount owner;
  final boolean image;
  final JsonObject request;
  final double cost;
  final long createdAt = System.currentTimeMillis() / 1000;
  final int pollsUntilDone;
  final String failWith;
  int polls;
  int status;

  SimTask(String id, SimAccount owner, boolean image, JsonObject request, double cost, int pollsUntilDone, String failWith) {
    this.id = id;
    this.owner = owner;
    this.image = image;
    this.request = request;
    this.cost = cost;
    this.pollsUntilDone = pollsUntilDone;
    this.failWith = failWith;
  }

  /** One look: advances the task, answers the data the poll endpoint sends. */
  synchronized JsonObject look(String base) {
    polls++;
    if (status == 0 && polls >= pollsUntilDone) {
      status = failWith == null ? 1 : 2;
      if (status == 2) {
        owner.refund(cost);
      }
    }
    JsonObject data = new JsonObject().put("status", status).put("cost_credit", status == 1 ? cost : 0)
        .put("error", status == 2 ? failWith : "").put("real_error", status == 2 ? failWith : "");
    if (status == 1) {
      if (image) {
        data.put("message", new JsonArray().add(new JsonObject().put("url", base + "/files/" + id + "-1.png")))
            .put("output_message", "");
      } else {
        data.put("message", new JsonObject().put("url", base + "/files/" + id + ".mp4"));
      }
    } else {
      data.put("message", image ? new JsonArray() : new JsonObject());
    }
    return data;
  }

  synchronized boolean unfinished() {
    return status == 0;
  }

  synchronized JsonObject historyEntry(String base) {
    JsonArray files = status == 1 ? new JsonArray().add(new JsonObject().put("status", 1)
        .put("url", base + "/files/" + id + (image ? "-1.png" : ".mp4"))) : new JsonArray();
    JsonObject e = new JsonObject().put("id", id).put("create_at", createdAt).put("comment", status == 2 ? failWith : "");
    return image ? e.put("is_drawing", status).put("pic_url", files)
        : e.put("status", status).put("file", files).put("error_message", status == 2 ? failWith : "");
  }

  /** What the backend charges for a video body, or -1 when it cannot price it (bad parameters). */
  static double videoCost(JsonObject body) {
    String model = body.getString("gpt_type", "");
    String quality = String.valueOf(body.getValue("quality"));
    int duration;
    try {
      duration = Integer.parseInt(String.valueOf(body.getValue("duration")));
    } catch (NumberFormatException e) {
      return -1;
    }
    if ("104".equals(body.getString("video_id"))) {
      if (!MIMIC_MODELS.contains(model)) return -1;
      boolean kling = model.equals("kling-animate");
      double mult = quality.equals("720p") ? (kling ? 1.5 : 2) : quality.equals("480p") ? 1 : -1;
      return mult < 0 ? -1 : (kling ? 12 : 6) * mult * duration;
    }
    int[] row = VIDEO_PRICES.get(model + "|" + quality);
    int i = List.of(5, 10, 15).indexOf(duration);
    return row == null || i < 0 || i >= row.length ? -1 : row[i];
  }

  static double imageCost(JsonObject body) {
    String model = body.getString("gpt_type", "");
    Object def = body.getValue("image_definition");
    String key = model + "|" + def + (model.equals("gpt-image-2") ? "|" + body.getString("quality", "medium") : "");
    Integer price = IMAGE_PRICES.get(key);
    return price == null ? -1 : price;
  }
}
