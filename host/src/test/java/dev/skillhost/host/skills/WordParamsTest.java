package dev.skillhost.host.skills;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Parameters from words, in English and Chinese, within an operation's limits. */
class WordParamsTest {

  private static final JsonObject LIMITS = new JsonObject()
      .put("duration", new JsonObject().put("min", 1).put("max", 60))
      .put("aspect_ratio", new JsonObject().put("enum", new io.vertx.core.json.JsonArray().add("16:9").add("9:16").add("1:1")))
      .put("resolution", new JsonObject().put("enum", new io.vertx.core.json.JsonArray().add(480).add(720).add(1080).add(2160)))
      .put("upscale", new JsonObject().put("enum", new io.vertx.core.json.JsonArray().add(2).add(4)))
      .put("count", new JsonObject().put("min", 1).put("max", 4));
  private static final SkillOperation OP = new SkillOperation("op", "", Map.of(), new JsonObject(), LIMITS, null, null);

  private static JsonObject read(String text) {
    return WordParams.standard().read(text, OP, new JsonObject()).params();
  }

  @ParameterizedTest(name = "\"{0}\" → {1} = {2}")
  @CsvSource(delimiter = '|', value = {
      "make a 10 second video          | duration     | 10",
      "a ten-second clip please        | duration     | 10",
      "15s of rain                     | duration     | 15",
      "about 1 minute long             | duration     | 60",
      "做一个十秒的视频                 | duration     | 10",
      "生成15秒钟的短片                 | duration     | 15",
      "二十秒                           | duration     | 20",
      "in 9:16                         | aspect_ratio | 9:16",
      "16x9 please                     | aspect_ratio | 16:9",
      "for a phone story               | aspect_ratio | 9:16",
      "widescreen                      | aspect_ratio | 16:9",
      "竖屏                             | aspect_ratio | 9:16",
      "做成方形的                       | aspect_ratio | 1:1",
      "in 1080p                        | resolution   | 1080",
      "4k please                       | resolution   | 2160",
      "高清                             | resolution   | 1080",
      "upscale it 4x                   | upscale      | 4",
      "x2                              | upscale      | 2",
      "放大两倍                         | upscale      | 2",
      "3 images of a fox               | count        | 3",
      "three pictures                  | count        | 3",
      "画两张                           | count        | 2",
  })
  void reads_a_quantity_said_in_english_or_chinese(String text, String param, String value) {
    assertThat(String.valueOf(read(text.strip()).getValue(param))).isEqualTo(value);
  }

  @Test
  void a_value_outside_the_limits_is_not_set_and_says_why() {
    WordParams.Reading r = WordParams.standard().read("a 90 second video in 21:9", OP, new JsonObject());

    assertThat(r.params().containsKey("duration")).isFalse();
    assertThat(r.notApplied()).containsExactly("aspect_ratio 21:9 (\"21:9\"): allowed [\"16:9\",\"9:16\",\"1:1\"]",
        "duration 90 (\"90 second\"): allowed 1 to 60");
    assertThat(r.params().containsKey("aspect_ratio")).as("21:9 is not in the enum").isFalse();
  }

  @Test
  void words_that_are_not_quantities_set_nothing() {
    assertThat(read("loop this video three times").fieldNames()).doesNotContain("count", "upscale");
    assertThat(read("make a 3d model").fieldNames()).isEmpty();
    assertThat(read("这张图").fieldNames()).isEmpty();
  }

  @Test
  void a_manifest_maps_values_to_its_own_words_first_listed_first() {
    JsonObject words = new JsonObject().put("look", new JsonObject()
        .put("sepia", new io.vertx.core.json.JsonArray().add("sepia").add("复古"))
        .put("grayscale", new io.vertx.core.json.JsonArray().add("black and white").add("黑白")));
    SkillOperation op = new SkillOperation("op", "", Map.of(), new JsonObject(),
        new JsonObject().put("look", new JsonObject().put("enum", new io.vertx.core.json.JsonArray().add("sepia").add("grayscale"))), null, null);

    assertThat(WordParams.standard().read("make it black and white", op, words).params().getString("look")).isEqualTo("grayscale");
    assertThat(WordParams.standard().read("给它加个复古滤镜", op, words).params().getString("look")).isEqualTo("sepia");
  }

  @Test
  void string_enums_match_by_spelling() {
    assertThat(WordParams.fit("4K", new JsonObject().put("enum", new io.vertx.core.json.JsonArray().add("2K").add("4K")), null)).isEqualTo("4K");
    assertThat(WordParams.fit(1080, new JsonObject().put("enum", new io.vertx.core.json.JsonArray().add("720p").add("1080p")), null)).isEqualTo("1080p");
    assertThat(WordParams.fit(2160, new JsonObject().put("enum", new io.vertx.core.json.JsonArray().add("2K").add("4K")), null)).isEqualTo("4K");
  }
}
