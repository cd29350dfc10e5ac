package dev.skillhost.sim;

import dev.skillhost.api.Account;
import dev.skillhost.api.Estimate;
import dev.skillhost.api.Handle;
import dev.skillhost.api.Job;
import dev.skillhost.api.ModelInfo;
import dev.skillhost.api.OperationInfo;
import dev.skillhost.api.Output;
import dev.skillhost.api.Progress;
import dev.skillhost.api.Provider;
import dev.skillhost.api.ProviderContext;
import dev.skillhost.api.ProviderException;
import dev.skillhost.api.ProviderInfo;
import dev.skillhost.api.RateBucket;
import dev.skillhost.api.Reconciliation;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.pf4j.Extension;

/**
 * A provider with no upstream, for trials, tests and benchmarks. It makes small real media (a PNG,
 * an animated GIF standing in for video) but no real generation. Everything about a task lives in
 * its handle, so any instance of this plugin can poll a task another instance submitted.
 */
@Extension
public final class SimProvider implements Provider {

  static final String ID = "sim";
  static final String MODEL = "sim-1";
  static final int STEPS = 10;

  private static final Duration DEFAULT_ETA = Duration.ofMillis(SimParams.DEFAULT_DURATION_MS);

  private static final ProviderInfo INFO = new ProviderInfo(
      ID,
      "Simulator",
      "Simulated backend: does no real generation; returns small generated PNGs and GIFs after a set delay",
      ProviderInfo.Kind.SIMULATED,
      List.of(
          new OperationInfo("text2image", "A generated PNG (256x256) from a seed or prompt hash", List.of(), DEFAULT_ETA),
          new OperationInfo("t2v", "A short animated GIF (160x90) standing in for a video", List.of(), DEFAULT_ETA),
          new OperationInfo("i2v", "The input image slowly zoomed, as an animated GIF (160x90)", List.of("image"), DEFAULT_ETA)),
      List.of(new ModelInfo(MODEL, "Simulator 1", List.of("text2image", "t2v", "i2v"),
          new JsonObject().put("max_duration_ms", SimParams.MAX_DURATION_MS))),
      List.of(new RateBucket("sim-poll", 2000, Duration.ofSeconds(1), Set.of(RateBucket.Call.POLL))),
      false);

  private final SimLedger ledger = new SimLedger();

  @Override
  public ProviderInfo info() {
    return INFO;
  }

  @Override
  public Future<Estimate> estimate(Job job, ProviderContext ctx) {
    try {
      checkOperation(job);
      SimParams params = SimParams.parse(job.params());
      JsonObject breakdown = new JsonObject().put("operation", job.operation()).put("duration_ms", params.durationMs());
      return Future.succeededFuture(new Estimate(params.cost(), "sim_credits", breakdown));
    } catch (ProviderException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public Future<Handle> submit(Job job, ProviderContext ctx) {
    SimParams params;
    String image;
    try {
      checkOperation(job);
      params = SimParams.parse(job.params());
      image = inputImage(job);
    } catch (ProviderException e) {
      return Future.failedFuture(e);
    }
    if (params.fail() == SimParams.FailMode.SUBMIT) {
      return Future.failedFuture(new ProviderException(params.failCode(), params.failHttp(), params.failText()));
    }
    Handle handle = SimTask.of(job, params, image, ctx.clock().millis()).handle();
    // The backend records the task before the slow reply: a host that dies while waiting
    // leaves a real upstream task behind, which reconcile() must find.
    return ledger.append(ctx, job.taskId(), handle)
        .compose(v -> params.slowSubmitMs() > 0 ? ctx.vertx().timer(params.slowSubmitMs()) : Future.<Void>succeededFuture())
        .map(handle);
  }

  @Override
  public Future<Progress> poll(Handle handle, ProviderContext ctx) {
    SimTask task;
    try {
      task = SimTask.from(handle);
    } catch (ProviderException e) {
      return Future.failedFuture(e);
    }
    boolean early = ctx.clock().millis() - task.startedAt() < task.flakyMs();
    if (early || (task.flaky() > 0 && ThreadLocalRandom.current().nextDouble() < task.flaky())) {
      return Future.failedFuture(new ProviderException("SIM_FLAKY", 503, "simulated transient failure; try again",
          Duration.ofMillis(100), null));
    }
    double fraction = task.fraction(ctx.clock().millis());
    if (task.failOnPoll() && fraction >= 0.5) {
      return Future.succeededFuture(Progress.failed(new ProviderException(task.failCode(), task.failHttp(), task.failText())));
    }
    if (fraction < 1.0) {
      int step = Math.min(STEPS, (int) (fraction * STEPS) + 1);
      return Future.succeededFuture(Progress.running(fraction, "step " + step + " of " + STEPS));
    }
    return SimRender.output(task, ctx)
        .map(output -> Progress.succeeded(List.of(task.cdnUrl() == null ? output
            : new Output(output.kind(), task.cdnOnly() ? null : output.file(), task.cdnUrl(), output.mime(),
                task.cdnHeaders() == null ? output.meta() : output.meta().copy().put("headers", task.cdnHeaders())))))
        .recover(err -> err instanceof ProviderException pe
            ? Future.succeededFuture(Progress.failed(pe))
            : Future.failedFuture(err));
  }

  @Override
  public Future<Void> cancel(Handle handle, ProviderContext ctx) {
    return Future.succeededFuture();
  }

  @Override
  public Future<Account> account(ProviderContext ctx) {
    return ledger.count(ctx).map(n -> new Account(ID, null, new JsonObject().put("submits", n)));
  }

  @Override
  public Future<Reconciliation> reconcile(Job job, ProviderContext ctx) {
    return ledger.find(ctx, job.taskId())
        .map(found -> found.map(Reconciliation::found)
            .orElseGet(() -> Reconciliation.notSubmitted("the simulator never received this task")));
  }

  private static void checkOperation(Job job) {
    if (INFO.operation(job.operation()).isEmpty()) {
      throw new ProviderException("unknown_operation", 0,
          "the simulator runs text2image, t2v and i2v, not " + job.operation());
    }
  }

  private static String inputImage(Job job) {
    if (!"i2v".equals(job.operation())) return null;
    return job.inputs().stream()
        .filter(in -> "image".equals(in.role()))
        .map(Job.Input::file)
        .findFirst()
        .orElseThrow(() -> SimParams.invalid("i2v needs an input with role image"));
  }
}
