package dev.skillhost.local;

import dev.skillhost.api.Estimate;
import dev.skillhost.api.Handle;
import dev.skillhost.api.Job;
import dev.skillhost.api.ModelInfo;
import dev.skillhost.api.Output;
import dev.skillhost.api.Progress;
import dev.skillhost.api.Provider;
import dev.skillhost.api.ProviderContext;
import dev.skillhost.api.ProviderException;
import dev.skillhost.api.ProviderInfo;
import dev.skillhost.api.Reconciliation;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.pf4j.Extension;

/**
 * Real image and video work on this machine's CPU, with no account and no network: camera moves
 * over a still ({@code i2v}), slideshows, longer videos from a video ({@code extend}) and image
 * edits. Video is H.264 in MP4 from FFmpeg's libx264, bundled in the plugin jar.
 *
 * <p>Submit checks the parameters and the inputs' headers, starts the work on the plugin's own
 * threads and returns at once. The handle holds the operation, parameters and inputs, so a poll that
 * reaches an instance without the job (the host restarted, or the plugin was swapped) finds the
 * finished result in the provider's data directory or, when the work was cut off, runs it again
 * from the start: local work costs nothing, so doing it twice is safe.
 */
@Extension
public final class LocalProvider implements Provider {

  static final String ID = "local";

  private static final ProviderInfo INFO = new ProviderInfo(ID, "Local",
      "Offline image and video work on this machine's CPU: no account, no network, no cost",
      ProviderInfo.Kind.LOCAL, Operations.ALL,
      List.of(new ModelInfo("local-ffmpeg", "Local (FFmpeg, libx264)",
          Operations.ALL.stream().map(o -> o.name()).toList(), Limits.DEFAULT.toJson())),
      List.of(), false);

  @Override
  public ProviderInfo info() {
    return INFO;
  }

  @Override
  public Future<Estimate> estimate(Job job, ProviderContext ctx) {
    return Future.succeededFuture(new Estimate(0.0, "credits",
        new JsonObject().put("operation", job.operation()).put("reason", "local work is free")));
  }

  @Override
  public Future<Handle> submit(Job job, ProviderContext ctx) {
    JsonObject data = handleData(job);
    return plan(data, ctx).map(planned -> {
      LocalRuntime.get().start(job.taskId(), planned, ctx, "queued", 0);
      return new Handle("local-" + job.taskId(), data, Duration.ofMillis(planned.work().etaMs()));
    });
  }

  @Override
  public Future<Progress> poll(Handle handle, ProviderContext ctx) {
    String taskId = handle.data().getString("task");
    if (taskId == null) {
      return Future.failedFuture(new ProviderException("bad_handle", 400, "this handle was not made by the local provider"));
    }
    Optional<RunningJob> running = LocalRuntime.get().job(taskId);
    if (running.isPresent()) return Future.succeededFuture(running.get().look());
    return ctx.vertx().executeBlocking(() -> new JobRecords(ctx.dataDir()).load(taskId), false)
        .compose(done -> done.isEmpty()
            ? rerun(taskId, handle.data(), ctx)
            : stillThere(done.get(), ctx).compose(there -> there
                ? Future.succeededFuture(Progress.succeeded(done.get()))
                : rerun(taskId, handle.data(), ctx)));
  }

  @Override
  public Future<Void> cancel(Handle handle, ProviderContext ctx) {
    String taskId = handle.data().getString("task");
    if (taskId != null) LocalRuntime.get().cancel(taskId);
    return Future.succeededFuture();
  }

  /**
   * After a crash during submit the host does not know if the work started. It costs nothing to
   * run it, so the answer is always "found": polling then runs it.
   */
  @Override
  public Future<Reconciliation> reconcile(Job job, ProviderContext ctx) {
    return Future.succeededFuture(Reconciliation.found(new Handle("local-" + job.taskId(), handleData(job), null)));
  }

  private Future<Progress> rerun(String taskId, JsonObject data, ProviderContext ctx) {
    String cut = "the earlier run was cut off by a restart of the host or the plugin";
    return plan(data, ctx)
        .map(planned -> {
          Checkpoint kept = planned.checkpoint();
          String why = kept != null && kept.framesDone() > 0
              ? "resuming at frame " + (kept.framesDone() + 1) + " of " + planned.work().video().frames() + ": " + cut
              : "started again: " + cut;
          double at = planned.startFraction();
          LocalRuntime.get().start(taskId, planned, ctx, why, at);
          // answered here rather than by the job, which may already have moved on to its next step
          return new Progress(Progress.Status.RUNNING, at, why, List.of(), null, null, RunningJob.POLL_HINT, null);
        })
        .recover(err -> err instanceof ProviderException pe
            ? Future.succeededFuture(Progress.failed(pe))
            : Future.failedFuture(err));
  }

  /**
   * Finds the inputs in the host's store, then, off the event loop, checks parameters and headers
   * and opens the task's checkpoint (checking what a cut-off run of it left).
   */
  private static Future<Planned> plan(JsonObject data, ProviderContext ctx) {
    String operation = data.getString("operation");
    Params params = new Params(data.getJsonObject("params"));
    JsonArray inputs = data.getJsonArray("inputs", new JsonArray());
    List<Future<Source>> found = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      JsonObject in = inputs.getJsonObject(i);
      int number = (int) inputs.stream().limit(i + 1)
          .filter(o -> in.getString("role").equals(((JsonObject) o).getString("role"))).count();
      found.add(ctx.artifacts().path(in.getString("file"))
          .map(path -> new Source(in.getString("role"), in.getString("file"), path, in.getString("mime"), number))
          .recover(err -> Future.failedFuture(Invalid.inputs("input " + in.getString("role") + " "
              + in.getString("file") + " is not in the host's store: " + err.getMessage()))));
    }
    return Future.all(found)
        .compose(all -> ctx.vertx().executeBlocking(() -> {
          Work work = Operations.plan(operation, params, all.<Source>list(), Limits.from(ctx.config()));
          Checkpoint checkpoint = work.video() == null ? null : Checkpoint.open(ctx.dataDir(), data.getString("task"),
              data, LocalRuntime.encoder(ctx), work.video());
          return new Planned(work, checkpoint);
        }, false));
  }

  private static Future<Boolean> stillThere(List<Output> outputs, ProviderContext ctx) {
    List<Future<java.nio.file.Path>> paths = outputs.stream()
        .filter(o -> o.file() != null).map(o -> ctx.artifacts().path(o.file())).toList();
    return Future.all(paths).map(true).otherwise(false);
  }

  private static JsonObject handleData(Job job) {
    JsonArray inputs = new JsonArray();
    for (Job.Input in : job.inputs()) {
      inputs.add(new JsonObject().put("role", in.role()).put("file", in.file()).put("mime", in.mime()));
    }
    return new JsonObject().put("task", job.taskId()).put("operation", job.operation())
        .put("params", job.params()).put("inputs", inputs);
  }
}
