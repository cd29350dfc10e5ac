package dev.skillhost.host.tasks;

import dev.skillhost.api.Handle;
import dev.skillhost.api.Job;
import dev.skillhost.api.Output;
import dev.skillhost.api.Progress;
import dev.skillhost.api.RateBucket;
import dev.skillhost.api.Reconciliation;
import dev.skillhost.host.plugins.LiveProvider;
import dev.skillhost.host.plugins.PluginHost;
import dev.skillhost.host.store.FileStore;
import dev.skillhost.host.store.Task;
import dev.skillhost.host.store.TaskEvent;
import dev.skillhost.host.store.TaskState;
import dev.skillhost.host.store.TaskStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves unfinished tasks through their states: submit once, poll on the shared scheduler, reconcile
 * what a crash left unknown, enforce deadlines. Runs on the engine's context only; every change
 * is stored before its events are published.
 */
final class TaskRunner {

  private static final Logger LOG = LoggerFactory.getLogger(TaskRunner.class);
  private static final Duration DEFAULT_ETA = Duration.ofSeconds(60);
  /** A submit with no answer by then is treated as lost in transit: reconciled, never re-sent. */
  static final long SUBMIT_TIMEOUT_S = 120;
  /** A look with no answer by then counts as a transient fault. */
  static final long CALL_TIMEOUT_S = 60;

  /** An event to append: its type and fields; the state and seq come from the change. */
  record Draft(String type, JsonObject data) {}

  private final Vertx vertx;
  private final TaskStore store;
  private final FileStore files;
  private final PluginHost plugins;
  private final Clock clock;
  private final Pacing pacing;
  private final int maxFailures;
  private final TokenBuckets buckets = new TokenBuckets();
  private final PollScheduler scheduler;
  private final Map<String, Active> active = new HashMap<>();
  private boolean closed;

  TaskRunner(Vertx vertx, TaskStore store, FileStore files, PluginHost plugins, Clock clock, Pacing pacing,
      int maxFailures) {
    this.vertx = vertx;
    this.store = store;
    this.files = files;
    this.plugins = plugins;
    this.clock = clock;
    this.pacing = pacing;
    this.maxFailures = maxFailures;
    this.scheduler = new PollScheduler(vertx, this::due);
  }

  Optional<Active> active(String taskId) {
    return Optional.ofNullable(active.get(taskId));
  }

  int waiting() {
    return active.size();
  }

  /** Stops looking after tasks; they stay as stored, for the next start to pick up. */
  void close() {
    closed = true;
    scheduler.close();
    active.values().forEach(a -> vertx.cancelTimer(a.deadlineTimer));
    active.clear();
  }

  /** Takes charge of a new or recovered task and does its next step. */
  void adopt(Task task) {
    Active a = new Active(task);
    active.put(task.id(), a);
    if (task.deadlineAt() != null) {
      a.deadlineTimer = vertx.setTimer(Math.max(1, task.deadlineAt() - clock.millis()), id -> deadline(a));
    }
    switch (task.state()) {
      case QUEUED, RUNNING, UNKNOWN -> step(a);
      case SUBMITTING -> record(a, TaskState.UNKNOWN, task, List.of(message(
          "The host stopped while this task was being submitted; asking the provider whether it arrived.")))
          .onSuccess(v -> step(a));
      default -> { } // awaiting confirmation: nothing to do until someone confirms
    }
  }

  /** Cancels an unfinished task; a cancel during submit waits for the provider's answer. */
  Future<Task> cancel(Active a) {
    if (a.task.state() == TaskState.SUBMITTING) {
      a.cancelRequested = true;
      return Future.succeededFuture(a.task);
    }
    cancelUpstream(a.task);
    return record(a, TaskState.CANCELLED, a.task, List.of()).map(v -> a.task);
  }

  private void step(Active a) {
    if (!current(a)) {
      return;
    }
    switch (a.task.state()) {
      case QUEUED -> submit(a);
      case RUNNING -> poll(a);
      case UNKNOWN -> reconcile(a);
      default -> { }
    }
  }

  private void due(String taskId, long generation) {
    Active a = active.get(taskId);
    if (a != null && a.generation == generation) {
      step(a);
    }
  }

  private void later(Active a, long delayMs) {
    scheduler.schedule(a.task.id(), ++a.generation, System.currentTimeMillis() + delayMs);
  }

  /** The provider, or a later retry when it is not loaded (yet, or while it is being replaced). */
  private Optional<LiveProvider> provider(Active a, RateBucket.Call call) {
    Optional<LiveProvider> live = plugins.provider(a.task.provider());
    if (live.isEmpty()) {
      later(a, pacing.max());
      return Optional.empty();
    }
    long wait = buckets.take(account(live.get()), live.get().info().rateBuckets(), call, clock.millis());
    if (wait > 0) {
      later(a, wait);
      return Optional.empty();
    }
    return live;
  }

  private void submit(Active a) {
    provider(a, RateBucket.Call.SUBMIT).ifPresent(live ->
        // Money-safety: SUBMITTING is durable before the provider is called, so a crash from here
        // on leaves a task the next start reconciles instead of sending again.
        record(a, TaskState.SUBMITTING, a.task, List.of()).onSuccess(v ->
            live.call(p -> p.submit(job(a.task), live.context())).timeout(SUBMIT_TIMEOUT_S, TimeUnit.SECONDS)
                .onComplete(ar -> {
              if (ar.succeeded()) {
                submitted(a, live, ar.result());
              } else if (current(a)) {
                submitFailed(a, ar.cause());
              }
            })));
  }

  private void submitted(Active a, LiveProvider live, Handle handle) {
    Task task = a.task.withHandle(handle, live.version());
    if (closed) {
      return; // stopped mid-submit: the stored SUBMITTING makes the next start reconcile it
    }
    if (!current(a)) {
      // finished meanwhile (deadline): the upstream task would run on unwatched, so stop it
      cancelUpstream(task);
      return;
    }
    if (a.cancelRequested) {
      cancelUpstream(task);
      record(a, TaskState.CANCELLED, task, List.of());
      return;
    }
    a.failures = 0;
    record(a, TaskState.RUNNING, task, List.of())
        .onSuccess(v -> later(a, pacing.nextPoll(0, eta(live, task).toMillis(), null)));
  }

  private void submitFailed(Active a, Throwable cause) {
    if (Errors.refused(cause)) {
      fail(a, Errors.of(cause));
      return;
    }
    LOG.warn("submit of {} ended unclearly; reconciling instead of re-sending: {}", a.task.id(), cause.toString());
    record(a, TaskState.UNKNOWN, a.task, List.of(message(
        "The provider's answer to the submission was lost; asking it whether the task arrived.")))
        .onSuccess(v -> reconcile(a));
  }

  private void reconcile(Active a) {
    provider(a, RateBucket.Call.POLL).ifPresent(live ->
        live.call(p -> p.reconcile(job(a.task), live.context())).timeout(CALL_TIMEOUT_S, TimeUnit.SECONDS)
            .onComplete(ar -> {
          if (!current(a)) {
            return;
          }
          if (ar.failed()) {
            retryOrFail(a, ar.cause(), "could not find out whether the provider received the task");
            return;
          }
          Reconciliation r = ar.result();
          switch (r.outcome()) {
            case FOUND -> submitted(a, live, r.handle());
            case NOT_SUBMITTED -> fail(a, Errors.of("unknown", "not_submitted", 0,
                "The host stopped while submitting this task and " + a.task.provider()
                    + " never received it, so nothing was spent. Submit it again."));
            case CANNOT_TELL -> fail(a, Errors.of("unknown", "submission_unknown", 0,
                "The host stopped while submitting this task and " + a.task.provider()
                    + " cannot say whether it received it (" + r.reason() + "). It was not sent again, to"
                    + " avoid paying twice: check your " + a.task.provider() + " account before submitting again."));
          }
        }));
  }

  private void poll(Active a) {
    provider(a, RateBucket.Call.POLL).ifPresent(live ->
        live.call(p -> p.poll(a.task.handle(), live.context())).timeout(CALL_TIMEOUT_S, TimeUnit.SECONDS)
            .onComplete(ar -> {
          if (!current(a)) {
            return;
          }
          if (ar.succeeded()) {
            progressed(a, live, ar.result());
          } else if (Errors.isTransient(ar.cause())) {
            retryOrFail(a, ar.cause(), "gave up after " + maxFailures + " failed looks at the task");
          } else {
            fail(a, Errors.of(ar.cause()));
          }
        }));
  }

  private void progressed(Active a, LiveProvider live, Progress p) {
    a.failures = 0;
    Task task = p.handle() == null ? a.task : a.task.withHandle(p.handle(), live.version());
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
        long elapsed = clock.millis() - task.createdAt();
        long next = pacing.nextPoll(elapsed, eta(live, task).toMillis(), p.nextPollIn());
        Task changed = moved ? task.withProgress(p.fraction()) : task;
        if (drafts.isEmpty() && p.handle() == null) {
          later(a, next);
        } else {
          record(a, TaskState.RUNNING, changed, drafts).onSuccess(v -> later(a, next));
        }
      }
      case SUCCEEDED -> succeed(a, task, p.outputs());
      case FAILED -> fail(a, Errors.of(p.error() != null ? p.error()
          : new dev.skillhost.api.ProviderException(null, 0, p.message())));
      case AWAITING_CONFIRMATION -> record(a, TaskState.AWAITING_CONFIRMATION, task, List.of(
          new Draft(TaskEvent.MESSAGE, new JsonObject().put("text", p.message())
              .put("cost", p.cost() == null ? null : p.cost().toJson()))));
    }
  }

  private void succeed(Active a, Task task, List<Output> outputs) {
    // Outputs the provider stored become the owner's files before anyone is told of success.
    List<Future<Void>> grants = outputs.stream().filter(o -> o.file() != null)
        .map(o -> files.grant(o.file(), task.owner())).toList();
    Future.all(grants).onComplete(ar -> {
      if (ar.failed()) {
        fail(a, Errors.of("unknown", "output_not_kept", 0, "The result could not be kept: " + ar.cause().getMessage()));
        return;
      }
      JsonArray json = new JsonArray();
      List<Draft> drafts = new ArrayList<>();
      for (Output o : outputs) {
        json.add(o.toJson());
        drafts.add(new Draft(TaskEvent.OUTPUT, o.toJson()));
      }
      record(a, TaskState.SUCCEEDED, task.withOutputs(json).withProgress(1.0), drafts);
    });
  }

  private void retryOrFail(Active a, Throwable cause, String giveUp) {
    if (++a.failures > maxFailures) {
      JsonObject error = Errors.of(cause);
      fail(a, error.put("message", giveUp + "; last error: " + error.getString("message")));
      return;
    }
    LOG.debug("transient fault on {} ({} of {}): {}", a.task.id(), a.failures, maxFailures, cause.toString());
    Duration retryAfter = cause instanceof dev.skillhost.api.ProviderException pe ? pe.retryAfter() : null;
    later(a, pacing.backoff(a.failures, retryAfter));
  }

  private void deadline(Active a) {
    a.deadlineTimer = -1;
    if (!current(a)) {
      return;
    }
    long seconds = Math.round((a.task.deadlineAt() - a.task.createdAt()) / 1000.0);
    cancelUpstream(a.task);
    fail(a, Errors.of("timeout", "deadline", 0, "The task did not finish within its deadline of " + seconds + " s."));
  }

  void fail(Active a, JsonObject error) {
    record(a, TaskState.FAILED, a.task.withError(error), List.of(new Draft(TaskEvent.ERROR, error)));
  }

  /**
   * Applies a change: the new task value and its events (a {@code state} event is added when the
   * state changes) are stored in one transaction, then published.
   */
  Future<Void> record(Active a, TaskState next, Task edited, List<Draft> drafts) {
    long now = clock.millis();
    TaskState previous = a.task.state();
    long seq = a.task.seq();
    List<TaskEvent> events = new ArrayList<>(drafts.size() + 1);
    for (Draft d : drafts) {
      events.add(new TaskEvent(edited.id(), ++seq, d.type(), next, now, d.data()));
    }
    if (next != previous) {
      events.add(new TaskEvent(edited.id(), ++seq, TaskEvent.STATE, next, now,
          new JsonObject().put("from", previous.wire())));
    }
    Task task = edited.withState(next, seq, now);
    a.task = task;
    if (next.terminal()) {
      active.remove(task.id(), a);
      vertx.cancelTimer(a.deadlineTimer);
    }
    return store.save(task, events)
        .onSuccess(v -> events.forEach(e -> publish(e, task.owner())))
        .onFailure(e -> LOG.error("could not store a change of task {}", task.id(), e));
  }

  void publish(TaskEvent event, String owner) {
    vertx.eventBus().publish(TaskEvents.taskAddress(event.task()), event);
    vertx.eventBus().publish(TaskEvents.ownerAddress(owner), event);
  }

  private boolean current(Active a) {
    return !closed && active.get(a.task.id()) == a && !a.task.state().terminal();
  }

  private void cancelUpstream(Task task) {
    if (task.handle() == null) {
      return;
    }
    plugins.provider(task.provider()).ifPresent(live -> live.call(p -> p.cancel(task.handle(), live.context()))
        .onFailure(e -> LOG.warn("upstream cancel of {} failed: {}", task.id(), e.toString())));
  }

  private static Draft message(String text) {
    return new Draft(TaskEvent.MESSAGE, new JsonObject().put("text", text));
  }

  private static Duration eta(LiveProvider live, Task task) {
    if (task.handle() != null && task.handle().eta() != null) {
      return task.handle().eta();
    }
    return live.info().operation(task.operation()).map(o -> o.eta()).filter(e -> e != null).orElse(DEFAULT_ETA);
  }

  private static String account(LiveProvider live) {
    return live.id() + ':' + live.context().config().getString("account", "default");
  }

  static Job job(Task task) {
    List<Job.Input> inputs = new ArrayList<>();
    for (int i = 0; i < task.inputs().size(); i++) {
      JsonObject in = task.inputs().getJsonObject(i);
      inputs.add(new Job.Input(in.getString("role"), in.getString("file"), in.getString("mime"), in.getLong("size", 0L)));
    }
    return new Job(task.id(), task.operation(), task.params(), inputs, task.locale());
  }
}
