package dev.skillhost.host.cluster;

import dev.skillhost.host.store.Task;
import dev.skillhost.host.tasks.Forwarder;
import dev.skillhost.host.tasks.TaskRejected;
import dev.skillhost.host.tasks.TaskRejected.Reason;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commands for a task another node watches, as a small request and reply over NOTIFY: each node
 * listens on its own channel ({@link #channel}); a request {@code {id, from, method, owner, task}}
 * is run there by the engine as if asked locally, and the reply {@code {id, ok}} or
 * {@code {id, problem: {reason, detail}}} goes back to the asking node's channel.
 *
 * <p>No answer within the timeout is a 503 ({@link Reason#NODE_UNAVAILABLE}), never a retry: the
 * command may still be carried out there, and a confirmation is judged by the watching node's
 * store-level guard alone, so a spend is never confirmed twice whichever way the user retries.
 */
public final class NodeCalls implements Forwarder {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  private static final Logger LOG = LoggerFactory.getLogger(NodeCalls.class);

  /** Which live node watches a task, if any: the store's {@code node(taskId)}, alive nodes only. */
  @FunctionalInterface
  public interface Watchers {
    Future<Optional<String>> of(String taskId);
  }

  /** Runs a command here that another node forwarded: the engine's {@code commandHere}. */
  @FunctionalInterface
  public interface Here {
    Future<Task> run(Command command, String owner, String taskId);
  }

  /** Reads a task as stored: the store's {@code get}. */
  @FunctionalInterface
  public interface Tasks {
    Future<Optional<Task>> get(String taskId);
  }

  private final Vertx vertx;
  private final String node;
  private final PgNotifier notifier;
  private final Watchers watchers;
  private final Tasks tasks;
  private final Here here;
  private final long timeoutMs;
  private final Map<String, Promise<Void>> pending = new ConcurrentHashMap<>();

  NodeCalls(Vertx vertx, String node, PgNotifier notifier, Watchers watchers, Tasks tasks, Here here,
      Duration timeout) {
    this.vertx = vertx;
    this.node = node;
    this.notifier = notifier;
    this.watchers = watchers;
    this.tasks = tasks;
    this.here = here;
    this.timeoutMs = timeout.toMillis();
  }

  /** The channel node {@code id} takes requests and replies on. */
  public static String channel(String id) {
    return "skillhost_node_" + id;
  }

  /** Listens on this node's channel through {@code listener}. */
  NodeCalls attach(PgListener listener) {
    listener.listen(channel(node), this::notified);
    return this;
  }

  @Override
  public Future<Optional<Task>> forward(Command command, String owner, String taskId) {
    return watchers.of(taskId).compose(watcher -> {
      if (watcher.isEmpty() || watcher.get().equals(node)) {
        return Future.succeededFuture(Optional.empty());
      }
      return call(watcher.get(), command, owner, taskId)
          .compose(v -> tasks.get(taskId))
          .map(t -> Optional.of(t.orElseThrow(() -> new TaskRejected(Reason.NOT_FOUND,
              "There is no task '" + taskId + "' for this key."))));
    });
  }

  private Future<Void> call(String target, Command command, String owner, String taskId) {
    String id = UUID.randomUUID().toString();
    Promise<Void> promise = Promise.promise();
    pending.put(id, promise);
    long timer = vertx.setTimer(timeoutMs, t -> {
      if (pending.remove(id) != null) {
        promise.tryFail(new TaskRejected(Reason.NODE_UNAVAILABLE, "Node " + target + ", which watches task '"
            + taskId + "', did not answer the " + command.wire() + " within " + timeoutMs / 1000.0 + " s. It may"
            + " still take effect: GET the task to see, then try again if needed (a spend is never confirmed twice)."));
      }
    });
    JsonObject request = new JsonObject().put("id", id).put("from", node).put("method", command.wire())
        .put("owner", owner).put("task", taskId);
    notifier.send(channel(target), request.encode()).onFailure(e -> {
      if (pending.remove(id) != null) {
        vertx.cancelTimer(timer);
        promise.tryFail(new TaskRejected(Reason.NODE_UNAVAILABLE, "The " + command.wire() + " of task '" + taskId
            + "' could not be sent to node " + target + " that watches it; try again shortly."));
      }
    });
    return promise.future().onComplete(ar -> vertx.cancelTimer(timer));
  }

  void notified(String payload) {
    JsonObject message = new JsonObject(payload);
    if (message.containsKey("method")) {
      serve(message);
    } else {
      answered(message);
    }
  }

  private void serve(JsonObject request) {
    String id = request.getString("id");
    String from = request.getString("from");
    Future<Task> done;
    try {
      done = here.run(Command.ofWire(request.getString("method")), request.getString("owner"),
          request.getString("task"));
    } catch (RuntimeException e) {
      done = Future.failedFuture(e);
    }
    done.map(t -> new JsonObject().put("id", id).put("ok", true))
        .otherwise(e -> new JsonObject().put("id", id).put("problem", problem(e)))
        .compose(reply -> notifier.send(channel(from), reply.encode()))
        .onFailure(e -> LOG.warn("node calls: cannot answer node {}: {}", from, e.getMessage()));
  }

  private static JsonObject problem(Throwable e) {
    if (e instanceof TaskRejected r) {
      return new JsonObject().put("reason", r.reason().name()).put("detail", r.getMessage());
    }
    LOG.error("node calls: a forwarded command failed", e);
    return new JsonObject().put("reason", "INTERNAL").put("detail", "The node that watches the task could not"
        + " carry out the command; GET the task to see its state.");
  }

  private void answered(JsonObject reply) {
    Promise<Void> promise = pending.remove(reply.getString("id", ""));
    if (promise == null) {
      return; // timed out already: the caller was told so
    }
    JsonObject problem = reply.getJsonObject("problem");
    if (problem == null) {
      promise.tryComplete();
      return;
    }
    Reason reason;
    try {
      reason = Reason.valueOf(problem.getString("reason"));
    } catch (RuntimeException unknown) {
      promise.tryFail(new IllegalStateException(problem.getString("detail")));
      return;
    }
    promise.tryFail(new TaskRejected(reason, problem.getString("detail")));
  }
}
