package dev.skillhost.lovart;

import dev.skillhost.api.Estimate;
import dev.skillhost.api.Job;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * What a message may cost, before sending. Lovart publishes no prices and the official client has
 * no estimator: the server names the cost itself when it stops in {@code pending_confirmation}.
 * When the task names tools ({@code prefer_models}, {@code include_tools}), the costs a third-party
 * integration doc reports having observed are given, marked unverified; otherwise the amount is
 * unknown.
 */
final class LovartCosts {

  /** [3P] observed credits per tool (unverified). */
  private static final Map<String, Double> OBSERVED = Map.ofEntries(
      Map.entry("generate_image_gpt_image_2_medium", 14.0), Map.entry("generate_image_gpt_image_2_high", 50.0),
      Map.entry("generate_video_seedance_v2_0", 14.0), Map.entry("generate_video_seedance_pro_v1_5", 14.0),
      Map.entry("generate_video_veo3_1", 14.0), Map.entry("generate_video_veo3_1_fast", 14.0),
      Map.entry("generate_video_hailuo_v2_3", 14.0), Map.entry("generate_video_vidu_q2", 14.0),
      Map.entry("generate_video_veo3", 10.0), Map.entry("generate_3d_tripo", 14.0));
  /** [3P] tools free in unlimited mode. */
  private static final Set<String> FREE_UNLIMITED = Set.of("generate_image_gpt_image_1_5", "generate_image_gpt_image_2",
      "generate_image_gpt_image_2_low", "generate_image_midjourney", "generate_image_nano_banana",
      "generate_image_nano_banana_2", "generate_image_nano_banana_pro", "generate_image_seedream_v4",
      "generate_image_seedream_v4_5", "generate_video_kling_v2_6", "generate_video_kling_omni_v1",
      "generate_video_wan_v2_6");

  private LovartCosts() {}

  static Estimate estimate(Job job) {
    Set<String> tools = new LinkedHashSet<>();
    JsonObject prefer = LovartChat.preferModels(job.params());
    if (prefer != null) {
      prefer.forEach(e -> {
        if (e.getValue() instanceof JsonArray a) a.forEach(t -> tools.add(String.valueOf(t)));
      });
    }
    JsonArray include = LovartChat.tools(job.params(), "include_tools");
    if (include != null) include.forEach(t -> tools.add(String.valueOf(t)));
    boolean unlimited = "unlimited".equals(LovartChat.string(job.params(), "account_mode"));
    JsonObject breakdown = new JsonObject().put("tools", new JsonArray(tools.stream().toList()))
        .put("source", "Lovart confirms the real cost itself (pending_confirmation) before spending it");
    Double credits = null;
    for (String tool : tools) {
      Double c = unlimited && FREE_UNLIMITED.contains(tool) ? Double.valueOf(0) : OBSERVED.get(tool);
      if (c != null) {
        credits = credits == null ? c : Math.max(credits, c);
      }
    }
    if (credits != null) {
      breakdown.put("observed", "costs a third-party integration reports having observed; unverified");
    }
    return new Estimate(credits, "credits", breakdown);
  }
}
