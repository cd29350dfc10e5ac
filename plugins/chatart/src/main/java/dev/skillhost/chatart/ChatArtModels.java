package dev.skillhost.chatart;

import dev.skillhost.api.ModelInfo;
import dev.skillhost.api.ProviderException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The model registry of the official client (chatart-ai/skill@a426ffe: {@code video_gen.py}
 * I2V/T2V/OMNI/EXTEND_MODELS, {@code ai_image.py}, {@code video_mimic.py}), with each model's limits.
 * The client only warns when a request is outside a model's spec and sends it anyway; this plugin
 * refuses it before sending, so nothing is spent on a request the backend may reject or misread.
 */
final class ChatArtModels {

  static final List<String> RATIOS_5 = List.of("9:16", "3:4", "1:1", "4:3", "16:9");
  static final List<String> IMAGE_RATIOS_7 = List.of("1:1", "4:3", "3:4", "3:2", "2:3", "16:9", "9:16");

  /** One video model: ratios (empty = follows the image), resolutions, durations, i2v modes, extend resolutions. */
  record Video(String code, String name, List<String> t2vRatios, boolean i2vRatio, List<Integer> resolutions,
      List<Integer> durations, List<String> i2vModes, boolean omni, List<Integer> extendResolutions) {

    List<String> operations() {
      List<String> ops = new ArrayList<>();
      if (!resolutions.isEmpty()) {
        ops.add("t2v");
        ops.add("i2v");
      }
      if (omni) ops.add("omni");
      if (!extendResolutions.isEmpty()) ops.add("extend");
      return ops;
    }
  }

  /** One image model. */
  record Image(String code, String name, List<String> ratios, List<String> resolutions, boolean quality) {}

  /** One character-replace model: its modes (Full_Scene → wire "animate", Body_Only → "replace"). */
  record Mimic(String code, String name, List<String> modes, List<Integer> resolutions) {}

  static final Map<String, Video> VIDEO = new LinkedHashMap<>();
  static final Map<String, Image> IMAGE = new LinkedHashMap<>();
  static final Map<String, Mimic> MIMIC = new LinkedHashMap<>();

  static {
    List<String> ratios6 = new ArrayList<>(RATIOS_5);
    ratios6.add("21:9");
    List<String> flOmni = List.of("first_last_frames", "omni_reference");
    video(new Video("seedance-2.0", "Seedance 2.0", RATIOS_5, true, List.of(480, 720, 1080), List.of(5, 10, 15), flOmni, true, List.of(480, 720)));
    video(new Video("seedance-2.0-fast", "Seedance 2.0 Fast", RATIOS_5, true, List.of(480, 720), List.of(5, 10, 15), flOmni, true, List.of(480, 720)));
    video(new Video("seedance-2.0-mini", "Seedance 2.0 Mini", ratios6, true, List.of(480, 720), List.of(5, 10, 15), flOmni, true, List.of()));
    video(new Video("seedance-1.5-pro", "Seedance 1.5 Pro", RATIOS_5, false, List.of(480, 720, 1080), List.of(5, 10), List.of("single_image"), false, List.of()));
    video(new Video("kling-3-0", "Kling V3", List.of("9:16", "1:1", "16:9"), false, List.of(720, 1080, 2160), List.of(5, 10, 15),
        List.of("single_image", "first_last_frames"), false, List.of(720, 1080)));
    video(new Video("happy-horse-1-0", "HappyHorse1.0", RATIOS_5, false, List.of(720, 1080), List.of(5, 10), List.of("omni_reference"), true, List.of()));
    video(new Video("pix-verse-6", "PixVerse V6", List.of(), false, List.of(), List.of(5, 10, 15), List.of(), false, List.of(360, 540, 720, 1080)));

    List<String> ratios9 = List.of("1:1", "4:3", "3:4", "3:2", "2:3", "16:9", "9:16", "5:4", "4:5");
    image(new Image("gpt-image-2", "Gpt Image 2", ratios9, List.of("1K", "2K", "4K"), true));
    image(new Image("nano-banana-2", "Nano Banana 2", IMAGE_RATIOS_7, List.of("2K", "4K"), false));
    image(new Image("nano-banana-pro", "Nano Banana Pro", IMAGE_RATIOS_7, List.of("2K", "4K"), false));
    image(new Image("seedream-5.0-lite", "Seedream 5.0", IMAGE_RATIOS_7, List.of("2K", "3K"), false));

    MIMIC.put("kling-animate", new Mimic("kling-animate", "Kling V3.0", List.of("Full_Scene"), List.of(480, 720)));
    MIMIC.put("wan-2.2", new Mimic("wan-2.2", "Wan 2.2", List.of("Full_Scene", "Body_Only"), List.of(480, 720)));
  }

  private ChatArtModels() {}

  private static void video(Video v) {
    VIDEO.put(v.code(), v);
  }

  private static void image(Image i) {
    IMAGE.put(i.code(), i);
  }

  static Video video(String code, String operation) {
    Video v = VIDEO.get(code);
    if (v == null || !v.operations().contains(operation)) {
      throw invalid("model '" + code + "' does not do " + operation + "; it is done by " + String.join(", ",
          VIDEO.values().stream().filter(m -> m.operations().contains(operation)).map(Video::code).toList()));
    }
    return v;
  }

  static Image image(String code) {
    Image i = IMAGE.get(code);
    if (i == null) {
      throw invalid("unknown image model '" + code + "'; models: " + String.join(", ", IMAGE.keySet()));
    }
    return i;
  }

  static Mimic mimic(String code) {
    Mimic m = MIMIC.get(code);
    if (m == null) {
      throw invalid("unknown character-replace model '" + code + "'; models: " + String.join(", ", MIMIC.keySet()));
    }
    return m;
  }

  /** Refuses a value outside a model's list, naming the allowed ones. */
  static <T> void allowed(String what, T value, List<T> allowed, String model) {
    if (!allowed.contains(value)) {
      throw invalid(what + " " + value + " is not offered by " + model + "; it takes " + allowed);
    }
  }

  /** Bad parameters found before sending: nothing was spent. */
  static ProviderException invalid(String text) {
    return ProviderException.rejected("invalid_params", text);
  }

  /** The registry as {@link ModelInfo}s, constraints included, for {@code GET /v1/providers}. */
  static List<ModelInfo> infos() {
    List<ModelInfo> out = new ArrayList<>();
    for (Video v : VIDEO.values()) {
      JsonObject c = new JsonObject()
          .put("durations", new JsonArray(v.durations()))
          .put("resolutions", new JsonArray(v.resolutions()))
          .put("t2v_aspect_ratios", new JsonArray(v.t2vRatios()))
          .put("i2v_aspect_ratio", v.i2vRatio() ? "as t2v" : "follows the image")
          .put("i2v_modes", new JsonArray(v.i2vModes()))
          .put("extend_resolutions", new JsonArray(v.extendResolutions()))
          .put("omni_images", v.omni() ? new JsonObject().put("min", 1).put("max", 9) : null);
      out.add(new ModelInfo(v.code(), v.name(), v.operations(), c));
    }
    for (Image i : IMAGE.values()) {
      JsonObject c = new JsonObject().put("aspect_ratios", new JsonArray(i.ratios()))
          .put("resolutions", new JsonArray(i.resolutions()))
          .put("qualities", i.quality() ? new JsonArray(List.of("low", "medium", "high")) : new JsonArray());
      out.add(new ModelInfo(i.code(), i.name(), List.of("text2image", "image_edit"), c));
    }
    for (Mimic m : MIMIC.values()) {
      JsonObject c = new JsonObject().put("modes", new JsonArray(m.modes())).put("resolutions", new JsonArray(m.resolutions()))
          .put("duration", "the input video's");
      out.add(new ModelInfo(m.code(), m.name(), List.of("mimic"), c));
    }
    return out;
  }
}
