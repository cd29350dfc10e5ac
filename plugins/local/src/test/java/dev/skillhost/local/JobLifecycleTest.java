package dev.skillhost.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.api.Handle;
import dev.skillhost.api.Job;
import dev.skillhost.api.Progress;
import dev.skillhost.api.Reconciliation;
import dev.skillhost.local.support.LocalTestBase;
import dev.skillhost.local.support.Runs;
import dev.skillhost.local.support.TestImages;
import dev.skillhost.local.support.VideoCheck;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The handle/poll model: submit returns while the work runs on the plugin's threads, polls report
 * its progress, cancel stops it, and a poll that reaches an instance without the job (host
 * restart, plugin swap: {@link LocalRuntime#shutdown()} is what the plugin's stop does) neither
 * loses the task nor repeats finished work.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JobLifecycleTest extends LocalTestBase {

  private static Job job(JsonObject params) throws IOException {
    return Runs.job("i2v", params, List.of(image("photo-" + System.nanoTime(), TestImages.field(1280, 720))));
  }

  private static Progress pollUntil(Handle handle, Predicate<Progress> done) {
    while (true) {
      Progress p = Runs.await(provider.poll(handle, ctx));
      if (done.test(p) || p.terminal()) return p;
      Runs.sleep(50);
    }
  }

  @Test
  void submit_returns_at_once_polls_show_progress_and_cancel_stops_the_work() throws IOException {
    Job long1080 = job(new JsonObject().put("resolution", "1080p").put("duration_s", 30).put("fps", 30));
    long t0 = System.nanoTime();
    Handle handle = Runs.await(provider.submit(long1080, ctx));
    assertThat((System.nanoTime() - t0) / 1_000_000).as("submit ms").isLessThan(2_000);
    assertThat(handle.eta()).isNotNull();

    Progress early = pollUntil(handle, p -> p.fraction() > 0.06);
    assertThat(early.status()).isEqualTo(Progress.Status.RUNNING);
    assertThat(early.message()).startsWith("rendering frame ");
    assertThat(early.nextPollIn()).isNotNull();
    Progress later = pollUntil(handle, p -> p.fraction() > early.fraction() + 0.02);
    assertThat(later.status()).isEqualTo(Progress.Status.RUNNING);

    Runs.await(provider.cancel(handle, ctx));
    Progress cancelled = Runs.await(provider.poll(handle, ctx));
    assertThat(cancelled.status()).isEqualTo(Progress.Status.FAILED);
    assertThat(cancelled.error().code()).isEqualTo("cancelled");
    RunningJob job = LocalRuntime.get().job(long1080.taskId()).orElseThrow();
    long deadline = System.currentTimeMillis() + 5_000;
    while (job.finishedFor(System.currentTimeMillis()) < 0 && System.currentTimeMillis() < deadline) Runs.sleep(20);
    assertThat(job.finishedFor(System.currentTimeMillis())).as("the job's thread has stopped").isGreaterThanOrEqualTo(0);
    try (Stream<java.nio.file.Path> left = Files.list(ctx.files().scratchDir())) {
      assertThat(left.toList()).as("scratch files left behind").isEmpty();
    }
  }

  @Test
  void a_poll_after_a_restart_answers_from_the_record_without_working_again() throws IOException {
    Job small = job(new JsonObject().put("resolution", "240p").put("duration_s", 0.5).put("fps", 10));
    Runs.Outcome done = Runs.run(provider, small, ctx);
    assertThat(done.succeeded()).isTrue();

    LocalRuntime.shutdown();
    Progress again = Runs.await(provider.poll(done.handle(), ctx));
    assertThat(again.status()).isEqualTo(Progress.Status.SUCCEEDED);
    assertThat(again.outputs()).isEqualTo(done.last().outputs());
    assertThat(LocalRuntime.get().job(small.taskId())).as("no work started again").isEmpty();
  }

  @Test
  void work_cut_off_by_a_restart_runs_again_from_the_handle() throws IOException {
    Job job = job(new JsonObject().put("resolution", "720p").put("duration_s", 4).put("fps", 30));
    Handle handle = Runs.await(provider.submit(job, ctx));
    pollUntil(handle, p -> p.fraction() > 0.1);
    LocalRuntime.shutdown();

    Progress first = Runs.await(provider.poll(handle, ctx));
    assertThat(first.status()).isEqualTo(Progress.Status.RUNNING);
    assertThat(first.message()).contains("started again");
    Runs.Outcome end = Runs.follow(provider, handle, ctx);
    assertThat(end.succeeded()).isTrue();
    VideoCheck.of(output(end)).assertPlayable(1280, 720, 120, 4);
  }

  @Test
  void reconcile_after_a_crash_in_submit_finds_the_task_and_polling_runs_it() throws IOException {
    Job job = job(new JsonObject().put("resolution", "240p").put("duration_s", 0.5).put("fps", 10));
    Reconciliation r = Runs.await(provider.reconcile(job, ctx));
    assertThat(r.outcome()).isEqualTo(Reconciliation.Outcome.FOUND);
    Runs.Outcome end = Runs.follow(provider, r.handle(), ctx);
    VideoCheck.of(output(end)).assertPlayable(426, 240, 5, 0.5);
  }
}
