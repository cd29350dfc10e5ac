package dev.skillhost.simulators.chatart;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Predicate;

/**
 * What the backend refuses in a generate call before it spends: the required fields, the models
 * and kinds it knows, the number of inputs each kind takes, and inputs that were never uploaded.
 * Each answer is {@code "<code> <message>"} (e.g. {@code "4004 resource not found: …"}), or null.
 */
final class SimChecks {

  private SimChecks() {}

  static String video(JsonObject b, Predicate<String> uploaded) {
    String videoId = b.getString("video_id");
    String model = b.getString("gpt_type");
    JsonArray urls = b.getJsonArray("image_url", new JsonArray());
    if (videoId == null || model == null || b.getValue("quality") == null) {
      return "4003 required parameter null (video_id, gpt_type, quality)";
    }
    if (!model.equals(b.getString("original_model"))) {
      return "4001 original_model must equal gpt_type";
    }
    boolean mimic = videoId.equals("104");
    if (!(mimic ? SimTask.MIMIC_MODELS : SimTask.VIDEO_MODELS).contains(model)) {
      return "4000 model name err";
    }
    int need = switch (videoId) {
      case "101" -> 0;
      case "102" -> -1;
      case "103" -> 1;
      case "104" -> 2;
      default -> -2;
    };
    if (need == -2) {
      return "4000 unknown video_id " + videoId;
    }
    if (need >= 0 && urls.size() != need || need == -1 && (urls.isEmpty() || urls.size() > 9)) {
      return "4000 video_id " + videoId + " does not take " + urls.size() + " input URL(s)";
    }
    if (videoId.equals("101") && b.getString("prompt", "").isBlank()) {
      return "4003 prompt is required";
    }
    if (videoId.equals("102") && !List.of("single_image", "first_last_frames", "omni_reference").contains(b.getString("function_mode"))) {
      return "4000 unknown function_mode";
    }
    if (mimic && !List.of("animate", "replace").contains(b.getString("mode"))) {
      return "4000 mode must be animate or replace";
    }
    return urls(urls, uploaded);
  }

  static String image(JsonObject b, Predicate<String> uploaded) {
    if (b.getString("gpt_type") == null || b.getValue("picture_scale") == null || b.getValue("image_definition") == null) {
      return "4003 required parameter null (gpt_type, picture_scale, image_definition)";
    }
    if (!SimTask.IMAGE_MODELS.contains(b.getString("gpt_type"))) {
      return "4000 model name err";
    }
    if (b.getString("description", "").isBlank()) {
      return "4003 description is required";
    }
    int scene = b.getInteger("scene_id", 0);
    JsonArray refs = b.getJsonArray("reference_image", new JsonArray());
    if (scene == 13 && refs.isEmpty() || scene == 4 && !refs.isEmpty() || scene != 4 && scene != 13) {
      return "4000 scene_id " + scene + " does not take " + refs.size() + " reference image(s)";
    }
    return urls(refs, uploaded);
  }

  /** Inputs must be objects uploaded to the bucket, named in any form {@link SimOss#keyOf} reads ({@code uploaded}). */
  private static String urls(JsonArray urls, Predicate<String> uploaded) {
    for (Object u : urls) {
      String s = String.valueOf(u);
      if (!uploaded.test(s)) {
        return "4004 resource not found: " + s;
      }
    }
    return null;
  }
}
