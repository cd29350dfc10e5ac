package dev.skillhost.host.tasks;

import dev.skillhost.api.OperationInfo;
import dev.skillhost.host.metrics.HostMetrics;
import dev.skillhost.host.plugins.LiveProvider;
import dev.skillhost.host.plugins.PluginHost;
import dev.skillhost.host.skills.Skill;
import dev.skillhost.host.skills.SkillOperation;
import dev.skillhost.host.store.FileStore;
import dev.skillhost.host.store.Task;
import dev.skillhost.host.store.TaskEvent;
import dev.skillhost.host.store.TaskPage;
import dev.skillhost.host.store.TaskState;
import dev.skillhost.host.store.TaskStore;
import dev.skillhost.host.tasks.TaskRejected.Reason;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The task engine's facade. Tasks are created durably here and then run by a {@link TaskRunner}
 * on this verticle's context; callers on any thread get futures. On start it picks up every
 * unfinished task in the store: queued ones are submitted, running ones polled from their stored
 * handles, ones caught mid-submit reconciled — never re-sent.
 */
public final class TaskEngineVerticle extends VerticleBase {

  /**
   * @param minPoll         shortest time between two looks at a task
   * @param maxPoll         longest time between two looks at a task
   * @param maxPollFailures consecutive transient faults before a task fails
   */
  public record Options(Duration minPoll, Duration maxPoll, int maxPollFailures) {
    public static final Options DEFAULTS = new Options(Duration.ofSeconds(2), Duration.ofSeconds(60), 30);
  }

  /** A submitted task, and whether this request created it (false: an idempotent replay). */
  public record Submission(Task task, boolean created) {}

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] ID_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();

  private final TaskStore store;
  private final FileStore files;
  private final PluginHost plugins;
  private final SkillLookup skills;
  private final TextRouter router;
  private final Options options;
  private final Clock clock;
  private TaskRunner runner;
  private TaskLog log;
  private String publicBase = "";
  private dev.skillhost.host.net.SafeFetcher fetcher;
  private java.util.function.Function<String, String> fileLink = id -> "/v1/files/" + id;
  private HostMetrics metrics = HostMetrics.create();
  private java.util.Map<String, List<String>> fallbacks = java.util.Map.of();
  private Duration lease = Duration.ofSeconds(5);
  private String nodeLabel;
  private dev.skillhost.host.cluster.Nodes nodes;
  private volatile Forwarder forwarder = Forwarder.NONE;
  private RateLedger rateLedger;

  public TaskEngineVerticle(TaskStore store, FileStore files, PluginHost plugins, SkillLookup skills, TextRouter router,
      Options options, Clock clock) {
    this.store = store;
    this.files = files;
    this.plugins = plugins;
    this.skills = skills;
    this.router = router;
    this.options = options;
    this.clock = clock;
  }

  /** The host's base URL, for links in messages; set once the API knows its port. */
  public void publicBase(String base) {
    this.publicBase = base;
  }

  /** The fetcher that copies outputs at provider URLs into the store; set before deploying. */
  public void fetcher(dev.skillhost.host.net.SafeFetcher next) {
    this.fetcher = next;
  }

  /** Where tasks and upstream calls are counted; set before deploying. */
  public void metrics(HostMetrics next) {
    this.metrics = next;
  }

  /**
   * The host config's fallback lists by skill id ({@code skills.fallback}), each replacing that
   * manifest's own {@code fallback:}; set before deploying.
   */
  public void fallbacks(java.util.Map<String, List<String>> next) {
    this.fallbacks = java.util.Map.copyOf(next);
  }

  /**
   * How long this node's lease on its tasks lasts unrenewed, and a label for it (null: none);
   * matters only when several hosts share a PostgreSQL store. Set before deploying.
   */
  public void lease(Duration next, String label) {
    this.lease = next;
    this.nodeLabel = label;
  }

  /** This host's node id in the store. */
  public String node() {
    return store.node();
  }

  /**
   * Holds the providers' rate limits across every node on the same PostgreSQL, through
   * {@code ledger}, instead of in this host's memory; without one (SQLite), each host keeps its
   * own. Set before deploying; on a running engine it takes effect once the future completes.
   * The caller keeps and closes the ledger, after this verticle stopped.
   */
  public Future<Void> rateLedger(RateLedger ledger) {
    this.rateLedger = ledger;
    return runner == null ? Future.succeededFuture() : onEngine(() -> {
      runner.tokens.use(new SharedRateWindows(vertx, ledger));
      return Future.succeededFuture();
    });
  }

  /** How result messages link to a stored file (a signed link a browser can open); set before deploying. */
  public void fileLinks(java.util.function.Function<String, String> next) {
    this.fileLink = next;
  }

  @Override
  public Future<?> start() {
    TaskEvents.registerCodec(vertx);
    log = new TaskLog(vertx, store, new TaskMessages(skills, () -> publicBase, fileLink));
    runner = new TaskRunner(vertx, log, files, plugins, clock,
        new Pacing(options.minPoll(), options.maxPoll()), options.maxPollFailures());
    runner.keeper = new OutputKeeper(vertx, files, fetcher);
    runner.metrics = metrics;
    runner.fallback = new Fallback(runner, skills, fallbacks);
    if (rateLedger != null) {
      runner.tokens.use(new SharedRateWindows(vertx, rateLedger));
    }
    // what a start picks up: on SQLite every unfinished task, on PostgreSQL the tasks of dead nodes
    nodes = new dev.skillhost.host.cluster.Nodes(vertx, store, lease, nodeLabel, clock)
        .onAdopt(tasks -> tasks.forEach(t -> {
          if (!runner.isActive(t.id())) {
            runner.adopt(t);
          }
        }))
        .onLapsed(() -> runner.forgetAll())
        .metrics(metrics);
    return nodes.start();
  }

  @Override
  public Future<?> stop() {
    return onEngine(() -> {
      runner.close();
      return nodes.stop();
    });
  }

  /**
   * Creates a task (or finds the one already made under this idempotency key) and starts it.
   * A request in words is routed first; the skill's defaults and limits apply to the parameters.
   */
  public Future<Submission> submit(String owner, TaskRequest request, String idempotencyKey) {
    return submit(owner, request, idempotencyKey, null);
  }

  /**
   * As {@link #submit(String, TaskRequest, String)}, with where to deliver the task's events and
   * result ({@code {webhook, channel}}, already checked), stored in the task's own transaction.
   */
  public Future<Submission> submit(String owner, TaskRequest request, String idempotencyKey, JsonObject deliver) {
    Future<TaskRequest> resolved = request.operation() != null ? Future.succeededFuture(request)
        : router.route(request.text(), request.skill(), request.inputs(), request.locale()).map(r -> new TaskRequest(
            r.provider(), r.operation(), r.skill(), request.text(), r.params().copy().mergeIn(request.params()),
            request.inputs(), request.locale(), request.deadlineS()));
    return resolved.compose(r -> onEngine(() -> {
      Skill skill = skill(r);
      String providerId = r.provider() != null ? r.provider() : skill.provider();
      LiveProvider live = plugins.provider(providerId).orElseThrow(() -> new TaskRejected(
          Reason.UNKNOWN_PROVIDER, "No provider '" + providerId + "' is loaded; GET /v1/providers lists them."));
      OperationInfo op = live.info().operation(r.operation()).orElseThrow(() -> new TaskRejected(
          Reason.UNKNOWN_OPERATION, "Provider '" + live.id() + "' has no operation '" + r.operation()
              + "'; it offers " + String.join(", ", live.info().operations().stream().map(OperationInfo::name).toList())
              + "."));
      SkillOperation skillOp = skill == null ? null : skill.operation(op.name()).orElse(null);
      JsonObject params = Params.resolve(skillOp, null, r.params());
      if (r.text() != null && !params.containsKey("prompt")) {
        params.put("prompt", r.text());
      }
      return inputs(owner, r).compose(inputs -> create(owner, r, idempotencyKey, op, skill, params, inputs, deliver));
    }));
  }

  /** The skill that governs a request: the one named, else the one bound to its provider, else none. */
  private Skill skill(TaskRequest r) {
    if (r.skill() != null) {
      Skill s = skills.byId(r.skill()).orElseThrow(() -> new TaskRejected(Reason.UNKNOWN_SKILL,
          "No skill '" + r.skill() + "' is loaded; GET /v1/skills lists them."));
      if (r.provider() != null && !r.provider().equals(s.provider())) {
        throw new TaskRejected(Reason.INVALID_REQUEST, "Skill '" + s.id() + "' runs on provider '" + s.provider()
            + "', not '" + r.provider() + "'; name one of them.");
      }
      return s;
    }
    return skills.forProvider(r.provider()).orElse(null);
  }

  private Future<Submission> create(String owner, TaskRequest request, String key, OperationInfo op, Skill skill,
      JsonObject params, JsonArray inputs, JsonObject deliver) {
    long now = clock.millis();
    Long deadline = request.deadlineS() == null ? null : now + request.deadlineS() * 1000L;
    String provider = skill != null ? skill.provider() : request.provider();
    Task task = new Task(newId(now), owner, provider, op.name(), skill == null ? null : skill.id(), null,
        TaskState.QUEUED, 1, params, inputs, request.locale() == null ? TaskRequest.DEFAULT_LOCALE : request.locale(),
        null, new JsonArray(), null, -1, deadline, now, now, key, key == null ? null : request.hash());
    TaskEvent first = new TaskEvent(task.id(), 1, TaskEvent.STATE, TaskState.QUEUED, now, new JsonObject());
    return store.create(task, first, deliver).map(created -> {
      if (!created.created()) {
        if (!created.task().requestHash().equals(task.requestHash())) {
          throw new TaskRejected(Reason.IDEMPOTENCY_MISMATCH, "The Idempotency-Key '" + key
              + "' was already used for a different request (task " + created.task().id()
              + "); use a new key for a new request.");
        }
        return new Submission(created.task(), false);
      }
      log.publish(first, owner);
      metrics.taskEntered(task.provider(), task.skill(), TaskState.QUEUED.wire());
      runner.adopt(task);
      return new Submission(task, true);
    });
  }

  private Future<JsonArray> inputs(String owner, TaskRequest request) {
    List<Future<JsonObject>> found = new ArrayList<>();
    for (TaskRequest.InputRef ref : request.inputs()) {
      found.add(files.find(ref.file(), owner).map(info -> info.map(f -> new JsonObject()
              .put("role", ref.role()).put("file", f.id()).put("mime", f.mime()).put("size", f.size()))
          .orElseThrow(() -> new TaskRejected(Reason.UNKNOWN_INPUT, "There is no upload '" + ref.file()
              + "' for this key; POST the file to /v1/uploads first and use the id it returns."))));
    }
    return Future.all(found).map(all -> new JsonArray(all.<JsonObject>list()));
  }

  /** The caller's task; another owner's task is reported as not found. */
  public Future<Task> get(String owner, String id) {
    return store.get(id).map(found -> found.filter(t -> t.owner().equals(owner)).orElseThrow(() ->
        new TaskRejected(Reason.NOT_FOUND, "There is no task '" + id + "' for this key.")));
  }

  public Future<TaskPage> list(String owner, Set<TaskState> states, String provider, int limit, String cursor) {
    return store.list(owner, states, provider, limit, cursor);
  }

  /** The caller's task's events with {@code seq > after}. */
  public Future<List<TaskEvent>> events(String owner, String id, long after, int limit) {
    return get(owner, id).compose(t -> store.events(id, after, limit));
  }

  /** Cancels the caller's task; refused once it has finished. */
  public Future<Task> cancel(String owner, String id) {
    return command(Forwarder.Command.CANCEL, owner, id, true);
  }

  /** The user agrees to the spend of a task awaiting confirmation. */
  public Future<Task> confirm(String owner, String id) {
    return command(Forwarder.Command.CONFIRM, owner, id, true);
  }

  /**
   * A command another node forwarded here because this node watches the task: answered here,
   * never forwarded again (a task that moved on meanwhile is refused as this node sees it).
   */
  public Future<Task> commandHere(Forwarder.Command command, String owner, String id) {
    return command(command, owner, id, false);
  }

  /** Where commands for tasks other nodes run go (the cluster's node calls); set before deploying. */
  public void forwarder(Forwarder next) {
    this.forwarder = next;
  }

  /**
   * An unfinished task this engine does not hold is another node's: the command goes there, and
   * that node's store-guarded answer is the answer. Otherwise (or when no other node watches it)
   * it is answered here.
   */
  private Future<Task> command(Forwarder.Command command, String owner, String id, boolean mayForward) {
    return get(owner, id).compose(stored -> onEngine(() -> mayForward && runner.active(id).isEmpty()
            && !stored.state().terminal() ? forwarder.forward(command, owner, id)
            : Future.succeededFuture(java.util.Optional.<Task>empty()))
        .compose(forwarded -> forwarded.isPresent() ? Future.succeededFuture(forwarded.get())
            : onEngine(() -> command == Forwarder.Command.CANCEL ? cancelHere(stored, id) : confirmHere(stored, id))));
  }

  private Future<Task> cancelHere(Task stored, String id) {
    Active a = runner.active(id).orElse(null);
    unwatched(a, stored);
    if (a == null || a.task.state().terminal()) {
      throw new TaskRejected(Reason.WRONG_STATE, "Task '" + id + "' has already "
          + (a == null ? stored.state() : a.task.state()).wire() + " and cannot be cancelled.");
    }
    return runner.cancel(a);
  }

  private Future<Task> confirmHere(Task stored, String id) {
    Active a = runner.active(id).orElse(null);
    unwatched(a, stored);
    Task task = a == null ? stored : a.task;
    if (task.confirmation() != null && task.confirmation().confirmed()) {
      throw new TaskRejected(Reason.WRONG_STATE, "Task '" + id + "' was confirmed already (at "
          + java.time.Instant.ofEpochMilli(task.confirmation().confirmedAt()) + ") and is " + task.state().wire()
          + "; it is never confirmed or spent twice.");
    }
    if (a == null || task.state() != TaskState.AWAITING_CONFIRMATION) {
      throw new TaskRejected(Reason.WRONG_STATE, "Task '" + id + "' is " + task.state().wire()
          + ", not awaiting confirmation.");
    }
    return runner.confirm(a);
  }

  /** An unfinished task no node holds: its node stopped and another takes it over within seconds. */
  private static void unwatched(Active a, Task stored) {
    if (a == null && !stored.state().terminal()) {
      throw new TaskRejected(Reason.NODE_UNAVAILABLE, "Task '" + stored.id() + "' is " + stored.state().wire()
          + " but no live node watches it at this moment (its node stopped; another takes it over within"
          + " seconds); try again shortly.");
    }
  }

  /** Unfinished tasks this engine is looking after (for metrics and benchmarks). */
  public Future<Integer> waiting() {
    return onEngine(() -> Future.succeededFuture(runner.waiting()));
  }

  /** Every live provider's rate buckets and how many calls each one's current window holds. */
  public Future<List<HostMetrics.BucketFill>> bucketFill() {
    return onEngine(() -> Future.succeededFuture(runner.tokens.fill()));
  }

  /** Brings the gauges of the engine's own state (bucket fill, lane queues) up to date; before a scrape. */
  public Future<Void> updateGauges() {
    return onEngine(() -> {
      metrics.rateBuckets(runner.tokens.fill());
      metrics.waitingForLane(runner.laneWaiters());
      return Future.succeededFuture();
    });
  }

  /**
   * Unfinished tasks by state, provider and skill, for the metrics gauge. Counted from the tasks
   * this engine looks after (which are the store's unfinished ones), not by a query: a scan of the
   * open tasks' stored JSON every few seconds cost a tenth of the host's CPU with 70,000 waiting.
   */
  public Future<List<HostMetrics.TaskCount>> openCounts() {
    return onEngine(() -> {
      Map<List<String>, Long> counts = new HashMap<>();
      for (Active a : runner.all()) {
        counts.merge(Arrays.asList(a.task.state().wire(), a.task.provider(), a.task.skill()), 1L, Long::sum);
      }
      List<HostMetrics.TaskCount> out = new ArrayList<>(counts.size());
      counts.forEach((k, n) -> out.add(new HostMetrics.TaskCount(k.get(0), k.get(1), k.get(2), n)));
      return Future.succeededFuture(out);
    });
  }

  /** Runs {@code work} on the engine's context; the answer comes back on the caller's context. */
  private <T> Future<T> onEngine(Supplier<Future<T>> work) {
    Context caller = vertx.getOrCreateContext();
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> {
      Future<T> result;
      try {
        result = work.get();
      } catch (RuntimeException e) {
        result = Future.failedFuture(e);
      }
      result.onComplete(ar -> caller.runOnContext(x -> promise.handle(ar)));
    });
    return promise.future();
  }

  /**
   * {@code t_} and 20 base-32 characters: 9 of the creation time in milliseconds, then 11 random
   * (55 bits, one draw). Time first so that new ids sort after old ones: the store's id index and
   * its events (keyed by task id) then grow at their end, and a group commit writes a few shared
   * pages instead of one scattered page per task and event (random ids made that most of the
   * SQLite writer's work). Ids stay opaque to clients and unguessable enough for a lookup that
   * also checks the owner.
   */
  static String newId(long nowMs) {
    char[] id = new char[22];
    id[0] = 't';
    id[1] = '_';
    for (int i = 10; i >= 2; i--) {
      id[i] = ID_ALPHABET[(int) (nowMs & 31)];
      nowMs >>>= 5;
    }
    long random = RANDOM.nextLong();
    for (int i = 11; i < id.length; i++) {
      id[i] = ID_ALPHABET[(int) (random & 31)];
      random >>>= 5;
    }
    return new String(id);
  }
}
