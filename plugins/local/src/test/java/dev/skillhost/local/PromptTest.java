package dev.skillhost.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.local.media.Look;
import dev.skillhost.local.media.Motion;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Words choose the move, its speed, the length, the shape and the edits, in English and Chinese. */
class PromptTest {

  @ParameterizedTest(name = "\"{0}\"")
  @CsvSource(delimiter = '|', nullValues = "-", value = {
      "animate this photo                     | -         | -",
      "slowly zoom in on the face             | ZOOM_IN   | SLOW",
      "Zoom out, fast!                        | ZOOM_OUT  | FAST",
      "pan to the left, then zoom in          | PAN_LEFT  | -",
      "tilt up to the sky                     | PAN_UP    | -",
      "a gentle push-in                       | PUSH_IN   | SLOW",
      "镜头缓慢向右平移                          | PAN_RIGHT | SLOW",
      "快速推近                                 | ZOOM_IN   | FAST",
      "breakfast table, hold still            | -         | -"})
  void words_choose_the_motion_and_speed(String text, Motion motion, Speed speed) {
    Prompt p = new Prompt(text);
    assertThat(p.motion()).isEqualTo(Optional.ofNullable(motion));
    assertThat(p.speed()).isEqualTo(Optional.ofNullable(speed));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @CsvSource(delimiter = '|', nullValues = "-", value = {
      "make a 10 second clip        | 10.0 | -",
      "生成 8 秒竖屏视频              | 8.0  | 9:16",
      "square video, 2.5s           | 2.5  | 1:1",
      "4:3 please                   | -    | 4:3"})
  void words_give_length_and_shape(String text, Double seconds, String aspect) {
    Prompt p = new Prompt(text);
    assertThat(p.seconds()).isEqualTo(Optional.ofNullable(seconds));
    assertThat(p.aspect()).isEqualTo(Optional.ofNullable(aspect));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @CsvSource(delimiter = '|', nullValues = "-", value = {
      "make it black and white       | GRAYSCALE     | -  | -",
      "upscale 4x as jpeg            | -             | 4  | jpeg",
      "复古风格, 放大两倍             | SEPIA         | 2  | -",
      "warmer tones, png             | -             | -  | png",
      "more contrast                 | HIGH_CONTRAST | -  | -"})
  void words_ask_for_edits(String text, Look look, Integer upscale, String format) {
    Prompt p = new Prompt(text);
    assertThat(p.look()).isEqualTo(Optional.ofNullable(look));
    assertThat(p.upscale()).isEqualTo(Optional.ofNullable(upscale));
    assertThat(p.format()).isEqualTo(Optional.ofNullable(format));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @CsvSource(delimiter = '|', value = {"loop it forever | LOOP", "boomerang | BOOMERANG", "来回播放 | BOOMERANG",
      "freeze on the last frame | HOLD"})
  void words_choose_how_to_extend(String text, ExtendMode mode) {
    assertThat(new Prompt(text).extendMode()).contains(mode);
  }
}
