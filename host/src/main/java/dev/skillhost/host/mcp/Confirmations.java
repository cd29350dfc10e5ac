package dev.skillhost.host.mcp;

import dev.skillhost.host.store.Task;
import dev.skillhost.host.tasks.TaskEngineVerticle;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Spend confirmation through the client: where it takes elicitation, the user is asked (the
 * estimate in the skill's words; accept goes on, decline cancels, dismissing leaves the task
 * waiting for {@code confirm}). Where it does not, nothing is asked and the task waits.
 */
final class Confirmations {

  private final TaskEngineVerticle engine;
  private final TaskViews views;

  Confirmations(TaskEngineVerticle engine, TaskViews views) {
    this.engine = engine;
    this.views = views;
  }

  /** Asks about {@code task}, awaiting confirmation; answers the task after the user's choice. */
  Future<Task> ask(Exchange ex, Task task) {
    return ask(ex, task, false);
  }

  /** @param related mark the request as part of the MCP task (when answering {@code tasks/result}) */
  Future<Task> ask(Exchange ex, Task task, boolean related) {
    if (!ex.session.elicitsForm() || !ex.canStream()) {
      return Future.succeededFuture(task);
    }
    String owner = ex.session.owner;
    return views.toolResult(task, null).compose(view -> {
      JsonObject structured = view.getJsonObject("structuredContent");
      JsonObject params = new JsonObject()
          .put("message", structured.getString("message"))
          .put("requestedSchema", new JsonObject().put("type", "object").put("properties", new JsonObject()));
      if (ex.session.modern()) {
        params.put("mode", "form");
      }
      JsonObject meta = new JsonObject().put("skillhost/task", task.id());
      if (structured.getJsonObject("estimate") != null) {
        meta.put("skillhost/estimate", structured.getJsonObject("estimate"));
      }
      if (related) {
        meta.put(TaskViews.RELATED_TASK, new JsonObject().put("taskId", task.id()));
      }
      params.put("_meta", meta);
      return ex.ask("elicitation/create", params);
    }).compose(answer -> switch (String.valueOf(answer.getValue("action"))) {
      case "accept" -> engine.confirm(owner, task.id());
      case "decline" -> engine.cancel(owner, task.id());
      default -> engine.get(owner, task.id());
    }, e -> engine.get(owner, task.id()));
  }
}
