package dev.skillhost.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.api.Output;
import dev.skillhost.local.support.LocalTestBase;
import dev.skillhost.local.support.Rgb;
import dev.skillhost.local.support.Runs;
import dev.skillhost.local.support.TestImages;
import dev.skillhost.local.support.VideoCheck;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A slideshow shows each picture in turn, with its own move, crossfading from one to the next. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SlideshowTest extends LocalTestBase {

  @Test
  void pictures_follow_each_other_with_crossfades_and_their_own_moves() throws Exception {
    var inputs = List.of(image("s1", TestImages.field(640, 360)), image("s2", TestImages.solid(640, 360, 0x20C040)),
        image("s3", TestImages.solid(640, 360, 0x2040E0)));
    // each picture 1 s on screen, 0.4 s crossfades: 3 - 2 * 0.4 = 2.2 s
    JsonObject params = new JsonObject().put("duration_s", 2.2).put("transition_s", 0.4).put("fps", 10)
        .put("resolution", "360p").put("motions", new JsonArray().add("zoom_in").add("pan_left").add("zoom_out"));
    Runs.Outcome out = run("slideshow", params, inputs);
    Output result = out.last().outputs().get(0);
    assertThat(result.meta().getJsonArray("motions").getList()).containsExactly("zoom_in", "pan_left", "zoom_out");
    VideoCheck video = VideoCheck.of(output(out)).assertPlayable(640, 360, 22, 2.2);

    Rgb first = video.frame(0);
    assertThat(Rgb.diff(first.grid(8, 6), Rgb.of(TestImages.field(640, 360)).grid(8, 6))).as("starts on picture 1")
        .isLessThan(4);
    assertThat(Rgb.diff(video.frame(5).grid(8, 6), first.grid(8, 6))).as("picture 1 moves").isGreaterThan(3);

    double[] green = {0x20, 0xC0, 0x40};
    double[] blue = {0x20, 0x40, 0xE0};
    assertClose(video.frame(12).mean(), green, "picture 2 alone at 1.2 s");
    assertClose(video.frame(21).mean(), blue, "picture 3 at the end");
    // second crossfade runs from 1.2 s to 1.6 s: halfway at 1.4 s
    double[] half = {(green[0] + blue[0]) / 2, (green[1] + blue[1]) / 2, (green[2] + blue[2]) / 2};
    assertClose(video.frame(14).mean(), half, "halfway through the second crossfade");
  }

  @Test
  void one_picture_is_not_a_slideshow() throws Exception {
    Runs.Outcome out = run("slideshow", new JsonObject(), List.of(image("alone", TestImages.field(320, 180))));
    assertThat(out.submitError().httpStatus()).isEqualTo(400);
    assertThat(out.submitError().getMessage()).contains("2 to 20 inputs with role image, not 1");
  }

  private static void assertClose(double[] actual, double[] expected, String what) {
    for (int k = 0; k < 3; k++) {
      assertThat(actual[k]).as(what + " channel " + k).isCloseTo(expected[k], org.assertj.core.data.Offset.offset(8.0));
    }
  }
}
