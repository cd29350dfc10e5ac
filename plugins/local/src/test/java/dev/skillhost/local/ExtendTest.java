package dev.skillhost.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.api.Job;
import dev.skillhost.local.support.LocalTestBase;
import dev.skillhost.local.support.Rgb;
import dev.skillhost.local.support.Runs;
import dev.skillhost.local.support.Tools;
import dev.skillhost.local.support.VideoCheck;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * extend decodes videos it did not make (Debian's ffmpeg makes them: H.264 with the index at the
 * end, and MPEG-4 Part 2) and plays their frames in the order the mode says, checked frame by frame
 * against the input decoded independently.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ExtendTest extends LocalTestBase {

  private static final int N = 10;
  private static Path h264;
  private static Rgb[] source;

  @BeforeAll
  static void inputs() {
    h264 = make("in-h264.mp4", "libx264");
    VideoCheck in = VideoCheck.of(h264);
    assertThat(VideoCheck.topLevelBoxes(h264)).as("a file not made for streaming").containsSubsequence("mdat", "moov");
    source = new Rgb[N];
    for (int i = 0; i < N; i++) source[i] = in.frame(i);
    assertThat(Rgb.diff(source[0].grid(8, 6), source[5].grid(8, 6))).as("input frames differ").isGreaterThan(3);
  }

  static Path make(String name, String codec) {
    Path file = dir.resolve(name);
    Tools.run("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=10", "-t", "1",
        "-c:v", codec, "-pix_fmt", "yuv420p", "-q:v", "2", file.toString());
    return file;
  }

  private static Job.Input video(Path file) {
    try {
      return file("video", file, "video/mp4");
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static VideoCheck extend(Path input, JsonObject params) {
    return VideoCheck.of(output(run("extend", params, List.of(video(input)))));
  }

  private static void assertShows(VideoCheck out, int outFrame, int sourceFrame) {
    double d = Rgb.diff(out.frame(outFrame).grid(8, 6), source[sourceFrame].grid(8, 6));
    assertThat(d).as("output frame %d shows input frame %d", outFrame, sourceFrame).isLessThan(2.5);
  }

  @Test
  void loop_plays_it_again_from_the_start() {
    VideoCheck out = extend(h264, new JsonObject().put("mode", "loop").put("duration_s", 3)).assertPlayable(320, 240, 30, 3);
    assertShows(out, 3, 3);
    assertShows(out, N + 3, 3);
    assertShows(out, 2 * N + 7, 7);
  }

  @Test
  void boomerang_plays_forwards_then_backwards() {
    VideoCheck out = extend(h264, new JsonObject().put("prompt", "boomerang it").put("duration_s", 2.5))
        .assertPlayable(320, 240, 25, 2.5);
    assertShows(out, N - 1, N - 1);
    assertShows(out, N + 2, N - 4);
    assertShows(out, 2 * N - 2, 0);
    assertShows(out, 2 * N, 2);
  }

  @Test
  void hold_freezes_the_last_frame() {
    VideoCheck out = extend(h264, new JsonObject().put("mode", "hold").put("duration_s", 2)).assertPlayable(320, 240, 20, 2);
    assertShows(out, 4, 4);
    assertShows(out, 12, N - 1);
    assertShows(out, 19, N - 1);
  }

  @Test
  void other_codecs_and_frame_rates_decode_too() throws IOException {
    Path mpeg4 = make("in-mpeg4.mp4", "mpeg4");
    VideoCheck out = extend(mpeg4, new JsonObject().put("duration_s", 2).put("fps", 20).put("resolution", "480p"))
        .assertPlayable(640, 480, 40, 2);
    assertThat(out.frame(0).width()).isEqualTo(640);
    // at twice the input's rate each input frame shows twice
    assertThat(Rgb.diff(out.frame(6).grid(8, 6), out.frame(7).grid(8, 6))).isLessThan(2.5);
    assertThat(Files.size(mpeg4)).isPositive();
  }
}
