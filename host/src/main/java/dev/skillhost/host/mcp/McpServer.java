package dev.skillhost.host.mcp;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The MCP methods: one request in, one answer out (on whatever stream the exchange chose). */
final class McpServer {

  private static final Logger LOG = LoggerFactory.getLogger(McpServer.class);

  private final String version;
  private final ToolCatalog catalog;
  private final Tools tools;
  private final Resources resources;
  private final TaskMethods tasks;

  McpServer(String version, ToolCatalog catalog, Tools tools, Resources resources, TaskMethods tasks) {
    this.version = version;
    this.catalog = catalog;
    this.tools = tools;
    this.resources = resources;
    this.tasks = tasks;
  }

  JsonObject initialized(McpSession s) {
    JsonObject caps = new JsonObject()
        .put("tools", new JsonObject().put("listChanged", true))
        .put("resources", new JsonObject().put("subscribe", true).put("listChanged", true))
        .put("logging", new JsonObject());
    if (s.modern()) {
      caps.put("tasks", new JsonObject().put("list", new JsonObject()).put("cancel", new JsonObject())
          .put("requests", new JsonObject().put("tools", new JsonObject().put("call", new JsonObject()))));
    }
    return new JsonObject()
        .put("protocolVersion", s.protocol)
        .put("capabilities", caps)
        .put("serverInfo", new JsonObject().put("name", "skillhost").put("title", "Skillhost").put("version", version))
        .put("instructions", "Skillhost makes images and videos. Call generate with the user's words (and files from "
            + "upload); it answers at once with a task id and a message to show the user. Then task_wait, or call "
            + "generate as a task. Show each message to the user as it is: it is in their language. Never call "
            + "confirm unless the user agreed to the cost shown.");
  }

  /** Answers one request; a tools/call retried with the same id gets the first call's answer. */
  void request(Exchange ex) {
    Future<JsonObject> answer;
    if ("tools/call".equals(ex.method)) {
      String key = (ex.id instanceof String ? "s:" : "n:") + ex.id;
      answer = ex.session.answers.get(key);
      if (answer == null) {
        answer = run(ex);
        ex.session.answers.put(key, answer);
      }
    } else {
      answer = run(ex);
    }
    answer.onComplete(ar -> ex.answer(ar.succeeded() ? Rpc.result(ex.id, ar.result()) : error(ex, ar.cause())));
  }

  private Future<JsonObject> run(Exchange ex) {
    try {
      return switch (ex.method) {
        case "ping", "logging/setLevel" -> Future.succeededFuture(new JsonObject());
        case "tools/list" -> Future.succeededFuture(new JsonObject().put("tools", catalog.definitions().copy()));
        case "tools/call" -> tools.call(ex);
        case "resources/list" -> resources.list(ex.session, ex.params.getString("cursor"));
        case "resources/templates/list" -> Future.succeededFuture(resources.templates());
        case "resources/read" -> resources.read(ex.session.owner, ex.params);
        case "resources/subscribe" -> resources.subscribe(ex.session, ex.params, true);
        case "resources/unsubscribe" -> resources.subscribe(ex.session, ex.params, false);
        case "tasks/get" -> tasks.get(ex);
        case "tasks/list" -> tasks.list(ex);
        case "tasks/cancel" -> tasks.cancel(ex);
        case "tasks/result" -> tasks.result(ex);
        case "initialize" -> throw new Rpc.Failure(Rpc.INVALID_REQUEST, "This session is initialized already.");
        default -> throw new Rpc.Failure(Rpc.METHOD_NOT_FOUND, "No method '" + ex.method + "' here.");
      };
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** A client notification: cancelling a request in flight stops waiting on its behalf (the task goes on). */
  void notification(McpSession s, String method, JsonObject params) {
    if ("notifications/cancelled".equals(method) && params != null) {
      Object id = params.getValue("requestId");
      Exchange ex = s.inFlight.get((id instanceof String ? "s:" : "n:") + id);
      if (ex != null) {
        ex.cancel();
      }
    }
  }

  private static JsonObject error(Exchange ex, Throwable e) {
    if (e instanceof Rpc.Failure f) {
      return Rpc.error(ex.id, f.code, f.getMessage(), f.data);
    }
    if (e instanceof IllegalArgumentException) {
      return Rpc.error(ex.id, Rpc.INVALID_PARAMS, e.getMessage(), null);
    }
    LOG.error("MCP {} failed", ex.method, e);
    return Rpc.error(ex.id, Rpc.INTERNAL_ERROR, "The host failed to answer " + ex.method + "; its log says why.", null);
  }
}
