package dev.skillhost.host.tasks;

import dev.skillhost.api.Output;
import dev.skillhost.api.Progress;
import dev.skillhost.api.ProviderException;
import dev.skillhost.api.RateBucket;
import dev.skillhost.host.plugins.LiveProvider;
import dev.skillhost.host.skills.ErrorMap;
import dev.skillhost.host.skills.ErrorRule.Retry;
import dev.skillhost.host.store.Task;
import dev.skillhost.host.store.TaskEvent;
import dev.skillhost.host.store.TaskState;
import dev.skillhost.host.tasks.TaskLog.Draft;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Following a submitted task: one look at a time on the shared scheduler, progress and results
 * recorded, failed looks retried as the skill's error map (or the HTTP status) says. Part of
 * {@link TaskRunner}; runs on the engine's context.
 */
final class Watch {

  private final TaskRunner r;

  Watch(TaskRunner r) {
    this.r = r;
  }
  void poll(Active a) {
    r.provider(a, RateBucket.Call.POLL).ifPresent(live ->
        live.call(p -> p.poll(a.task.handle(), live.context())).timeout(TaskRunner.CALL_TIMEOUT_S, TimeUnit.SECONDS)
            .onComplete(ar -> r.guarded(a, () -> {
              if (!r.current(a)) {
                return;
              }
              if (ar.succeeded()) {
                progressed(a, live, ar.result());
              } else {
                pollFailed(a, ar.cause());
              }
            })));
  }

  /** A failed look: the skill's error map decides; without a rule, transient faults are retried. */
  void pollFailed(Active a, Throwable cause) {
    if (cause instanceof ProviderException pe) {
      ErrorMap.Meaning m = ErrorMap.classify(r.log.messages().skillOf(a.task), pe);
      if (m.rule().isPresent()) {
        Retry retry = m.retry();
        if (++a.failures > retry.max()) {
          r.fail(a, cause);
        } else {
          long base = retry.delay().toMillis() << Math.min(a.failures - 1, 10);
          long wait = retry.obeyRetryAfter() && pe.retryAfter() != null ? Math.max(base, pe.retryAfter().toMillis()) : base;
          r.later(a, wait);
        }
        return;
      }
    }
    if (Errors.isTransient(cause)) {
      r.retryOrFail(a, cause, "gave up after " + r.maxFailures + " failed looks at the task");
    } else {
      r.fail(a, cause);
    }
  }

  void progressed(Active a, LiveProvider live, Progress p) {
    Task task = p.handle() == null ? a.task : a.task.withHandle(p.handle(), live.version());
    a.failures = 0; // only once the answer could be read
    switch (p.status()) {
      case RUNNING -> {
        List<Draft> drafts = new ArrayList<>();
        boolean moved = p.fraction() >= 0 && Math.abs(p.fraction() - task.progress()) >= 0.01;
        boolean said = p.message() != null && !p.message().equals(a.lastMessage);
        if (moved || said) {
          a.lastMessage = p.message();
          drafts.add(new Draft(TaskEvent.PROGRESS, new JsonObject()
              .put("fraction", p.fraction() >= 0 ? p.fraction() : null).put("message", p.message())));
        }
        long elapsed = r.clock.millis() - task.createdAt();
        long next = r.pacing.nextPoll(elapsed, r.eta(live, task).toMillis(), p.nextPollIn());
        Task changed = moved ? task.withProgress(p.fraction()) : task;
        if (drafts.isEmpty() && p.handle() == null) {
          r.later(a, next);
        } else {
          r.record(a, TaskState.RUNNING, changed, drafts).onSuccess(v -> r.later(a, next));
        }
      }
      case SUCCEEDED -> succeed(a, task, p.outputs());
      case FAILED -> r.fail(a, p.error() != null ? p.error() : new ProviderException(null, 0, p.message()));
      case AWAITING_CONFIRMATION -> r.record(a, TaskState.AWAITING_CONFIRMATION, task, List.of(
          new Draft(TaskEvent.STATE, new JsonObject().put("from", task.state().wire()).put("text", p.message())
              .put("cost", p.cost() == null ? null : p.cost().toJson()))));
    }
  }

  void succeed(Active a, Task task, List<Output> outputs) {
    // Outputs the provider stored become the owner's files before anyone is told of success.
    List<Future<Void>> grants = outputs.stream().filter(o -> o.file() != null)
        .map(o -> r.files.grant(o.file(), task.owner())).toList();
    Future.all(grants).onComplete(ar -> r.guarded(a, () -> {
      if (ar.failed()) {
        r.fail(a, Errors.of("unknown", "contact", "output_not_kept", 0,
            "The result could not be kept: " + ar.cause().getMessage(), null));
        return;
      }
      JsonArray json = new JsonArray();
      List<Draft> drafts = new ArrayList<>();
      for (Output o : outputs) {
        json.add(o.toJson());
        drafts.add(new Draft(TaskEvent.OUTPUT, o.toJson()));
      }
      r.record(a, TaskState.SUCCEEDED, task.withOutputs(json).withProgress(1.0), drafts);
    }));
  }

}
