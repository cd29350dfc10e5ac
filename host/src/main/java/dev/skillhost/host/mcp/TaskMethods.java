package dev.skillhost.host.mcp;

import dev.skillhost.host.store.Task;
import dev.skillhost.host.store.TaskState;
import dev.skillhost.host.tasks.TaskEngineVerticle;
import dev.skillhost.host.tasks.TaskRejected;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.EnumSet;

/**
 * The 2025-11-25 tasks methods over Skillhost's durable tasks: every task of the caller's key is
 * an MCP task with the same id, so a client that reconnects after a host restart, in a new
 * session, still reads its result.
 */
final class TaskMethods {

  private static final int PAGE = 50;

  private final Vertx vertx;
  private final TaskEngineVerticle engine;
  private final TaskViews views;
  private final Confirmations confirmations;
  private final McpEvents events;

  private final Tools tools;

  TaskMethods(Vertx vertx, TaskEngineVerticle engine, TaskViews views, Confirmations confirmations, McpEvents events,
      Tools tools) {
    this.tools = tools;
    this.vertx = vertx;
    this.engine = engine;
    this.views = views;
    this.confirmations = confirmations;
    this.events = events;
  }

  Future<JsonObject> get(Exchange ex) {
    return task(ex).map(views::mcpTask);
  }

  Future<JsonObject> list(Exchange ex) {
    return engine.list(ex.session.owner, EnumSet.noneOf(TaskState.class), null, PAGE, ex.params.getString("cursor"))
        .recover(e -> Future.failedFuture(e instanceof IllegalArgumentException
            ? Rpc.invalidParams("That cursor is not one this server gave.") : e))
        .map(page -> {
          JsonObject json = new JsonObject().put("tasks", new JsonArray(page.tasks().stream().map(views::mcpTask).toList()));
          return page.next() == null ? json : json.put("nextCursor", page.next());
        });
  }

  Future<JsonObject> cancel(Exchange ex) {
    return task(ex).compose(t -> {
      if (t.state().terminal()) {
        throw Rpc.invalidParams("Task " + t.id() + " has already " + t.state().wire() + "; only an unfinished task can be cancelled.");
      }
      return tools.cancelled(ex, t.id()); // the answer must show it cancelled already
    }).map(views::mcpTask);
  }

  /**
   * Blocks until the task ends (asking for a pending spend confirmation on the way, where the
   * client can answer) and answers what the tool call would have: the finished task's result.
   */
  Future<JsonObject> result(Exchange ex) {
    String owner = ex.session.owner;
    return task(ex).compose(t -> follow(ex, owner, t)).compose(t -> views.toolResult(t, null)).map(r ->
        r.put("_meta", new JsonObject().put(TaskViews.RELATED_TASK, new JsonObject()
            .put("taskId", r.getJsonObject("structuredContent").getString("task_id")))));
  }

  private Future<Task> follow(Exchange ex, String owner, Task task) {
    if (task.state().terminal()) {
      return Future.succeededFuture(task);
    }
    Future<Task> asked = task.state() == TaskState.AWAITING_CONFIRMATION && ex.session.elicitsForm()
        ? confirmations.ask(ex, task, true) : Future.succeededFuture(task);
    return asked.compose(t -> t.state().terminal() ? Future.succeededFuture(t)
        : TaskWaiter.await(vertx, engine, ex, owner, t.id(),
            s -> s == TaskState.AWAITING_CONFIRMATION && t.state() != TaskState.AWAITING_CONFIRMATION
                && ex.session.elicitsForm(), 0))
        .compose(t -> t.state().terminal() ? Future.succeededFuture(t) : follow(ex, owner, t));
  }

  private Future<Task> task(Exchange ex) {
    String id = ex.params.getValue("taskId") instanceof String s ? s : null;
    if (id == null) {
      throw Rpc.invalidParams(ex.method + " needs params.taskId.");
    }
    return engine.get(ex.session.owner, id)
        .recover(e -> Future.failedFuture(e instanceof TaskRejected ? Rpc.invalidParams(e.getMessage()) : e))
        .onSuccess(t -> events.track(ex.session, t.id()));
  }
}
