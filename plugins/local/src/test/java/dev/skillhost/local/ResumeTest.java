package dev.skillhost.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.api.Handle;
import dev.skillhost.api.Job;
import dev.skillhost.api.Progress;
import dev.skillhost.local.support.LocalTestBase;
import dev.skillhost.local.support.Rgb;
import dev.skillhost.local.support.Runs;
import dev.skillhost.local.support.TestImages;
import dev.skillhost.local.support.VideoCheck;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A video cut off by a restart or a plugin swap ({@link LocalRuntime#shutdown()} is what the
 * plugin's stop does) resumes after the last whole segment it kept: fewer frames are rendered (the
 * provider counts them in the output's facts), the output is a whole video showing the same
 * pictures as one rendered from scratch, and kept segments that are damaged or belong to another
 * job are not reused.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ResumeTest extends LocalTestBase {

  private static final int SEGMENT = 30 * Checkpoint.SEGMENT_S;

  private static Job i2v(double seconds, String resolution) throws IOException {
    return Runs.job("i2v", new JsonObject().put("resolution", resolution).put("duration_s", seconds).put("fps", 30)
        .put("motion", "zoom_in"), List.of(image("photo", TestImages.field(1280, 720))));
  }

  private static Path segment(Job job, int k) {
    return ctx.dataDir().resolve("resume").resolve(job.taskId()).resolve(String.format("seg-%05d.mp4", k));
  }

  /** Submits, waits until segment {@code k} is kept, then stops the plugin's runtime as a swap or restart does. */
  private static Handle cutAfter(Job job, int k) {
    Handle handle = Runs.await(provider.submit(job, ctx));
    long deadline = System.currentTimeMillis() + 60_000;
    while (!Files.exists(segment(job, k))) {
      assertThat(System.currentTimeMillis()).as("segment %d kept in time", k).isLessThan(deadline);
      assertThat(Runs.await(provider.poll(handle, ctx)).terminal()).as("still running").isFalse();
      Runs.sleep(20);
    }
    LocalRuntime.shutdown();
    return handle;
  }

  private static List<Path> files(Job job) throws IOException {
    try (var list = Files.list(segment(job, 0).getParent())) {
      return list.sorted().toList();
    }
  }

  private static JsonObject meta(Runs.Outcome end) {
    return end.last().outputs().get(0).meta();
  }

  @Test
  void a_cut_render_resumes_after_its_kept_segments_and_matches_one_from_scratch() throws IOException {
    Job job = i2v(10, "720p");
    int n = 300;
    Handle handle = cutAfter(job, 1);

    Progress first = Runs.await(provider.poll(handle, ctx));
    assertThat(first.status()).isEqualTo(Progress.Status.RUNNING);
    assertThat(first.message()).startsWith("resuming at frame ").contains("cut off by a restart");
    int reusedAtLeast = 2 * SEGMENT;
    double resumedAt = I2v.RENDER_FROM + (1 - I2v.RENDER_FROM) * reusedAtLeast / n;
    assertThat(first.fraction()).as("progress starts at the resumed point").isGreaterThanOrEqualTo(resumedAt - 1e-9);
    Runs.Outcome end = Runs.follow(provider, handle, ctx);
    assertThat(end.succeeded()).isTrue();
    assertThat(end.looks()).allSatisfy(p -> assertThat(p.fraction()).isGreaterThanOrEqualTo(first.fraction()));

    int reused = meta(end).getInteger("frames_reused");
    int rendered = meta(end).getInteger("frames_rendered");
    assertThat(reused).as("frames kept from the cut run").isGreaterThanOrEqualTo(reusedAtLeast).isLessThan(n);
    assertThat(reused % SEGMENT).as("whole segments").isZero();
    assertThat(rendered).as("frames rendered after the resume").isEqualTo(n - reused);
    VideoCheck resumed = VideoCheck.of(output(end)).assertPlayable(1280, 720, n, 10);
    assertThat(ctx.dataDir().resolve("resume").resolve(job.taskId())).as("segments removed once stored").doesNotExist();

    Runs.Outcome scratch = run("i2v", job.params(), job.inputs());
    assertThat(meta(scratch).getInteger("frames_reused")).isZero();
    assertThat(meta(scratch).getInteger("frames_rendered")).isEqualTo(n);
    VideoCheck whole = VideoCheck.of(output(scratch)).assertPlayable(1280, 720, n, 10);
    for (int i : new int[] {0, reused - 1, reused, reused + 1, n - 1}) {
      assertThat(Rgb.diff(resumed.frame(i).grid(16, 9), whole.frame(i).grid(16, 9)))
          .as("frame %d of the resumed video shows what the same frame from scratch does", i).isLessThan(1.5);
    }
  }

  @Test
  void a_damaged_kept_segment_and_those_after_it_are_rendered_again() throws IOException {
    Job job = i2v(8, "360p");
    Handle handle = cutAfter(job, 2);
    Path damaged = segment(job, 1);
    try (FileChannel ch = FileChannel.open(damaged, StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() / 2); // a cut-off write: the index at the end is gone
    }
    Runs.Outcome end = Runs.follow(provider, handle, ctx);
    assertThat(meta(end).getInteger("frames_reused")).as("only the segment before the damaged one").isEqualTo(SEGMENT);
    assertThat(meta(end).getInteger("frames_rendered")).isEqualTo(240 - SEGMENT);
    VideoCheck.of(output(end)).assertPlayable(640, 360, 240, 8);
  }

  @Test
  void segments_of_another_job_under_the_same_task_are_not_reused() throws IOException {
    Job job = i2v(6, "360p");
    Handle handle = cutAfter(job, 1);
    // the same task, but the handle now asks for another move (a changed job, or one stored by another version)
    JsonObject data = handle.data().copy();
    data.getJsonObject("params").put("motion", "pan_left");
    Handle changed = new Handle(handle.id(), data, null);
    Progress first = Runs.await(provider.poll(changed, ctx));
    assertThat(first.message()).startsWith("started again");
    Runs.Outcome end = Runs.follow(provider, changed, ctx);
    assertThat(meta(end).getInteger("frames_reused")).isZero();
    assertThat(meta(end).getString("motion")).isEqualTo("pan_left");
    VideoCheck.of(output(end)).assertPlayable(640, 360, 180, 6);
  }

  @Test
  void a_resumed_run_waits_while_another_run_of_the_task_holds_its_segments() throws IOException {
    Job job = i2v(6, "360p");
    Handle handle = cutAfter(job, 0);
    Path lockFile = ctx.dataDir().resolve("resume").resolve(job.taskId() + ".lock");
    try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.WRITE); var held = ch.lock()) {
      Runs.await(provider.poll(handle, ctx));
      List<Path> before = files(job);
      Runs.sleep(1_000);
      Progress waiting = Runs.await(provider.poll(handle, ctx));
      assertThat(waiting.status()).isEqualTo(Progress.Status.RUNNING);
      assertThat(waiting.message()).as("nothing rendered while the segments are held").startsWith("resuming at frame");
      assertThat(files(job)).as("nothing written while the segments are held").isEqualTo(before);
    }
    Runs.Outcome end = Runs.follow(provider, handle, ctx);
    assertThat(meta(end).getInteger("frames_reused")).isGreaterThanOrEqualTo(SEGMENT);
    VideoCheck.of(output(end)).assertPlayable(640, 360, 180, 6);
    assertThat(lockFile).doesNotExist();
  }

  @Test
  void a_cancelled_task_leaves_no_segments() throws IOException {
    Job job = i2v(8, "360p");
    Handle handle = Runs.await(provider.submit(job, ctx));
    while (!Files.exists(segment(job, 0))) Runs.sleep(20);
    Runs.await(provider.cancel(handle, ctx));
    RunningJob running = LocalRuntime.get().job(job.taskId()).orElseThrow();
    long deadline = System.currentTimeMillis() + 10_000;
    while (running.finishedFor(System.currentTimeMillis()) < 0 && System.currentTimeMillis() < deadline) Runs.sleep(20);
    assertThat(ctx.dataDir().resolve("resume").resolve(job.taskId())).doesNotExist();
  }
}
