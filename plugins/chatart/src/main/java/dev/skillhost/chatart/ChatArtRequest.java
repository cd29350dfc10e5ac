package dev.skillhost.chatart;

import dev.skillhost.api.Estimate;
import dev.skillhost.api.Job;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * One job read as the official scripts read their arguments ({@code build_t2v_body},
 * {@code build_i2v_body}, {@code build_omni_body}, {@code build_extend_body}, {@code video_mimic.py},
 * {@code build_text2image_body}, {@code build_image_edit_body}): checked against the model
 * registry, priced with the client's tables, and turned into the exact generate body.
 *
 * @param job   the job
 * @param video facts of the input video (extend, mimic), else null
 */
record ChatArtRequest(Job job, Mp4Info video) {

  static final String VIDEO_SUBMIT = "/web/video/generate-video";
  static final String VIDEO_POLL = "/web/video/get-video-task";
  static final String IMAGE_SUBMIT = "/web/art/create";
  static final String IMAGE_POLL = "/web/art/get-draw-task";

  static final Map<String, Integer> PICTURE_SCALE = Map.of("1:1", 1, "9:16", 2, "16:9", 3, "3:4", 4, "4:3", 5,
      "3:2", 6, "2:3", 7, "5:4", 8, "4:5", 9, "21:9", 10);
  /** The client's codes really are swapped for 3K and 4K. */
  static final Map<String, Integer> IMAGE_DEFINITION = Map.of("1K", 1, "2K", 2, "3K", 4, "4K", 3);

  boolean image() {
    return job.operation().equals("text2image") || job.operation().equals("image_edit");
  }

  boolean needsVideoInfo() {
    return job.operation().equals("extend") || job.operation().equals("mimic");
  }

  String submitPath() {
    return image() ? IMAGE_SUBMIT : VIDEO_SUBMIT;
  }

  String pollPath() {
    return image() ? IMAGE_POLL : VIDEO_POLL;
  }

  /** Inputs in the order the body lists them: mimic sends [image, video]; others their own role. */
  List<Job.Input> uploads() {
    switch (job.operation()) {
      case "mimic":
        return List.of(one("image"), one("video"));
      case "extend":
        return List.of(one("video"));
      case "i2v":
      case "omni":
      case "image_edit":
        List<Job.Input> images = job.inputs().stream().filter(i -> i.role().equals("image") || i.role().equals("reference")).toList();
        if (images.isEmpty()) {
          throw ChatArtModels.invalid(job.operation() + " needs at least one input image");
        }
        return images;
      default:
        return List.of();
    }
  }

  /** Checks everything that can be checked before sending; answers the price. */
  Estimate estimate() {
    JsonObject p = job.params();
    String model = p.getString("model");
    JsonObject b = new JsonObject().put("operation", job.operation()).put("model", model);
    switch (job.operation()) {
      case "t2v", "i2v", "omni" -> {
        ChatArtModels.Video m = ChatArtModels.video(model, job.operation());
        int res = integer("resolution");
        int dur = integer("duration");
        ChatArtModels.allowed("resolution", res, m.resolutions(), model);
        ChatArtModels.allowed("duration", dur, m.durations(), model);
        if (ratioSent(m)) {
          List<String> ratios = m.t2vRatios();
          ChatArtModels.allowed("aspect ratio", p.getString("aspect_ratio"), ratios, model);
        }
        b.put("resolution", res).put("duration", dur);
        return ChatArtPricing.of(ChatArtPricing.video(model, res, dur), b);
      }
      case "extend" -> {
        ChatArtModels.Video m = ChatArtModels.video(model, "extend");
        int dur = integer("duration");
        ChatArtModels.allowed("duration", dur, m.durations(), model);
        if (video == null) {
          return ChatArtPricing.of(null, b.put("reason", "the price depends on the input video's height"));
        }
        int res = extendResolution(video.height());
        ChatArtModels.allowed("input video height (" + video.height() + "p → " + res + "p)", res, m.extendResolutions(), model);
        b.put("resolution", res).put("duration", dur);
        return ChatArtPricing.of(ChatArtPricing.video(model, res, dur), b);
      }
      case "mimic" -> {
        ChatArtModels.Mimic m = ChatArtModels.mimic(model);
        int res = integer("resolution");
        String mode = p.getString("mode", "Full_Scene");
        ChatArtModels.allowed("resolution", res, m.resolutions(), model);
        ChatArtModels.allowed("mode", mode, m.modes(), model);
        if (video == null) {
          return ChatArtPricing.of(null, b.put("reason", "the price depends on the input video's length"));
        }
        int seconds = (int) (video.durationMs() / 1000);
        b.put("resolution", res).put("seconds", seconds);
        return ChatArtPricing.of(ChatArtPricing.mimic(model, res, seconds), b);
      }
      case "text2image", "image_edit" -> {
        ChatArtModels.Image m = ChatArtModels.image(model);
        String res = p.getString("resolution");
        String quality = p.getString("quality", "medium");
        ChatArtModels.allowed("resolution", res, m.resolutions(), model);
        ChatArtModels.allowed("aspect ratio", p.getString("aspect_ratio"), m.ratios(), model);
        b.put("resolution", res);
        if (m.quality()) {
          b.put("quality", quality);
        }
        return ChatArtPricing.of(ChatArtPricing.image(model, res, quality), b);
      }
      default -> throw ChatArtModels.invalid("ChatArt has no operation " + job.operation());
    }
  }

  /** The generate body, given the uploaded input URLs in {@link #uploads()} order. */
  JsonObject body(List<String> urls) {
    estimate(); // the same checks, whatever the caller did before
    JsonObject p = job.params();
    String model = p.getString("model");
    String prompt = p.getString("prompt", "");
    switch (job.operation()) {
      case "t2v": {
        requirePrompt(prompt);
        ChatArtModels.Video m = ChatArtModels.video(model, "t2v");
        JsonObject body = video("101", model).put("sound", p.getBoolean("sound", true) ? 1 : 0)
            .put("function_mode", "single_image").put("image_url", new JsonArray()).put("prompt", prompt)
            .put("quality", quality(integer("resolution"))).put("duration", integer("duration"));
        return ratioSent(m) ? body.put("ratio", p.getString("aspect_ratio")) : body;
      }
      case "i2v": {
        ChatArtModels.Video m = ChatArtModels.video(model, "i2v");
        String mode = functionMode(m, urls.size());
        JsonObject body = video("102", model).put("sound", p.getBoolean("sound", true) ? 1 : 0)
            .put("function_mode", mode).put("image_url", new JsonArray(urls)).put("prompt", prompt)
            .put("quality", quality(integer("resolution"))).put("duration", String.valueOf(integer("duration")));
        return ratioSent(m) ? body.put("ratio", p.getString("aspect_ratio")) : body;
      }
      case "omni": {
        ChatArtModels.Video m = ChatArtModels.video(model, "omni");
        if (urls.size() > 9) {
          throw ChatArtModels.invalid("omni takes 1 to 9 reference images, not " + urls.size());
        }
        JsonObject body = video("102", model).put("sound", p.getBoolean("sound", true))
            .put("function_mode", "omni_reference").put("image_url", new JsonArray(urls)).put("prompt", prompt)
            .put("quality", integer("resolution") + "p").put("duration", String.valueOf(integer("duration")));
        return ratioSent(m) ? body.put("ratio", p.getString("aspect_ratio")) : body;
      }
      case "extend":
        return video("103", model).put("sound", 1).put("function_mode", "single_image")
            .put("image_url", new JsonArray(urls)).put("prompt", prompt)
            .put("quality", extendResolution(video.height()) + "p").put("duration", integer("duration"));
      case "mimic":
        return video("104", model).put("mode", "Body_Only".equals(p.getString("mode")) ? "replace" : "animate")
            .put("image_url", new JsonArray(urls)).put("duration", (int) (video.durationMs() / 1000))
            .put("quality", integer("resolution") + "p");
      case "text2image":
      case "image_edit": {
        requirePrompt(prompt);
        boolean edit = job.operation().equals("image_edit");
        JsonObject body = new JsonObject().put("style", edit ? 0 : 10).put("scene_id", edit ? 13 : 4)
            .put("reference_image", new JsonArray(edit ? urls : List.of())).put("gen_content", "")
            .put("content", new JsonObject().put("text", "").put("site_url", "")).put("description", prompt)
            .put("picture_counts", 1).put("picture_scale", PICTURE_SCALE.get(p.getString("aspect_ratio")))
            .put("gpt_type", model).put("image_definition", IMAGE_DEFINITION.get(p.getString("resolution")));
        return ChatArtModels.image(model).quality() ? body.put("quality", p.getString("quality", "medium")) : body;
      }
      default:
        throw ChatArtModels.invalid("ChatArt has no operation " + job.operation());
    }
  }

  /** i2v: one image → single_image when the model has it; two → first/last frames; else omni reference. */
  private static String functionMode(ChatArtModels.Video m, int images) {
    if (images > 2) {
      throw ChatArtModels.invalid("first/last-frame video takes at most 2 images; use omni for " + images);
    }
    List<String> order = images == 1 ? List.of("single_image", "first_last_frames", "omni_reference")
        : List.of("first_last_frames", "omni_reference");
    return order.stream().filter(m.i2vModes()::contains).findFirst().orElseThrow(() -> ChatArtModels.invalid(
        m.code() + " takes " + m.i2vModes() + " input, which does not fit " + images + " image(s)"));
  }

  private boolean ratioSent(ChatArtModels.Video m) {
    if (m.t2vRatios().isEmpty()) {
      return false;
    }
    return switch (job.operation()) {
      case "t2v" -> true;
      case "i2v" -> m.i2vRatio();
      case "omni" -> !m.code().equals("happy-horse-1-0");
      default -> false;
    };
  }

  private static JsonObject video(String videoId, String model) {
    return new JsonObject().put("video_id", videoId).put("gpt_type", model).put("original_model", model);
  }

  /** "720p"; 2160 is "4k" for t2v and i2v. */
  private static String quality(int resolution) {
    return resolution == 2160 ? "4k" : resolution + "p";
  }

  /** Extend's quality comes from the input's height: ≥1080, ≥720, ≥540, else 360. */
  static int extendResolution(int height) {
    return height >= 1080 ? 1080 : height >= 720 ? 720 : height >= 540 ? 540 : 360;
  }

  private int integer(String name) {
    Object v = job.params().getValue(name);
    if (v instanceof Number n) {
      return n.intValue();
    }
    try {
      return Integer.parseInt(String.valueOf(v).replace("p", "").trim());
    } catch (NumberFormatException e) {
      throw ChatArtModels.invalid("'" + name + "' must be a whole number, not " + v);
    }
  }

  private static void requirePrompt(String prompt) {
    if (prompt == null || prompt.isBlank()) {
      throw ChatArtModels.invalid("a prompt is required");
    }
  }

  private Job.Input one(String role) {
    return job.inputs().stream().filter(i -> i.role().equals(role)).findFirst()
        .orElseThrow(() -> ChatArtModels.invalid(job.operation() + " needs an input " + role));
  }
}
