package dev.skillhost.host.skills;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The per-model tables of the shipped ChatArt manifest (skills/chatart.yaml, from the client's
 * model specs) as the task check reads them: each model's own durations, resolutions, ratios and
 * modes are enforced on top of the operation's union, and every operation's defaults fit.
 */
class ModelLimitsTest {

  private static final Skill CHATART = load();

  private static Skill load() {
    LoadResult r = SkillLoader.create(null).load(Path.of("../skills/chatart.yaml"));
    assertThat(r.errors()).isEmpty();
    return r.skill();
  }

  private static SkillOperation.Violation check(String op, JsonObject params) {
    SkillOperation operation = CHATART.operation(op).orElseThrow();
    return operation.violation(operation.withDefaults(params));
  }

  @Test
  void seedance_1_5_pro_takes_5_or_10_seconds_only() {
    SkillOperation.Violation v = check("t2v", new JsonObject().put("model", "seedance-1.5-pro").put("duration", 15));
    assertThat(v.model()).isEqualTo("seedance-1.5-pro");
    assertThat(v.param()).isEqualTo("duration");
    assertThat(v.message()).isEqualTo("'duration' must be one of [5,10] for t2v with model seedance-1.5-pro, not 15");
    assertThat(check("t2v", new JsonObject().put("model", "seedance-1.5-pro").put("duration", 10))).isNull();
    assertThat(check("t2v", new JsonObject().put("model", "kling-3-0").put("duration", 15))).isNull();
  }

  @Test
  void kling_3_0_renders_720_1080_or_2160_and_takes_three_ratios_in_t2v_only() {
    assertThat(check("t2v", new JsonObject().put("model", "kling-3-0").put("resolution", 480)).param())
        .isEqualTo("resolution");
    assertThat(check("t2v", new JsonObject().put("model", "kling-3-0").put("resolution", 2160))).isNull();
    assertThat(check("t2v", new JsonObject().put("model", "seedance-2.0").put("resolution", 2160)).model())
        .isEqualTo("seedance-2.0");
    assertThat(check("t2v", new JsonObject().put("model", "kling-3-0").put("aspect_ratio", "3:4")).param())
        .isEqualTo("aspect_ratio");
    // i2v: the ratio follows the image for Kling and is not sent, so it is not limited
    assertThat(check("i2v", new JsonObject().put("model", "kling-3-0").put("aspect_ratio", "3:4"))).isNull();
  }

  @Test
  void only_seedance_2_0_mini_takes_21_9() {
    assertThat(check("t2v", new JsonObject().put("model", "seedance-2.0-mini").put("resolution", 720)
        .put("aspect_ratio", "21:9"))).isNull();
    assertThat(check("t2v", new JsonObject().put("model", "seedance-2.0").put("aspect_ratio", "21:9")).param())
        .isEqualTo("aspect_ratio");
  }

  @Test
  void image_models_keep_their_own_resolutions_and_i2v_modes_are_per_model() {
    assertThat(check("text2image", new JsonObject().put("resolution", "1K")).model()).isEqualTo("nano-banana-2");
    assertThat(check("text2image", new JsonObject().put("model", "gpt-image-2").put("resolution", "1K"))).isNull();
    assertThat(check("image_edit", new JsonObject().put("model", "seedream-5.0-lite").put("resolution", "4K")).param())
        .isEqualTo("resolution");
    assertThat(check("i2v", new JsonObject().put("model", "happy-horse-1-0").put("function_mode", "single_image"))
        .param()).isEqualTo("function_mode");
    assertThat(check("mimic", new JsonObject().put("model", "kling-animate").put("mode", "Body_Only")).model())
        .isEqualTo("kling-animate");
  }

  @Test
  void every_operations_defaults_fit_its_default_model() {
    for (SkillOperation op : CHATART.operations().values()) {
      assertThat(op.violation(op.defaults())).as(op.name()).isNull();
    }
  }
}
