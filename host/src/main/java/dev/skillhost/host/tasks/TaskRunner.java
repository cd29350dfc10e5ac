package dev.skillhost.host.tasks;

import dev.skillhost.api.Job;
import dev.skillhost.api.ProviderException;
import dev.skillhost.api.RateBucket;
import dev.skillhost.api.Provider;
import dev.skillhost.host.metrics.HostMetrics;
import dev.skillhost.host.plugins.LiveProvider;
import dev.skillhost.host.plugins.PluginHost;
import dev.skillhost.host.skills.Rewrite;
import dev.skillhost.host.skills.Skill;
import dev.skillhost.host.skills.SkillOperation;
import dev.skillhost.host.store.FileStore;
import dev.skillhost.host.store.Task;
import dev.skillhost.host.store.TaskEvent;
import dev.skillhost.host.store.TaskState;
import dev.skillhost.host.tasks.TaskLog.Draft;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves unfinished tasks through their states: ask for confirmation when the skill says the
 * spend needs it, submit once, poll on the shared scheduler, reconcile what a crash left
 * unknown, enforce deadlines. Runs on the engine's context only.
 */
final class TaskRunner {

  private static final Logger LOG = LoggerFactory.getLogger(TaskRunner.class);
  private static final Duration DEFAULT_ETA = Duration.ofSeconds(60);
  /** A submit with no answer by then is treated as lost in transit: reconciled, never re-sent. */
  static final long SUBMIT_TIMEOUT_S = 120;
  /** A look with no answer by then counts as a transient fault. */
  static final long CALL_TIMEOUT_S = 60;

  final Vertx vertx;
  final TaskLog log;
  final FileStore files;
  final PluginHost plugins;
  final Clock clock;
  final Pacing pacing;
  final int maxFailures;
  private final PollScheduler scheduler;
  private final Map<String, Active> active = new HashMap<>();
  private final Lanes lanes = new Lanes(this);
  private final Throttle throttle;
  /** Room under the providers' rate limits, and the line of tasks waiting for it. */
  final RateTokens tokens;
  boolean closed;
  private final Submission submission = new Submission(this);
  /** Where a task refused before any spend goes next; set by the engine before any task runs. */
  Fallback fallback = new Fallback(this, SkillLookup.NONE, Map.of());
  private final Watch watch = new Watch(this);
  /** Copies outputs at provider URLs into the store; set by the engine before any task runs. */
  OutputKeeper keeper;
  /** Where task changes, upstream calls and the throttle's line are counted; set by the engine before any task runs. */
  HostMetrics metrics = HostMetrics.create();

  TaskRunner(Vertx vertx, TaskLog log, FileStore files, PluginHost plugins, Clock clock, Pacing pacing,
      int maxFailures) {
    this.vertx = vertx;
    this.log = log;
    this.files = files;
    this.plugins = plugins;
    this.clock = clock;
    this.pacing = pacing;
    this.maxFailures = maxFailures;
    this.scheduler = new PollScheduler(vertx, this::due);
    this.throttle = new Throttle(vertx, this);
    this.tokens = new RateTokens(vertx, clock, plugins, throttle);
    this.keeper = new OutputKeeper(vertx, files, null);
  }

  Optional<Active> active(String taskId) {
    return Optional.ofNullable(active.get(taskId));
  }

  int waiting() {
    return active.size();
  }

  /** The tasks this runner looks after: every unfinished task of the store. Read on the engine's context only. */
  java.util.Collection<Active> all() {
    return active.values();
  }

  /** Stops looking after tasks; they stay as stored, for the next start to pick up. */
  void close() {
    closed = true;
    scheduler.close();
    active.values().forEach(a -> vertx.cancelTimer(a.deadlineTimer));
    active.clear();
    lanes.clear();
    throttle.clear();
    tokens.close();
  }

  /** Takes charge of a new or recovered task and does its next step. */
  void adopt(Task task) {
    Active a = new Active(task);
    active.put(task.id(), a);
    if (task.deadlineAt() != null) {
      a.deadlineTimer = vertx.setTimer(Math.max(1, task.deadlineAt() - clock.millis()), id -> deadline(a));
    }
    if (task.handle() != null) {
      lanes.resume(a); // sent before the restart: it holds its thread again before queued ones move
    }
    switch (task.state()) {
      // after every recovered task had the chance to take its lane back
      case QUEUED -> later(a, 0);
      case RUNNING -> watch.follow(a);
      case UNKNOWN -> step(a);
      case SUBMITTING -> record(a, TaskState.UNKNOWN, task, List.of(message(
          "The host stopped while this task was being submitted; asking the provider whether it arrived.")))
          .onSuccess(v -> step(a));
      case AWAITING_CONFIRMATION -> {
        if (task.handle() != null && task.confirmation() != null && task.confirmation().confirmed()) {
          // stopped while telling the backend the user confirmed: it may have taken it, so ask it
          // (a look) rather than confirm again; still waiting, it asks anew and the user answers anew
          record(a, TaskState.RUNNING, task, List.of(message(
              "The host stopped while passing on the confirmation; asking the provider where the task is.")))
              .onSuccess(v -> later(a, 0));
        } // else nothing to do until someone confirms
      }
      default -> { }
    }
  }

  /** The user confirmed the spend of a task awaiting confirmation. */
  Future<Task> confirm(Active a) {
    return submission.confirm(a);
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


  void step(Active a) {
    if (!current(a)) {
      return;
    }
    switch (a.task.state()) {
      case QUEUED -> submission.submit(a);
      case RUNNING -> watch.poll(a);
      case UNKNOWN -> submission.reconcile(a);
      default -> { }
    }
  }

  private void due(String taskId, long generation) {
    Active a = active.get(taskId);
    if (a != null && a.generation == generation) {
      step(a);
    }
  }

  void later(Active a, long delayMs) {
    scheduler.schedule(a.task.id(), ++a.generation, System.currentTimeMillis() + delayMs);
  }

  /**
   * Calls the provider and counts the call, its latency and its failure (status, 429s) under the
   * rate buckets that govern {@code bucketCall} (null: none), as are the HTTP requests it makes.
   * Every call passes the provider's circuit breaker: a spending call ({@link RateBucket.Call#SUBMIT})
   * is refused, unsent, while it is open; the others always go and are counted while it is closed.
   */
  <T> Future<T> call(LiveProvider live, RateBucket.Call bucketCall, String what, Function<Provider, Future<T>> fn) {
    long start = System.nanoTime();
    String provider = live.id();
    String bucket = bucketNames(live, bucketCall);
    // inBucket: the plugin's own HTTP requests during this call are counted under the same bucket
    return HostMetrics.inBucket(bucket, () -> bucketCall == RateBucket.Call.SUBMIT
            ? live.circuit().submit(() -> live.call(fn)) : live.circuit().read(() -> live.call(fn)))
        .andThen(ar -> metrics.upstream(provider, bucket, what, System.nanoTime() - start, ar.failed(),
            ar.failed() && ar.cause() instanceof ProviderException pe ? pe.httpStatus() : 0));
  }

  private static String bucketNames(LiveProvider live, RateBucket.Call call) {
    if (call == null) {
      return HostMetrics.NONE; // not a call the host paces (an estimate)
    }
    String names = live.info().rateBuckets().stream().filter(b -> b.calls().contains(call)).map(RateBucket::name)
        .sorted().collect(Collectors.joining("+"));
    return names.isEmpty() ? HostMetrics.NONE : names;
  }

  /** Tasks waiting for their lane now. */
  long laneWaiters() {
    return lanes.waiting();
  }

  /** The provider, or a later retry when it is not loaded (yet, or while it is being replaced). */
  Optional<LiveProvider> provider(Active a, RateBucket.Call call) {
    Optional<LiveProvider> live = plugins.provider(a.task.provider());
    if (live.isEmpty()) {
      later(a, pacing.max());
      return Optional.empty();
    }
    LiveProvider p = live.get();
    String line = RateTokens.line(p, call);
    boolean released = a.released;
    a.released = false;
    if (!released && throttle.waiting(line)) {
      throttle.park(line, a, () -> tokens.peek(p, call));
      return Optional.empty();
    }
    if (tokens.take(p, call) > 0) {
      throttle.park(line, a, () -> tokens.peek(p, call));
      return Optional.empty();
    }
    a.lineSeq = 0;
    a.urgent = false;
    return live;
  }

  /**
   * Runs the continuation of a provider call. A fault there (a provider answering null, a value
   * the host cannot read) must not leave the task stuck: mid-submit it means the outcome is
   * unclear, so the task is reconciled; anywhere else it counts as a transient fault.
   */
  void guarded(Active a, Runnable continuation) {
    try {
      continuation.run();
    } catch (RuntimeException e) {
      LOG.error("task {}: could not process the provider's answer", a.task.id(), e);
      if (!current(a)) {
        return;
      }
      if (a.task.state() == TaskState.SUBMITTING) {
        submission.submitFailed(a, e);
      } else {
        retryOrFail(a, e, "the host could not process the provider's answers");
      }
    }
  }

  void retryOrFail(Active a, Throwable cause, String giveUp) {
    if (++a.failures > maxFailures) {
      JsonObject error = Errors.of(cause, log.messages().skillOf(a.task), a.task.locale());
      fail(a, error.put("message", giveUp + "; last error: " + error.getString("message")));
      return;
    }
    LOG.debug("transient fault on {} ({} of {}): {}", a.task.id(), a.failures, maxFailures, cause.toString());
    Duration retryAfter = cause instanceof ProviderException pe ? pe.retryAfter() : null;
    later(a, pacing.backoff(a.failures, retryAfter));
  }

  private void deadline(Active a) {
    a.deadlineTimer = -1;
    if (!current(a)) {
      return;
    }
    long seconds = Math.round((a.task.deadlineAt() - a.task.createdAt()) / 1000.0);
    cancelUpstream(a.task);
    fail(a, Errors.of("timeout", "resubmit", "deadline", 0,
        "The task did not finish within its deadline of " + seconds + " s.", null));
  }

  void fail(Active a, Throwable cause) {
    fail(a, Errors.of(cause, log.messages().skillOf(a.task), a.task.locale()));
  }

  void fail(Active a, JsonObject error) {
    record(a, TaskState.FAILED, a.task.withError(error), List.of(new Draft(TaskEvent.ERROR, error)));
  }

  /** Applies a change: stored with its events in one transaction, then published. */
  Future<Void> record(Active a, TaskState next, Task edited, List<Draft> drafts) {
    return record(a, next, edited, drafts, false);
  }

  /** As {@link #record(Active, TaskState, Task, List)}; {@code confirming}: see {@link TaskLog#change(Task, TaskState, Task, List, long, boolean)}. */
  Future<Void> record(Active a, TaskState next, Task edited, List<Draft> drafts, boolean confirming) {
    TaskState before = a.task.state();
    TaskLog.Change change = log.change(a.task, next, edited, drafts, clock.millis(), confirming);
    a.task = change.task();
    if (next != before) {
      metrics.taskEntered(a.task.provider(), a.task.skill(), next.wire());
    }
    if (next.terminal()) {
      metrics.taskFinished(a.task.provider(), a.task.skill(), next.wire(),
          Duration.ofMillis(Math.max(0, clock.millis() - a.task.createdAt())));
      active.remove(a.task.id(), a);
      vertx.cancelTimer(a.deadlineTimer);
      lanes.leave(a);
    }
    // another node watches the task now (this one's lease lapsed): nothing more is done with it here
    return change.stored().onFailure(e -> {
      if (e instanceof dev.skillhost.host.store.TaskStore.NotOwned) {
        LOG.info("task {}: {}; this node lets it go", a.task.id(), e.getMessage());
        forget(a);
      }
    });
  }

  /** Stops looking after every task without changing them: this node's lease lapsed, they are others' now. */
  void forgetAll() {
    new ArrayList<>(active.values()).forEach(this::forget);
  }

  /** Stops looking after a task without changing it (someone else holds it now). */
  void forget(Active a) {
    if (active.remove(a.task.id(), a)) {
      vertx.cancelTimer(a.deadlineTimer);
      lanes.leave(a);
    }
  }

  /** Starts following a task just sent: its provider's stream, else polls from {@code firstPollMs}. */
  void follow(Active a, long firstPollMs) {
    watch.follow(a, firstPollMs);
  }

  /** Takes the task's queue lane or parks it behind the task holding it; answers whether it may go on. */
  boolean enterLane(Active a, LiveProvider live) {
    return lanes.enter(a, live);
  }

  /** The task no longer needs its queue lane (it moved to another skill before it was sent). */
  void leaveLane(Active a) {
    lanes.leave(a);
    a.lane = null;
  }

  boolean isActive(String taskId) {
    return active.containsKey(taskId);
  }

  boolean current(Active a) {
    return !closed && active.get(a.task.id()) == a && !a.task.state().terminal();
  }

  void cancelUpstream(Task task) {
    if (task.handle() == null) {
      return;
    }
    plugins.provider(task.provider()).ifPresent(live -> call(live, RateBucket.Call.CANCEL, "cancel",
            p -> p.cancel(task.handle(), live.context()))
        .onFailure(e -> LOG.warn("upstream cancel of {} failed: {}", task.id(), e.toString())));
  }

  SkillOperation operation(Task task) {
    Skill skill = log.messages().skillOf(task);
    return skill == null ? null : skill.operation(task.operation()).orElse(null);
  }

  /** A provider's own text as users may see it: the skill's {@code rewrite:} rules applied; null if nothing is left. */
  String providerText(Task task, String text) {
    Skill skill = log.messages().skillOf(task);
    return skill == null ? text : Rewrite.apply(skill.rewrites(), skill.locales(), task.locale(), text);
  }

  static Draft message(String text) {
    return new Draft(TaskEvent.MESSAGE, new JsonObject().put("text", text));
  }

  /** The provider's estimate for this very job first, then the skill's table (midpoint, by model). */
  Duration eta(LiveProvider live, Task task) {
    if (task.handle() != null && task.handle().eta() != null) {
      return task.handle().eta();
    }
    SkillOperation op = operation(task);
    if (op != null && op.eta() != null) {
      int[] range = op.eta().forModel(task.params().getString("model"));
      return Duration.ofSeconds((range[0] + range[1]) / 2);
    }
    return live.info().operation(task.operation()).map(o -> o.eta()).filter(e -> e != null).orElse(DEFAULT_ETA);
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
