package dev.skillhost.host.mcp;

import dev.skillhost.host.api.AttachmentKinds;
import dev.skillhost.host.net.FetchException;
import dev.skillhost.host.net.SafeFetcher;
import dev.skillhost.host.skills.RouteAnswer;
import dev.skillhost.host.skills.RouteRequest;
import dev.skillhost.host.skills.Router;
import dev.skillhost.host.store.FileInfo;
import dev.skillhost.host.store.FileStore;
import dev.skillhost.host.store.Task;
import dev.skillhost.host.store.TaskState;
import dev.skillhost.host.tasks.TaskEngineVerticle;
import dev.skillhost.host.tasks.TaskRejected;
import dev.skillhost.host.tasks.TaskRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What each tool does. Every answer is a tool result; a mistake is an {@code isError} result in one sentence. */
final class Tools {

  static final int MAX_WAIT_S = 60;
  static final int MAX_TASK_WAIT_S = 300;
  static final int DEFAULT_TASK_WAIT_S = 60;
  /** How long a submitting call waits for the task to leave the queue (it may need a confirmation). */
  private static final long SETTLE_MS = 5_000;

  private final Vertx vertx;
  private final TaskEngineVerticle engine;
  private final Router router;
  private final FileStore files;
  private final SafeFetcher fetcher;
  private final long uploadMax;
  private final ToolCatalog catalog;
  private final TaskViews views;
  private final Confirmations confirmations;
  private final McpEvents events;
  private final SignIns signIns;

  Tools(Vertx vertx, TaskEngineVerticle engine, Router router, FileStore files, SafeFetcher fetcher, long uploadMax,
      ToolCatalog catalog, TaskViews views, McpEvents events, Confirmations confirmations, SignIns signIns) {
    this.signIns = signIns;
    this.events = events;
    this.vertx = vertx;
    this.engine = engine;
    this.router = router;
    this.files = files;
    this.fetcher = fetcher;
    this.uploadMax = uploadMax;
    this.catalog = catalog;
    this.views = views;
    this.confirmations = confirmations;
  }

  /** {@code tools/call}. Unknown tool: a JSON-RPC error; anything else wrong: an isError result. */
  Future<JsonObject> call(Exchange ex) {
    String name = ex.params.getValue("name") instanceof String s ? s : null;
    if (name == null) {
      throw Rpc.invalidParams("tools/call needs params.name, the tool to call; tools/list names them.");
    }
    ToolCatalog.Tool tool = catalog.tool(name).orElseThrow(() -> Rpc.invalidParams(
        "Unknown tool '" + name + "'; tools/list names the tools there are (they change with the skills loaded)."));
    Object rawArgs = ex.params.getValue("arguments");
    if (rawArgs != null && !(rawArgs instanceof JsonObject)) {
      throw Rpc.invalidParams("The arguments of " + name + " must be an object.");
    }
    JsonObject args = rawArgs == null ? new JsonObject() : (JsonObject) rawArgs;
    // a session on an older revision has no tasks: a task field there is ignored, as the spec has it
    boolean asTask = ex.session.modern() && ex.params.getValue("task") instanceof JsonObject;
    if (asTask && !tool.runsAsTask()) {
      // the tasks spec: a task-augmented call of a tool whose taskSupport is absent is -32601
      throw new Rpc.Failure(Rpc.METHOD_NOT_FOUND, "Tool '" + name + "' does not run as a task; call it without params.task.");
    }
    // checking a 16 MB upload against its schema re-encodes and parses it: worker work
    Future<String> problem = ex.large ? vertx.executeBlocking(() -> tool.arguments().problem(name, args), false)
        : Future.succeededFuture(tool.arguments().problem(name, args));
    return problem.compose(p -> p != null ? Future.succeededFuture(TaskViews.error(p)) : run(ex, tool, args, asTask));
  }

  private Future<JsonObject> run(Exchange ex, ToolCatalog.Tool tool, JsonObject args, boolean asTask) {
    String name = tool.name();
    String owner = ex.session.owner;
    Future<JsonObject> answer = switch (name) {
      case "route" -> route(ex, args);
      case "generate" -> signedIn(ex, args).compose(v -> submit(ex, generateRequest(ex, args), args, asTask));
      case "task_status" -> engine.get(owner, args.getString("task_id")).compose(t -> views.toolResult(t, null));
      case "task_wait" -> engine.get(owner, args.getString("task_id"))
          .compose(t -> TaskWaiter.await(vertx, engine, ex, owner, t.id(), s -> false,
              args.getInteger("timeout_s", DEFAULT_TASK_WAIT_S) * 1000L))
          .compose(t -> views.toolResult(t, null));
      case "confirm" -> engine.confirm(owner, args.getString("task_id")).compose(t -> views.toolResult(t, null));
      case "cancel" -> cancelled(ex, args.getString("task_id")).compose(t -> views.toolResult(t, null));
      case "list_tasks" -> list(owner, args);
      case "upload" -> upload(owner, args);
      default -> signedIn(ex, tool.skill(), args).compose(v -> submit(ex, operationRequest(ex, tool, args), args, asTask));
    };
    return answer.recover(e -> e instanceof TaskRejected r ? Future.succeededFuture(TaskViews.error(r.getMessage()))
        : e instanceof dev.skillhost.host.api.ApiException a && a.status() < 500 ? Future.succeededFuture(TaskViews.error(a.getMessage()))
        : e instanceof SignIns.NotSignedIn n ? Future.succeededFuture(TaskViews.error(n.getMessage()))
        : e instanceof FetchException f ? Future.succeededFuture(TaskViews.error("The URL was not fetched: " + f.getMessage() + "."))
        : Future.failedFuture(e));
  }

  private Future<JsonObject> route(Exchange ex, JsonObject args) {
    List<String> items = args.getJsonArray("attachments", new JsonArray()).stream().map(String::valueOf).toList();
    String locale = args.getString("locale", ex.session.locale);
    return AttachmentKinds.count(files, items, ex.session.owner)
        .compose(counts -> router.route(new RouteRequest(args.getString("text"), counts, List.of(locale))))
        .map(answer -> {
          JsonObject json = answer.toJson();
          String said = RouteText.of(answer, json, locale);
          return new JsonObject().put("content", new JsonArray().add(TaskViews.text(said))).put("structuredContent", json)
              .put("isError", false);
        });
  }

  /**
   * Before a request in words is submitted: if it routes to a skill that only lacks a sign-in,
   * the user signs in first (through the client where it can), rather than the request failing.
   */
  private Future<Void> signedIn(Exchange ex, JsonObject args) {
    String locale = args.getString("locale", ex.session.locale);
    if (args.getString("skill") != null) {
      return catalog.skill(args.getString("skill")).map(skill -> signedIn(ex, skill, args)).orElse(Future.succeededFuture());
    }
    return inputs(ex.session.owner, args.getJsonArray("attachments", new JsonArray())).compose(inputs -> {
      java.util.Map<String, Integer> kinds = new java.util.HashMap<>();
      inputs.forEach(i -> kinds.merge(((JsonObject) i).getString("role"), 1, Integer::sum));
      return router.route(new RouteRequest(args.getString("text"), kinds, List.of(locale)));
    }).compose(answer -> answer instanceof RouteAnswer.Routed r && SignIns.needsSignIn(r.readiness())
        ? signIns.signIn(ex, r.skill().provider(), locale) : Future.succeededFuture());
  }

  /** The same for a named skill (an operation tool, or generate with {@code skill}): signed in first if only that is missing. */
  private Future<Void> signedIn(Exchange ex, dev.skillhost.host.skills.Skill skill, JsonObject args) {
    if (!skill.requires().login()) {
      return Future.succeededFuture();
    }
    return router.readiness(skill).compose(r -> SignIns.needsSignIn(r)
        ? signIns.signIn(ex, skill.provider(), args.getString("locale", ex.session.locale)) : Future.succeededFuture());
  }

  private Future<TaskRequest> generateRequest(Exchange ex, JsonObject args) {
    return inputs(ex.session.owner, args.getJsonArray("attachments", new JsonArray())).map(inputs -> {
      JsonObject body = new JsonObject().put("text", args.getString("text"))
          .put("params", args.getJsonObject("params", new JsonObject()))
          .put("inputs", inputs)
          .put("locale", args.getString("locale", ex.session.locale));
      copy(args, body, "skill", "deadline_s");
      return TaskRequest.parse(body);
    });
  }

  private Future<TaskRequest> operationRequest(Exchange ex, ToolCatalog.Tool tool, JsonObject args) {
    JsonObject params = args.getJsonObject("params", new JsonObject()).copy();
    JsonArray inputs = new JsonArray();
    Set<String> own = Set.of("prompt", "params", "locale", "wait_s", "deadline_s", "idempotency_key");
    for (String key : args.fieldNames()) {
      if (own.contains(key)) {
        continue;
      }
      if (tool.skill().operation(tool.operation()).map(op -> op.inputs().containsKey(key)).orElse(false)) {
        Object v = args.getValue(key);
        for (Object file : v instanceof JsonArray list ? list : new JsonArray().add(v)) {
          inputs.add(new JsonObject().put("role", key).put("file", String.valueOf(file)));
        }
      } else {
        params.put(key, args.getValue(key));
      }
    }
    JsonObject body = new JsonObject().put("skill", tool.skill().id()).put("operation", tool.operation())
        .put("params", params).put("inputs", inputs).put("locale", args.getString("locale", ex.session.locale));
    copy(args, body, "deadline_s");
    if (args.getString("prompt") != null) {
      body.put("text", args.getString("prompt"));
    }
    return Future.succeededFuture(TaskRequest.parse(body));
  }

  /**
   * Starts the task, then answers: at once as an MCP task when asked to; else once the task left
   * the queue (a confirmation is asked then, by elicitation where the client can), and after
   * {@code wait_s} when that is set.
   */
  private Future<JsonObject> submit(Exchange ex, Future<TaskRequest> request, JsonObject args, boolean asTask) {
    String owner = ex.session.owner;
    int waitS = args.getInteger("wait_s", 0);
    return request
        .compose(r -> engine.submit(owner, r, args.getString("idempotency_key")))
        .map(s -> s.task())
        .compose(task -> {
          if (asTask) {
            events.track(ex.session, task.id()); // its status changes go to the client
            if (ex.progressToken() != null) {
              events.followProgress(ex.session, task.id(), ex.progressToken());
            }
            return Future.succeededFuture(new JsonObject().put("task", views.mcpTask(task)));
          }
          // until the provider took it (the skill's "submitted" message), or it waits for a confirmation
          return TaskWaiter.await(vertx, engine, null, owner, task.id(),
                  st -> st != TaskState.QUEUED && st != TaskState.SUBMITTING, SETTLE_MS)
              .compose(t -> t.state() == TaskState.AWAITING_CONFIRMATION ? confirmations.ask(ex, t) : Future.succeededFuture(t))
              .compose(t -> waitS <= 0 || t.state().terminal() || t.state() == TaskState.AWAITING_CONFIRMATION
                  ? Future.succeededFuture(t)
                  : TaskWaiter.await(vertx, engine, ex, owner, t.id(), st -> false, waitS * 1000L))
              .compose(t -> views.toolResult(t, null));
        });
  }

  private Future<JsonObject> list(String owner, JsonObject args) {
    Set<TaskState> states = EnumSet.noneOf(TaskState.class);
    args.getJsonArray("state", new JsonArray()).forEach(s -> states.add(TaskState.ofWire(String.valueOf(s))));
    return engine.list(owner, states, args.getString("provider"), args.getInteger("limit", 20), args.getString("cursor"))
        .recover(e -> Future.failedFuture(e instanceof IllegalArgumentException
            ? new TaskRejected(TaskRejected.Reason.INVALID_REQUEST, e.getMessage()) : e))
        .map(page -> {
          JsonArray tasks = new JsonArray(page.tasks().stream().map(views::summary).toList());
          String said = tasks.isEmpty() ? "No tasks." : tasks.size() + " task" + (tasks.size() == 1 ? "" : "s") + ".";
          return new JsonObject().put("content", new JsonArray().add(TaskViews.text(said)))
              .put("structuredContent", new JsonObject().put("tasks", tasks).put("next", page.next()))
              .put("isError", false);
        });
  }

  private Future<JsonObject> upload(String owner, JsonObject args) {
    Future<FileInfo> stored;
    if (args.getString("url") != null) {
      SafeFetcher.Limits limits = fetcher.limits().withMaxBytes(Math.min(uploadMax, fetcher.limits().maxBytes()))
          .withMediaOnly(true);
      stored = fetcher.fetch(args.getString("url"), Map.of(), limits).map(SafeFetcher.Fetched::file);
    } else {
      // up to 12 MB of base64: decoded on a worker
      Future<byte[]> decoded = vertx.executeBlocking(() -> Base64.getMimeDecoder().decode(args.getString("data")), false);
      return decoded.compose(bytes -> {
        if (bytes.length == 0 || bytes.length > uploadMax) {
          return Future.succeededFuture(TaskViews.error("The file is " + bytes.length + " bytes; uploads take 1 to "
              + uploadMax + " bytes."));
        }
        return granted(owner, files.put(Buffer.buffer(bytes), args.getString("mime")));
      }, e -> e instanceof IllegalArgumentException
          ? Future.succeededFuture(TaskViews.error("'data' is not base64: " + e.getMessage() + "."))
          : Future.failedFuture(e));
    }
    return granted(owner, stored);
  }

  private Future<JsonObject> granted(String owner, Future<FileInfo> stored) {
    return stored.compose(f -> {
      if (!f.mime().matches("(image|video|audio)/.*")) {
        return Future.succeededFuture(TaskViews.error("The file is " + f.mime() + "; inputs are images, videos or audio."));
      }
      return files.grant(f.id(), owner).map(v -> new JsonObject()
          .put("content", new JsonArray().add(TaskViews.text("Uploaded " + f.mime() + ", " + f.size() + " bytes: " + f.id())))
          .put("structuredContent", new JsonObject().put("file", f.id()).put("mime", f.mime()).put("size", f.size()))
          .put("isError", false));
    });
  }

  /** Attachments as task inputs: an upload id takes its role from its type. */
  private Future<JsonArray> inputs(String owner, JsonArray attachments) {
    List<Future<JsonObject>> found = new ArrayList<>();
    for (Object a : attachments) {
      if (a instanceof JsonObject o && o.getString("role") != null) {
        found.add(Future.succeededFuture(o.copy()));
        continue;
      }
      String id = a instanceof JsonObject o ? o.getString("file") : String.valueOf(a);
      found.add(files.find(id, owner).map(info -> new JsonObject()
          .put("role", info.map(f -> f.mime().replaceFirst("/.*", "")).filter(k -> Set.of("image", "video", "audio").contains(k))
              .orElseThrow(() -> new TaskRejected(TaskRejected.Reason.UNKNOWN_INPUT, "There is no upload '" + id
                  + "' (image, video or audio) for this key; store it with the upload tool first.")))
          .put("file", id)));
    }
    return Future.all(found).map(all -> new JsonArray(all.<JsonObject>list()));
  }

  /** Cancels the task and answers it once the cancellation took (a task mid-submit ends a moment later). */
  Future<Task> cancelled(Exchange ex, String taskId) {
    String owner = ex.session.owner;
    return engine.cancel(owner, taskId).compose(t -> t.state().terminal() ? Future.succeededFuture(t)
        : TaskWaiter.await(vertx, engine, null, owner, t.id(), st -> false, SETTLE_MS));
  }

  private static void copy(JsonObject from, JsonObject to, String... keys) {
    for (String k : keys) {
      if (from.getValue(k) != null) {
        to.put(k, from.getValue(k));
      }
    }
  }
}
