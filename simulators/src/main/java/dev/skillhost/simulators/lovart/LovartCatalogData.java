package dev.skillhost.simulators.lovart;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Base64;

/**
 * What the simulator's public catalog and CDN serve: a slice of Lovart's tool catalog as
 * {@code lovartai/lovart-skill@bd7052f} synced it, and a real 1×1 PNG for generated images.
 */
final class LovartCatalogData {

  private static final String[][] TOOLS = {
      {"generate_image_gpt_image_2", "GPT Image 2 Auto", "IMAGE", "false"},
      {"generate_image_nano_banana_pro", "Nano Banana Pro", "IMAGE", "false"},
      {"generate_image_midjourney", "Midjourney", "IMAGE", "false"},
      {"generate_image_seedream_v4_5", "Seedream 4.5", "IMAGE", "false"},
      {"generate_video_seedance_v2_0", "Seedance 2.0", "VIDEO", "true"},
      {"generate_video_kling_v3", "Kling 3.0", "VIDEO", "true"},
      {"generate_video_veo3_1", "Veo 3.1", "VIDEO", "true"},
      {"generate_video_wan_v2_6", "Wan 2.6", "VIDEO", "false"},
      {"generate_3d_tripo", "Tripo", "3D", "false"},
      {"upscale_image", "Upscale", "IMAGE", "false"},
  };

  private static final byte[] PNG = Base64.getDecoder().decode(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

  private LovartCatalogData() {}

  static JsonObject envelope() {
    JsonArray tools = new JsonArray();
    for (String[] t : TOOLS) {
      tools.add(new JsonObject().put("name", t[0]).put("display_name", t[1]).put("category", t[2])
          .put("is_premium", Boolean.parseBoolean(t[3])));
    }
    return LovartSimulator.envelope(0, "success", new JsonObject().put("tools", tools));
  }

  static Buffer tinyPng() {
    return Buffer.buffer(PNG);
  }
}
