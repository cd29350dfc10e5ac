package dev.skillhost.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.api.Job;
import dev.skillhost.api.Output;
import dev.skillhost.local.support.LocalTestBase;
import dev.skillhost.local.support.Rgb;
import dev.skillhost.local.support.Runs;
import dev.skillhost.local.support.TestImages;
import dev.skillhost.local.support.VideoCheck;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * i2v makes a real H.264 MP4 (checked by Debian's ffprobe) whose first and last frames differ the
 * way the camera move says: compared on a grid of block averages, the end frame matches the
 * region of the start frame the camera moved to, and does not match the start frame as it is.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class I2vTest extends LocalTestBase {

  private static Job.Input photo;

  @BeforeAll
  static void photo() throws IOException {
    photo = image("field", TestImages.field(960, 540));
  }

  private static JsonObject params(String motion) {
    return new JsonObject().put("motion", motion).put("resolution", "360p").put("aspect_ratio", "16:9")
        .put("duration_s", 2).put("fps", 15);
  }

  @Test
  void zoom_in_ends_on_the_centre_of_the_first_frame_magnified() {
    Runs.Outcome out = run("i2v", params("zoom_in"), List.of(photo));
    VideoCheck video = VideoCheck.of(output(out)).assertPlayable(640, 360, 30, 2.0);
    double z = out.last().outputs().get(0).meta().getDouble("zoom");
    assertThat(z).isEqualTo(1.3);
    Rgb first = video.frame(0);
    Rgb last = video.frame(29);
    double inset = (1 - 1 / z) / 2;
    double matched = Rgb.diff(last.grid(8, 6), first.grid(inset, inset, 1 / z, 1 / z, 8, 6));
    double unmoved = Rgb.diff(last.grid(8, 6), first.grid(8, 6));
    assertThat(matched).as("last frame vs the first frame's centre").isLessThan(4);
    assertThat(unmoved).as("last frame vs the first frame as it is").isGreaterThan(4 * matched + 6);
  }

  @Test
  void zoom_out_starts_on_the_centre_of_the_last_frame() {
    Runs.Outcome out = run("i2v", params("zoom_out"), List.of(photo));
    VideoCheck video = VideoCheck.of(output(out)).assertPlayable(640, 360, 30, 2.0);
    double z = 1.3;
    double inset = (1 - 1 / z) / 2;
    Rgb first = video.frame(0);
    Rgb last = video.frame(29);
    assertThat(Rgb.diff(first.grid(8, 6), last.grid(inset, inset, 1 / z, 1 / z, 8, 6))).isLessThan(4);
    assertThat(Rgb.diff(first.grid(8, 6), last.grid(8, 6))).isGreaterThan(10);
  }

  @ParameterizedTest(name = "{0}: content moves by ({1}, {2}) of the frame")
  @CsvSource({"pan_left, 0.2, 0", "pan_right, -0.2, 0", "pan_up, 0, 0.2", "pan_down, 0, -0.2"})
  void pans_slide_the_content_the_opposite_way_by_the_travel(String motion, double dx, double dy) {
    Runs.Outcome out = run("i2v", params(motion), List.of(photo));
    VideoCheck video = VideoCheck.of(output(out)).assertPlayable(640, 360, 30, 2.0);
    Rgb first = video.frame(0);
    Rgb last = video.frame(29);
    double w = 1 - Math.abs(dx);
    double h = 1 - Math.abs(dy);
    double[][] lastPart = last.grid(Math.max(0, dx), Math.max(0, dy), w, h, 8, 6);
    double[][] firstPart = first.grid(Math.max(0, -dx), Math.max(0, -dy), w, h, 8, 6);
    assertThat(Rgb.diff(lastPart, firstPart)).as("shifted content matches").isLessThan(4);
    assertThat(Rgb.diff(last.grid(8, 6), first.grid(8, 6))).as("unshifted content differs").isGreaterThan(10);
  }

  @Test
  void words_in_the_prompt_choose_the_move_and_its_speed() {
    JsonObject params = new JsonObject().put("prompt", "animate this photo, slowly pan to the right")
        .put("resolution", "360p").put("duration_s", 1).put("fps", 10);
    Runs.Outcome out = run("i2v", params, List.of(photo));
    Output video = out.last().outputs().get(0);
    assertThat(video.meta().getString("motion")).isEqualTo("pan_right");
    assertThat(video.meta().getDouble("zoom")).isEqualTo(1.12);
    VideoCheck.of(output(out)).assertPlayable(640, 360, 10, 1.0);
  }

  @ParameterizedTest(name = "{0} at {1} is {2}x{3}")
  @CsvSource({"16:9, 360p, 640, 360", "9:16, 360p, 360, 640", "1:1, 360p, 360, 360", "4:3, 360p, 480, 360",
      "3:4, 360p, 360, 480", "16:9, 1080p, 1920, 1080"})
  void aspect_ratios_and_resolutions_as_the_cloud_skills_name_them(String aspect, String resolution, int w, int h) {
    JsonObject params = new JsonObject().put("motion", "zoom_in").put("aspect_ratio", aspect)
        .put("resolution", resolution).put("duration_s", 0.4).put("fps", 10);
    VideoCheck.of(output(run("i2v", params, List.of(photo)))).assertPlayable(w, h, 4, 0.4);
  }

  @Test
  void webp_stills_are_read_through_ffmpeg() throws IOException {
    java.nio.file.Path png = TestImages.png(TestImages.field(480, 270), dir.resolve("for-webp.png"));
    java.nio.file.Path webp = dir.resolve("photo.webp");
    dev.skillhost.local.support.Tools.run("ffmpeg", "-v", "error", "-i", png.toString(), webp.toString());
    Job.Input in = file("image", webp, "image/webp");
    JsonObject params = new JsonObject().put("resolution", "240p").put("duration_s", 0.4).put("fps", 10);
    VideoCheck video = VideoCheck.of(output(run("i2v", params, List.of(in)))).assertPlayable(426, 240, 4, 0.4);
    double[][] expected = Rgb.of(TestImages.field(480, 270)).grid(4, 3);
    assertThat(Rgb.diff(video.frame(0).grid(4, 3), expected)).as("the picture, not garbage").isLessThan(5);
  }

  @Test
  void push_in_heads_for_the_subject() throws IOException {
    Job.Input subject = image("subject", TestImages.subject(960, 540, 800, 270, 90));
    JsonObject params = new JsonObject().put("motion", "push_in").put("resolution", "360p")
        .put("duration_s", 1).put("fps", 10).put("speed", "fast");
    VideoCheck video = VideoCheck.of(output(run("i2v", params, List.of(subject)))).assertPlayable(640, 360, 10, 1.0);
    // the subject is red and yellow on grey: closer to it, the right half of the frame gets redder
    double redFirst = video.frame(0).grid(0.5, 0, 0.5, 1, 1, 1)[0][0];
    double redLast = video.frame(9).grid(0.5, 0, 0.5, 1, 1, 1)[0][0];
    assertThat(redLast).isGreaterThan(redFirst + 15);
  }
}
