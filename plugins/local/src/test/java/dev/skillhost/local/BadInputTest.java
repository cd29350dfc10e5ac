package dev.skillhost.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.api.Job;
import dev.skillhost.api.ProviderException;
import dev.skillhost.local.support.LocalTestBase;
import dev.skillhost.local.support.Runs;
import dev.skillhost.local.support.TestImages;
import dev.skillhost.local.support.Tools;
import dev.skillhost.local.support.VideoCheck;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every bad input ends the task with a 4xx (which the host calls {@code invalid_input}), a code and
 * a message naming the problem; header problems are caught at submit, before any work is queued.
 * Afterwards the provider still does good work.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BadInputTest extends LocalTestBase {

  private static final Set<Integer> INVALID_INPUT = Set.of(400, 413, 415, 422);
  private static final JsonObject SHORT = new JsonObject().put("resolution", "240p").put("duration_s", 0.5).put("fps", 10);

  private static Path write(String name, byte[] bytes) throws IOException {
    return Files.write(Files.createDirectories(dir.resolve("bad")).resolve(name), bytes);
  }

  private static ProviderException fails(String op, JsonObject params, List<Job.Input> inputs, boolean atSubmit,
      int status, String code, String... words) {
    Runs.Outcome out = run(op, params, inputs);
    assertThat(out.succeeded()).as("a bad input must not succeed").isFalse();
    assertThat(out.submitError() != null).as("refused at submit").isEqualTo(atSubmit);
    ProviderException e = out.error();
    assertThat(INVALID_INPUT).contains(e.httpStatus());
    assertThat(e.httpStatus()).isEqualTo(status);
    assertThat(e.code()).isEqualTo(code);
    assertThat(e.getMessage()).contains(words);
    return e;
  }

  @Test
  void a_file_that_is_not_an_image() throws IOException {
    Path text = write("notes.png", "just some text, named like a picture\n".getBytes());
    fails("i2v", SHORT, List.of(file("image", text, "text/plain")), true, 415, "unsupported_media",
        "input image", "not an image");
  }

  @Test
  void a_truncated_png_and_a_truncated_jpeg() throws IOException {
    Path png = TestImages.png(TestImages.field(320, 180), dir.resolve("whole.png"));
    Path cutPng = TestImages.truncated(png, 0.5, dir.resolve("cut.png"));
    fails("i2v", SHORT, List.of(file("image", cutPng, "image/png")), false, 400, "corrupt_input", "input image",
        "truncated");
    Path jpeg = TestImages.jpeg(TestImages.field(320, 180), dir.resolve("whole.jpg"));
    Path cutJpeg = TestImages.truncated(jpeg, 0.5, dir.resolve("cut.jpg"));
    fails("image_edit", new JsonObject().put("look", "sepia"), List.of(file("image", cutJpeg, "image/jpeg")), false,
        400, "corrupt_input", "truncated");
  }

  @Test
  void a_decompression_bomb_is_refused_from_its_header() throws IOException {
    Path bomb = TestImages.bombPng(100_000, 100_000, dir.resolve("bomb.png"));
    assertThat(Files.size(bomb)).isLessThan(100);
    fails("i2v", SHORT, List.of(file("image", bomb, "image/png")), true, 413, "input_too_large",
        "100000x100000", "10000.0 MP", "limit is 50 MP");
  }

  @Test
  void an_unsupported_aspect_ratio() throws IOException {
    fails("i2v", SHORT.copy().put("aspect_ratio", "21:9"), List.of(image("ok", TestImages.field(320, 180))), true,
        400, "unsupported_aspect_ratio", "21:9", "16:9, 9:16, 1:1, 4:3, 3:4");
  }

  @Test
  void a_duration_over_the_limit_and_a_resolution_over_it() throws IOException {
    Job.Input ok = image("ok2", TestImages.field(320, 180));
    fails("i2v", SHORT.copy().put("duration_s", 61), List.of(ok), true, 400, "duration_over_limit",
        "61 s", "limit of 60 s");
    fails("i2v", new JsonObject().put("prompt", "animate it for 90 seconds"), List.of(ok), true, 400,
        "duration_over_limit", "90 s");
    fails("i2v", SHORT.copy().put("resolution", "4k"), List.of(ok), true, 400, "resolution_over_limit", "1080p");
  }

  @Test
  void a_truncated_video_and_a_picture_given_as_video() throws IOException {
    Path whole = dir.resolve("whole.mp4");
    Tools.run("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=10", "-t", "2",
        "-c:v", "libx264", "-pix_fmt", "yuv420p", whole.toString());
    Path cut = TestImages.truncated(whole, 0.6, dir.resolve("cut.mp4"));
    fails("extend", new JsonObject(), List.of(file("video", cut, "video/mp4")), true, 400, "corrupt_input",
        "input video", "truncated");

    Path fast = dir.resolve("fast.mp4");
    Tools.run("ffmpeg", "-v", "error", "-i", whole.toString(), "-c", "copy", "-movflags", "+faststart", fast.toString());
    assertThat(VideoCheck.topLevelBoxes(fast)).containsSubsequence("moov", "mdat");
    Path cutFast = TestImages.truncated(fast, 0.5, dir.resolve("cut-fast.mp4"));
    fails("extend", new JsonObject(), List.of(file("video", cutFast, "video/mp4")), false, 400, "corrupt_input",
        "input video", "truncated");

    Path png = TestImages.png(TestImages.field(64, 64), dir.resolve("still.png"));
    fails("extend", new JsonObject(), List.of(file("video", png, "image/png")), true, 415, "unsupported_media",
        "input video", "image/png");
  }

  @Test
  void missing_inputs_and_unknown_values() throws IOException {
    fails("i2v", SHORT, List.of(), true, 400, "invalid_inputs", "exactly one input with role image, not 0");
    Job.Input ok = image("ok3", TestImages.field(320, 180));
    fails("i2v", SHORT.copy().put("motion", "spin"), List.of(ok), true, 400, "invalid_params", "motion spin");
    fails("image_edit", new JsonObject(), List.of(ok), true, 400, "invalid_params", "at least one of");
    fails("image_edit", new JsonObject().put("upscale", 4), List.of(image("big", TestImages.field(4000, 3500))), true,
        422, "output_too_large", "16000x14000");
  }

  @Test
  void after_all_that_good_work_still_succeeds() throws IOException {
    Runs.Outcome out = run("i2v", SHORT, List.of(image("fine", TestImages.field(320, 180))));
    VideoCheck.of(output(out)).assertPlayable(426, 240, 5, 0.5);
  }
}
