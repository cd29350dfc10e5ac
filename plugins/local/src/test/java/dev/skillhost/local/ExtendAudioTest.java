package dev.skillhost.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.skillhost.api.Job;
import dev.skillhost.local.support.AudioCheck;
import dev.skillhost.local.support.LocalTestBase;
import dev.skillhost.local.support.Runs;
import dev.skillhost.local.support.Tools;
import dev.skillhost.local.support.VideoCheck;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * extend keeps the input's own sound, as AAC, for exactly the output's length, laid out as the mode
 * lays out the pictures. The input (made by Debian's ffmpeg) is 1 s of 10 fps video with a 440 Hz
 * tone whose loudness rises steadily from silence, so how loud the output is at a moment tells
 * which moment of the input it plays: loop plays it again, boomerang backwards, hold falls silent.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ExtendAudioTest extends LocalTestBase {

  private static Path withSound;

  @BeforeAll
  static void input() {
    withSound = dir.resolve("in-sound.mp4");
    Tools.run("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=10", "-f", "lavfi",
        "-i", "aevalsrc=0.9*t*sin(2*PI*440*t)|0.9*t*sin(2*PI*440*t):s=44100", "-t", "1", "-c:v", "libx264",
        "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "192k", withSound.toString());
    AudioCheck in = AudioCheck.of(withSound);
    assertThat(in.rms(0.8, 0.9)).as("the input's tone gets louder").isGreaterThan(3 * in.rms(0.2, 0.3));
  }

  private static Runs.Outcome extend(Path input, JsonObject params) {
    try {
      return run("extend", params, List.of(file("video", input, "video/mp4")));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** Loudness at input time {@code t}: the tone's amplitude 0.9 t, as RMS. */
  private static double loudnessAt(double t) {
    return 0.9 * t / Math.sqrt(2);
  }

  private static void assertPlays(AudioCheck out, double at, double inputTime) {
    assertThat(out.rms(at - 0.04, at + 0.04)).as("at %.2f s the output sounds like the input at %.2f s", at, inputTime)
        .isCloseTo(loudnessAt(inputTime), within(0.06));
  }

  @Test
  void loop_plays_the_sound_again_from_the_start() {
    Runs.Outcome end = extend(withSound, new JsonObject().put("mode", "loop").put("duration_s", 3));
    Path out = output(end);
    VideoCheck.of(out).assertPlayable(320, 240, 30, 3);
    AudioCheck audio = AudioCheck.of(out);
    assertThat(audio.codec()).isEqualTo("aac");
    assertThat(audio.channels()).isEqualTo(2);
    assertThat(audio.sampleRate()).isEqualTo(44_100);
    assertThat(audio.seconds()).as("audio stream duration").isCloseTo(3, within(0.05));
    assertThat(audio.decodedSeconds()).as("decoded sound").isCloseTo(3, within(0.05));
    for (double t : new double[] {0.5, 0.8}) {
      assertPlays(audio, t, t);
      assertPlays(audio, 1 + t, t);
      assertPlays(audio, 2 + t, t);
    }
    assertThat(end.last().outputs().get(0).meta().getJsonObject("audio").getString("codec")).isEqualTo("aac");
  }

  @Test
  void boomerang_plays_the_sound_backwards_with_the_pictures() {
    Path out = output(extend(withSound, new JsonObject().put("mode", "boomerang").put("duration_s", 2.5)));
    VideoCheck.of(out).assertPlayable(320, 240, 25, 2.5);
    AudioCheck audio = AudioCheck.of(out);
    assertThat(audio.seconds()).isCloseTo(2.5, within(0.05));
    // the pictures turn at 0.9 s (frame 9 of 0..9), and the sound with them
    assertPlays(audio, 0.5, 0.5);
    assertPlays(audio, 1.3, 0.5);
    assertPlays(audio, 1.65, 0.15);
    assertPlays(audio, 2.1, 0.3);
  }

  @Test
  void hold_plays_the_sound_once_then_silence() {
    Path out = output(extend(withSound, new JsonObject().put("mode", "hold").put("duration_s", 2)));
    VideoCheck.of(out).assertPlayable(320, 240, 20, 2);
    AudioCheck audio = AudioCheck.of(out);
    assertThat(audio.seconds()).isCloseTo(2, within(0.05));
    assertPlays(audio, 0.7, 0.7);
    assertThat(audio.rms(1.1, 1.95)).as("silence under the held frame").isLessThan(0.005);
  }

  @Test
  void a_video_without_sound_gives_one_without_sound() {
    Path silent = dir.resolve("in-silent.mp4");
    Tools.run("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=10", "-t", "1",
        "-c:v", "libx264", "-pix_fmt", "yuv420p", silent.toString());
    Runs.Outcome end = extend(silent, new JsonObject().put("duration_s", 2));
    assertThat(AudioCheck.streams(output(end))).isEmpty();
    assertThat(end.last().outputs().get(0).meta().containsKey("audio")).isFalse();
  }

  @Test
  void the_sound_is_kept_when_a_cut_extend_resumes() throws IOException {
    Job job = Runs.job("extend", new JsonObject().put("mode", "loop").put("duration_s", 12).put("resolution", "720p")
        .put("fps", 30), List.of(file("video", withSound, "video/mp4")));
    var handle = Runs.await(provider.submit(job, ctx));
    Path kept = ctx.dataDir().resolve("resume").resolve(job.taskId()).resolve("seg-00001.mp4");
    while (!java.nio.file.Files.exists(kept)) Runs.sleep(20);
    LocalRuntime.shutdown();
    Runs.Outcome end = Runs.follow(provider, handle, ctx);
    assertThat(end.last().outputs().get(0).meta().getInteger("frames_reused")).isGreaterThanOrEqualTo(120);
    Path out = output(end);
    VideoCheck.of(out).assertPlayable(960, 720, 360, 12);
    AudioCheck audio = AudioCheck.of(out);
    assertThat(audio.seconds()).isCloseTo(12, within(0.05));
    assertPlays(audio, 10.5, 0.5);
  }
}
