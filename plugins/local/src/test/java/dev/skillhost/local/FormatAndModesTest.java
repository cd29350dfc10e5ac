package dev.skillhost.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skillhost.api.ProviderException;
import io.vertx.core.json.JsonObject;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Output sizes from resolution and aspect names, limits, and the frame orders of extend's modes. */
class FormatAndModesTest {

  @ParameterizedTest(name = "{0} {1} -> {2}x{3}")
  @CsvSource({"480, 16:9, 854, 480", "720, 9:16, 720, 1280", "1080, 1:1, 1080, 1080", "1080, 4:3, 1440, 1080",
      "720, 3:4, 720, 960", "1080, 16:9, 1920, 1080"})
  void sizes_are_even_and_keep_the_short_side(int side, String aspect, int w, int h) {
    VideoFormat f = VideoFormat.of(side, aspect, 30, 5);
    assertThat(f.width()).isEqualTo(w);
    assertThat(f.height()).isEqualTo(h);
    assertThat(f.frames()).isEqualTo(150);
  }

  @Test
  void auto_aspect_is_the_supported_ratio_nearest_the_picture() {
    assertThat(VideoFormat.nearest(1.5)).isEqualTo("4:3");
    assertThat(VideoFormat.nearest(1.9)).isEqualTo("16:9");
    assertThat(VideoFormat.nearest(0.56)).isEqualTo("9:16");
    assertThat(VideoFormat.nearest(1.05)).isEqualTo("1:1");
  }

  @Test
  void limits_come_from_the_configuration() {
    Limits tight = Limits.from(new JsonObject().put("limits", new JsonObject().put("max_duration_s", 10)
        .put("max_short_side", 720)));
    Params params = new Params(new JsonObject().put("duration_s", 12).put("resolution", "1080p"));
    assertThatThrownBy(() -> VideoFormat.seconds(params, new Prompt(""), 5, tight))
        .isInstanceOf(ProviderException.class).hasMessage("duration 12 s is over the limit of 10 s");
    assertThatThrownBy(() -> VideoFormat.shortSide(params, 720, tight))
        .hasMessage("resolution 1080p is over the limit of 720p");
    assertThat(VideoFormat.shortSide(new Params(new JsonObject().put("resolution", "hd")), 480, tight)).isEqualTo(720);
  }

  @Test
  void extend_modes_order_the_source_frames() {
    int n = 4;
    assertThat(IntStream.range(0, 10).map(j -> ExtendMode.LOOP.source(j, n))).containsExactly(0, 1, 2, 3, 0, 1, 2, 3, 0, 1);
    assertThat(IntStream.range(0, 10).map(j -> ExtendMode.BOOMERANG.source(j, n)))
        .containsExactly(0, 1, 2, 3, 2, 1, 0, 1, 2, 3);
    assertThat(IntStream.range(0, 7).map(j -> ExtendMode.HOLD.source(j, n))).containsExactly(0, 1, 2, 3, 3, 3, 3);
    assertThat(ExtendMode.BOOMERANG.source(5, 1)).isZero();
  }
}
