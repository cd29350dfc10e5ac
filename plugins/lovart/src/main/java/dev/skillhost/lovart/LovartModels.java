package dev.skillhost.lovart;

import dev.skillhost.api.ModelInfo;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Lovart's public tool catalog ({@code GET /v1/openapi/tools/catalog}) as models. {@link #SNAPSHOT}
 * is the catalog as {@code lovartai/lovart-skill@bd7052f} synced it, for {@code info()} (which may
 * do no I/O); {@link #of(JsonObject)} reads the live catalog ({@code account()} reports it). Lovart
 * gives no ratio, resolution or duration limits: the agent decides, so constraints carry only the
 * category and whether the tool is premium.
 */
final class LovartModels {

  private static final String[] IMAGE = {
      "generate_image_gpt_image_2", "generate_image_gpt_image_2_low", "generate_image_gpt_image_2_medium",
      "generate_image_gpt_image_2_high", "generate_image_nano_banana_pro", "generate_image_nano_banana_2",
      "generate_image_seedream_v5_pro", "generate_image_gpt_image_1_5", "generate_image_seedream_v5",
      "generate_image_luma_uni_1", "generate_image_luma_uni_1_max", "generate_image_flux_2_max",
      "generate_image_flux_2_pro", "generate_image_seedream_v4_5", "generate_image_nano_banana",
      "generate_image_seedream_v4", "generate_image_midjourney", "generate_image_ideogram_v4",
      "generate_image_qwen_image3", "generate_image_qwen_image3_pro", "generate_image_nano_banana_2_lite",
      "generate_image_p_image_ideogram"};
  private static final String[] VIDEO_PREMIUM = {
      "generate_video_seedance_v2_5", "generate_video_seedance_v2_0", "generate_video_seedance_v2_0_fast",
      "generate_video_seedance_v2_0_mini", "generate_video_kling_v3", "generate_video_kling_v3_omni",
      "generate_video_minimax_h3", "generate_video_kling_v2_6", "generate_video_veo3_1", "generate_video_veo3_1_fast",
      "generate_video_kling_omni_v1", "generate_video_veo3", "generate_video_gemini_omni_flash"};
  private static final String[] VIDEO = {
      "generate_video_seedance_pro_v1_5", "generate_video_wan_v2_6", "generate_video_hailuo_v2_3",
      "generate_video_vidu_q2"};

  static final List<ModelInfo> SNAPSHOT = snapshot();

  private LovartModels() {}

  private static List<ModelInfo> snapshot() {
    List<ModelInfo> models = new ArrayList<>();
    for (String id : IMAGE) models.add(model(id, id, "IMAGE", false));
    for (String id : VIDEO_PREMIUM) models.add(model(id, id, "VIDEO", true));
    for (String id : VIDEO) models.add(model(id, id, "VIDEO", false));
    models.add(model("generate_3d_tripo", "Tripo", "3D", false));
    models.add(new ModelInfo("upscale_image", "Upscale (edit tool, via include_tools)", List.of("image_edit"),
        new JsonObject().put("category", "EDIT")));
    return List.copyOf(models);
  }

  /** The live catalog's {@code tools[]} as models. */
  static List<ModelInfo> of(JsonObject catalog) {
    JsonArray tools = catalog.getJsonArray("tools", new JsonArray());
    List<ModelInfo> models = new ArrayList<>();
    for (Object o : tools) {
      if (o instanceof JsonObject t && t.getString("name") != null) {
        models.add(model(t.getString("name"), t.getString("display_name", t.getString("name")),
            t.getString("category", "IMAGE"), t.getBoolean("is_premium", false)));
      }
    }
    return models;
  }

  static JsonArray toJson(List<ModelInfo> models) {
    JsonArray out = new JsonArray();
    models.forEach(m -> out.add(new JsonObject().put("id", m.id()).put("name", m.name())
        .put("operations", new JsonArray(m.operations())).put("constraints", m.constraints())));
    return out;
  }

  private static ModelInfo model(String id, String name, String category, boolean premium) {
    List<String> ops = switch (category) {
      case "VIDEO" -> List.of("t2v", "i2v", "video_edit");
      case "3D" -> List.of("model_3d");
      default -> List.of("text2image", "image_edit");
    };
    return new ModelInfo(id, name, ops, new JsonObject().put("category", category).put("is_premium", premium));
  }
}
