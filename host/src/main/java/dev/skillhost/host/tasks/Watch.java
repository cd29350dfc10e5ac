package dev.skillhost.host.tasks;

import dev.skillhost.api.Output;
import dev.skillhost.api.Progress;
import dev.skillhost.api.ProviderException;
import dev.skillhost.api.RateBucket;
import dev.skillhost.host.plugins.LiveProvider;
import dev.skillhost.host.skills.ErrorMap;
import dev.skillhost.host.skills.ErrorRule.Retry;
import dev.skillhost.host.skills.Skill;
import dev.skillhost.host.store.Confirmation;
import dev.skillhost.host.store.Task;
import dev.skillhost.host.store.TaskEvent;
import dev.skillhost.host.store.TaskState;
import dev.skillhost.host.tasks.TaskLog.Draft;
import dev.skillhost.api.ProgressSink;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Following a submitted task: one look at a time on the shared scheduler, progress and results
 * recorded, failed looks retried as the skill's error map (or the HTTP status) says. Part of
 * {@link TaskRunner}; runs on the engine's context.
 */
final class Watch {

  private static final Logger LOG = LoggerFactory.getLogger(Watch.class);
  /** A provider asking for the next look within this long expects that look to have the answer. */
  private static final long URGENT_MS = 1_000;

  private final TaskRunner r;

  Watch(TaskRunner r) {
    this.r = r;
  }
  /**
   * A task just sent, or recovered running: a provider that pushes follows it through
   * {@link dev.skillhost.api.Provider#stream}; when the stream ends without a terminal answer (or
   * cannot start) the task is polled, as tasks of every other provider are.
   */
  void follow(Active a, long firstPollMs) {
    Optional<LiveProvider> found = r.plugins.provider(a.task.provider());
    if (found.isEmpty() || !found.get().info().streams()) {
      r.later(a, found.isEmpty() ? r.pacing.max() : firstPollMs);
      return;
    }
    LiveProvider live = found.get();
    a.streaming = true;
    ++a.generation; // no scheduled look while the stream is open
    Context engine = r.vertx.getOrCreateContext();
    ProgressSink sink = p -> engine.runOnContext(v -> r.guarded(a, () -> {
      if (a.streaming && r.current(a) && !a.finishing) {
        progressed(a, live, p);
      }
    }));
    live.call(p -> p.stream(a.task.handle(), live.context(), sink))
        .onComplete(ar -> engine.runOnContext(v -> r.guarded(a, () -> {
          a.streaming = false;
          if (!r.current(a) || a.finishing) {
            return;
          }
          if (ar.failed()) {
            LOG.info("stream of task {} ended: {}; polling instead", a.task.id(), ar.cause().toString());
          }
          r.later(a, 0);
        })));
  }

  void follow(Active a) {
    follow(a, 0);
  }

  void poll(Active a) {
    if (a.finishing) {
      return;
    }
    r.provider(a, RateBucket.Call.POLL).ifPresent(live ->
        r.call(live, RateBucket.Call.POLL, "poll", p -> p.poll(a.task.handle(), live.context())).timeout(TaskRunner.CALL_TIMEOUT_S, TimeUnit.SECONDS)
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
        String text = r.providerText(task, p.message());
        boolean said = text != null && !text.equals(a.lastMessage);
        if (moved || said) {
          if (said) {
            a.lastMessage = text;
          }
          drafts.add(new Draft(TaskEvent.PROGRESS, new JsonObject()
              .put("fraction", p.fraction() >= 0 ? p.fraction() : null).put("message", text)));
        }
        // "look again at once" means the next look finishes the task (Lovart: done, now read the result)
        a.urgent = p.nextPollIn() != null && p.nextPollIn().toMillis() <= URGENT_MS;
        long elapsed = r.clock.millis() - task.createdAt();
        long next = r.pacing.nextPoll(elapsed, r.eta(live, task).toMillis(), p.nextPollIn());
        Task changed = moved ? task.withProgress(p.fraction()) : task;
        List<Output> shown = allowed(a, task, p.outputs(), drafts);
        List<Output> fresh = shown.stream().filter(o -> task.outputs() == null || !seen(task.outputs(), o.toJson())).toList();
        JsonArray outputs = newOutputs(task, shown, drafts);
        if (outputs != null) {
          changed = changed.withOutputs(outputs);
        }
        if (drafts.isEmpty() && p.handle() == null) {
          lookAgain(a, next);
        } else {
          r.record(a, TaskState.RUNNING, changed, drafts).onSuccess(v -> lookAgain(a, next));
        }
        keepEarly(a, fresh);
      }
      case SUCCEEDED -> succeed(a, task, p.outputs());
      case FAILED -> r.fail(a, p.error() != null ? p.error() : new ProviderException(null, 0, p.message()));
      // asked already (a stream repeating itself, or a confirm on its way): the one ask stands
      case AWAITING_CONFIRMATION -> {
        if (a.task.state() != TaskState.AWAITING_CONFIRMATION) {
          askedByProvider(a, task, p);
        }
      }
    }
  }

  /** The backend stopped the task to ask: a new ask, stored with its cost, that the user answers once. */
  private void askedByProvider(Active a, Task task, Progress p) {
    JsonObject cost = p.cost() == null ? null : p.cost().toJson();
    r.record(a, TaskState.AWAITING_CONFIRMATION, task.withConfirmation(
        Confirmation.asked(Confirmation.PROVIDER, cost, null, r.clock.millis())), List.of(
        new Draft(TaskEvent.STATE, new JsonObject().put("from", task.state().wire())
            .put("text", r.providerText(task, p.message())).put("cost", cost))));
  }

  /** The next look, unless a stream is following the task. */
  private void lookAgain(Active a, long delayMs) {
    if (!a.streaming) {
      r.later(a, delayMs);
    }
  }

  /**
   * Outputs a running task reported that it had not reported before become output events (a
   * backend that shows results as they appear); answers the task's outputs with them, or null.
   */
  static JsonArray newOutputs(Task task, List<Output> outputs, List<Draft> drafts) {
    JsonArray known = task.outputs() == null ? new JsonArray() : task.outputs().copy();
    boolean added = false;
    for (Output o : outputs) {
      JsonObject json = o.toJson();
      if (!seen(known, json)) {
        known.add(json);
        drafts.add(new Draft(TaskEvent.OUTPUT, json));
        added = true;
      }
    }
    return added ? known : null;
  }

  private static boolean seen(JsonArray known, JsonObject output) {
    for (int i = 0; i < known.size(); i++) {
      JsonObject k = known.getJsonObject(i);
      boolean sameFile = output.getString("file") != null && output.getString("file").equals(k.getString("file"));
      boolean sameUrl = output.getString("url") != null && output.getString("url").equals(k.getString("url"));
      if (sameFile || sameUrl) {
        return true;
      }
    }
    return false;
  }

  /**
   * The outputs whose URL the skill allows ({@code outputs:} prefixes; any when it lists none).
   * Others are refused, logged and said in the task's events: a backend handing out links to
   * somewhere else is a fault (or an attack), never passed on to users.
   */
  List<Output> allowed(Active a, Task task, List<Output> outputs, List<Draft> drafts) {
    Skill skill = r.log.messages().skillOf(task);
    if (skill == null || skill.outputs().isEmpty()) {
      return outputs;
    }
    List<Output> kept = new ArrayList<>();
    for (Output o : outputs) {
      if (o.url() == null || skill.outputs().stream().anyMatch(prefix -> o.url().startsWith(prefix))) {
        kept.add(o);
      } else if (a.refused.add(o.url())) {
        LOG.warn("task {}: refused output {} (skill {} allows only {})", task.id(), o.url(), skill.id(), skill.outputs());
        drafts.add(TaskRunner.message("An output at " + o.url() + " was refused: skill " + skill.id()
            + " accepts results only from " + String.join(", ", skill.outputs()) + "."));
      }
    }
    return kept;
  }

  void succeed(Active a, Task task, List<Output> reported) {
    List<Draft> refusals = new ArrayList<>();
    List<Output> outputs = allowed(a, task, reported, refusals);
    if (outputs.isEmpty() && !reported.isEmpty()) {
      Skill skill = r.log.messages().skillOf(task);
      r.fail(a, Errors.of("upstream", "contact", "output_refused", 0, "The provider's results came from "
          + reported.stream().map(Output::url).toList() + ", which skill " + skill.id() + " does not accept (only "
          + String.join(", ", skill.outputs()) + "), so none was kept.", null));
      return;
    }
    // Outputs at the provider's URLs are copied into the store before anyone is told of success.
    a.finishing = true;
    r.keeper.keep(a.task, outputs).onComplete(k -> r.guarded(a, () -> {
      if (r.current(a)) {
        List<Draft> said = new ArrayList<>(refusals);
        said.addAll(k.result().drafts());
        kept(a, task.withOutputs(a.task.outputs()), k.result().outputs(), said);
      }
    }));
  }

  /**
   * Outputs that appeared while running and live only at the provider's URL are copied at once
   * (their links may expire before the task ends); the task's outputs then show the copies.
   */
  private void keepEarly(Active a, List<Output> fresh) {
    if (!r.keeper.needsCopy(fresh)) {
      return;
    }
    r.keeper.keep(a.task, fresh).onComplete(k -> r.guarded(a, () -> {
      if (r.current(a) && !a.finishing && a.task.state() == TaskState.RUNNING && a.task.outputs() != null) {
        // a failed copy is said once, when the task ends and tries again
        r.record(a, TaskState.RUNNING, a.task.withOutputs(OutputKeeper.replace(a.task.outputs(), k.result().outputs())),
            List.of());
      }
    }));
  }

  private void kept(Active a, Task task, List<Output> outputs, List<Draft> said) {
    // Outputs the provider stored become the owner's files before anyone is told of success.
    List<Future<Void>> grants = outputs.stream().filter(o -> o.file() != null)
        .map(o -> r.files.grant(o.file(), task.owner())).toList();
    Future.all(grants).onComplete(ar -> r.guarded(a, () -> {
      if (ar.failed()) {
        r.fail(a, Errors.of("unknown", "contact", "output_not_kept", 0,
            "The result could not be kept: " + ar.cause().getMessage(), null));
        return;
      }
      // Outputs already announced while running are not announced twice; the task keeps all.
      List<Draft> drafts = new ArrayList<>(said);
      JsonArray known = newOutputs(task, outputs, drafts);
      known = OutputKeeper.replace(known == null ? task.outputs() == null ? new JsonArray() : task.outputs() : known, outputs);
      r.record(a, TaskState.SUCCEEDED, task.withOutputs(known).withProgress(1.0), drafts);
    }));
  }

}
