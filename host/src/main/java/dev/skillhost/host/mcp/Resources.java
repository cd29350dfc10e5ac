package dev.skillhost.host.mcp;

import dev.skillhost.host.store.FileStore;
import dev.skillhost.host.store.Task;
import dev.skillhost.host.store.TaskState;
import dev.skillhost.host.tasks.TaskEngineVerticle;
import dev.skillhost.host.tasks.TaskRejected;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.EnumSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Task outputs as resources: {@code skillhost://tasks/{id}/outputs/{n}} (the stored file: its
 * bytes, or past {@value #MAX_INLINE} bytes its signed link) and {@code skillhost://tasks/{id}}
 * (the task as JSON). A task that is not the caller's does not exist.
 */
final class Resources {

  static final long MAX_INLINE = 8L * 1024 * 1024;
  static final int RESOURCE_NOT_FOUND = -32002;
  private static final Pattern URI = Pattern.compile("skillhost://tasks/(t_[0-9a-z]{1,40})(?:/outputs/(\\d{1,4}))?");
  private static final int LISTED_TASKS = 50;

  private final Vertx vertx;
  private final TaskEngineVerticle engine;
  private final FileStore files;
  private final TaskViews views;
  private final McpEvents events;

  Resources(Vertx vertx, TaskEngineVerticle engine, FileStore files, TaskViews views, McpEvents events) {
    this.vertx = vertx;
    this.engine = engine;
    this.files = files;
    this.views = views;
    this.events = events;
  }

  JsonObject templates() {
    return new JsonObject().put("resourceTemplates", new JsonArray()
        .add(new JsonObject().put("uriTemplate", TaskViews.SCHEME + "{task_id}/outputs/{n}").put("name", "task-output")
            .put("title", "A task's output")
            .put("description", "The n-th output (from 0) of a finished task: an image or a video."))
        .add(new JsonObject().put("uriTemplate", TaskViews.SCHEME + "{task_id}").put("name", "task")
            .put("title", "A task").put("description", "A task as it stands: state, progress, outputs, message.")
            .put("mimeType", "application/json")));
  }

  /** The outputs of the caller's latest finished tasks; the session hears when that list changes. */
  Future<JsonObject> list(McpSession session, String cursor) {
    events.listResources(session);
    return engine.list(session.owner, EnumSet.of(TaskState.SUCCEEDED), null, LISTED_TASKS, cursor)
        .recover(e -> Future.failedFuture(Rpc.invalidParams("That cursor is not one this server gave.")))
        .map(page -> {
          JsonArray out = new JsonArray();
          for (Task t : page.tasks()) {
            JsonArray outputs = views.summary(t).getJsonArray("outputs");
            for (int i = 0; i < outputs.size(); i++) {
              JsonObject o = outputs.getJsonObject(i);
              JsonObject r = new JsonObject().put("uri", o.getString("uri")).put("name", t.id() + "-output-" + i)
                  .put("title", (t.skill() == null ? t.provider() : t.skill()) + " " + t.operation() + " output " + i);
              if (o.getString("mime") != null) r.put("mimeType", o.getString("mime"));
              if (o.getValue("size") != null) r.put("size", o.getValue("size"));
              out.add(r);
            }
          }
          JsonObject json = new JsonObject().put("resources", out);
          return page.next() == null ? json : json.put("nextCursor", page.next());
        });
  }

  Future<JsonObject> read(String owner, JsonObject params) {
    String uri = params.getString("uri");
    Matcher m = uri == null ? null : URI.matcher(uri);
    if (m == null || !m.matches()) {
      throw new Rpc.Failure(RESOURCE_NOT_FOUND, "No resource '" + uri + "': task resources are skillhost://tasks/{id}"
          + " and skillhost://tasks/{id}/outputs/{n}.", new JsonObject().put("uri", uri));
    }
    return task(owner, m.group(1), uri).compose(task -> {
      if (m.group(2) == null) {
        return views.toolResult(task, null).map(view -> contents(new JsonObject().put("uri", uri)
            .put("mimeType", "application/json").put("text", view.getJsonObject("structuredContent").encodePrettily())));
      }
      int n = Integer.parseInt(m.group(2));
      JsonArray outputs = views.summary(task).getJsonArray("outputs");
      if (n >= outputs.size()) {
        throw new Rpc.Failure(RESOURCE_NOT_FOUND, "Task " + task.id() + " has " + outputs.size() + " output"
            + (outputs.size() == 1 ? "" : "s") + (task.state().terminal() ? "" : " so far") + "; there is no output " + n + ".",
            new JsonObject().put("uri", uri));
      }
      JsonObject o = outputs.getJsonObject(n);
      String file = o.getString("file");
      if (file == null) {
        return Future.succeededFuture(contents(new JsonObject().put("uri", uri).put("mimeType", "text/uri-list")
            .put("text", o.getString("url"))));
      }
      return files.info(file).compose(info -> {
        if (info.isEmpty() || info.get().size() > MAX_INLINE) {
          return Future.succeededFuture(contents(new JsonObject().put("uri", uri).put("mimeType", "text/uri-list")
              .put("text", o.getString("url"))
              .put("_meta", new JsonObject().put("skillhost/size", o.getValue("size")).put("skillhost/mime", o.getString("mime")))));
        }
        // reading and encoding up to 8 MB is worker work
        return vertx.executeBlocking(() -> Base64.getEncoder().encodeToString(java.nio.file.Files.readAllBytes(files.path(file))), false)
            .map(blob -> contents(new JsonObject()
            .put("uri", uri).put("mimeType", info.get().mime())
            .put("blob", blob)
            .put("_meta", new JsonObject().put("skillhost/size", info.get().size()).put("skillhost/url", o.getString("url")))));
      });
    });
  }

  Future<JsonObject> subscribe(McpSession session, JsonObject params, boolean on) {
    String uri = params.getString("uri");
    Matcher m = uri == null ? null : URI.matcher(uri);
    if (m == null || !m.matches()) {
      throw new Rpc.Failure(RESOURCE_NOT_FOUND, "No resource '" + uri + "' to subscribe to.", new JsonObject().put("uri", uri));
    }
    if (!on) {
      session.subscriptions.remove(uri);
      return Future.succeededFuture(new JsonObject());
    }
    return task(session.owner, m.group(1), uri).map(t -> {
      events.subscribe(session, uri);
      return new JsonObject();
    });
  }

  private Future<Task> task(String owner, String id, String uri) {
    return engine.get(owner, id).recover(e -> Future.failedFuture(e instanceof TaskRejected
        ? new Rpc.Failure(RESOURCE_NOT_FOUND, e.getMessage(), new JsonObject().put("uri", uri)) : e));
  }

  private static JsonObject contents(JsonObject item) {
    return new JsonObject().put("contents", new JsonArray().add(item));
  }
}
