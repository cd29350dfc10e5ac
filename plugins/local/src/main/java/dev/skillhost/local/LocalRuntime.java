package dev.skillhost.local;

import dev.skillhost.api.Output;
import dev.skillhost.api.Progress;
import dev.skillhost.api.ProviderContext;
import dev.skillhost.api.ProviderException;
import dev.skillhost.local.codec.EncoderSettings;
import dev.skillhost.local.media.Parallel;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads and running jobs of one loaded version of this plugin. Jobs run on
 * {@value #JOB_SLOTS} job threads (so a quick image edit need not wait behind a long video); their
 * frames render on a pool with a thread per core. Nothing here ever runs on a Vert.x event loop.
 *
 * <p>There is one instance per plugin class loader, held statically because PF4J gives an
 * extension no handle on its plugin; {@link LocalPlugin#stop()} ends it before the class loader
 * is closed.
 */
final class LocalRuntime {

  static final int JOB_SLOTS = 2;
  private static final long KEEP_FINISHED_MS = 10 * 60_000;
  private static final long STOP_WAIT_S = 10;

  private static LocalRuntime instance;

  private final int threads = Runtime.getRuntime().availableProcessors();
  private final ExecutorService jobs = Executors.newFixedThreadPool(JOB_SLOTS, named("skillhost-local-job-"));
  private final ExecutorService render = Executors.newFixedThreadPool(threads, named("skillhost-local-render-"));
  private final Parallel par = new Parallel(render, threads);
  private final Map<String, RunningJob> table = new ConcurrentHashMap<>();

  static synchronized LocalRuntime get() {
    if (instance == null) instance = new LocalRuntime();
    return instance;
  }

  /** Cancels every job and waits (a little) for their threads to end. */
  static synchronized void shutdown() {
    if (instance == null) return;
    instance.stop();
    instance = null;
  }

  Optional<RunningJob> job(String taskId) {
    return Optional.ofNullable(table.get(taskId));
  }

  /**
   * Starts planned work for a task, unless this instance already has a job for it; its progress
   * starts at {@code fraction}.
   */
  RunningJob start(String taskId, Planned planned, ProviderContext ctx, String message, double fraction) {
    long now = ctx.clock().millis();
    table.values().removeIf(j -> j.finishedFor(now) > KEEP_FINISHED_MS);
    RunningJob fresh = new RunningJob(taskId, message, fraction);
    RunningJob existing = table.putIfAbsent(taskId, fresh);
    if (existing != null) return existing;
    fresh.attach(jobs.submit(() -> execute(fresh, planned, ctx)));
    return fresh;
  }

  void cancel(String taskId) {
    RunningJob job = table.get(taskId);
    if (job != null) job.cancel();
  }

  private void execute(RunningJob job, Planned planned, ProviderContext ctx) {
    Checkpoint checkpoint = planned.checkpoint();
    Env env = new Env(job, render, par, encoder(ctx), Limits.from(ctx.config()), ctx.artifacts(), checkpoint);
    Progress outcome;
    try {
      env.check();
      if (checkpoint != null) {
        checkpoint.claim(env::check, ctx.clock().millis());
        // the run that held the segments may have finished the task meanwhile
        var done = new JobRecords(ctx.dataDir()).load(job.taskId);
        if (done.isPresent()) {
          job.finish(Progress.succeeded(done.get()), ctx.clock().millis());
          return;
        }
      }
      Result result = planned.work().run(env);
      env.progress(0.99, "storing the " + result.kind());
      var stored = ctx.artifacts().store(result.file(), result.mime())
          .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      Output output = new Output(result.kind(), stored.id(), null, stored.mime(), result.meta().put("bytes", stored.size()));
      new JobRecords(ctx.dataDir()).save(job.taskId, List.of(output), ctx.clock().millis());
      outcome = Progress.succeeded(List.of(output));
    } catch (Cancelled e) {
      outcome = Progress.failed(new ProviderException("cancelled", 0, "the task was cancelled"));
    } catch (ProviderException e) {
      outcome = Progress.failed(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      outcome = Progress.failed(new ProviderException("cancelled", 0, "the local provider is stopping"));
    } catch (Exception | OutOfMemoryError | LinkageError e) {
      ctx.log().log(System.Logger.Level.WARNING, "local job " + job.taskId + " failed", e);
      outcome = Progress.failed(new ProviderException("local_failed", 500,
          "local processing failed: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()),
          null, e));
    } finally {
      env.deleteScratch();
      // a run stopped with the plugin leaves its segments for the next instance; otherwise they are done with
      if (checkpoint != null) {
        if (!job.stopping() && checkpoint.claimed()) checkpoint.delete();
        checkpoint.release();
      }
    }
    job.finish(outcome, ctx.clock().millis());
  }

  static EncoderSettings encoder(ProviderContext ctx) {
    var json = ctx.config().getJsonObject("encoder");
    if (json == null) return EncoderSettings.DEFAULT;
    return new EncoderSettings(json.getString("preset", EncoderSettings.DEFAULT.preset()),
        json.getInteger("crf", EncoderSettings.DEFAULT.crf()), json.getInteger("threads", 0));
  }

  private void stop() {
    table.values().forEach(RunningJob::stop);
    jobs.shutdownNow();
    render.shutdownNow();
    try {
      jobs.awaitTermination(STOP_WAIT_S, TimeUnit.SECONDS);
      render.awaitTermination(STOP_WAIT_S, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
