package dev.skillhost.host.mcp;

import dev.skillhost.host.skills.Skill;
import dev.skillhost.host.skills.SkillOperation;
import dev.skillhost.host.store.Task;
import dev.skillhost.host.store.TaskEvent;
import dev.skillhost.host.store.TaskState;
import dev.skillhost.host.tasks.TaskEngineVerticle;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * How a Skillhost task looks to an MCP client: the tool result (structured, with the skill's chat
 * text and a link per output), the MCP task of the 2025-11-25 revision, and resource URIs.
 */
final class TaskViews {

  static final String SCHEME = "skillhost://tasks/";
  static final String RELATED_TASK = "io.modelcontextprotocol/related-task";
  private static final int RECENT_EVENTS = 64;

  private final TaskEngineVerticle engine;
  private final Function<String, String> fileLink;
  private final Supplier<String> publicBase;
  private final Function<String, Optional<Skill>> skills;

  TaskViews(TaskEngineVerticle engine, Function<String, String> fileLink, Supplier<String> publicBase,
      Function<String, Optional<Skill>> skills) {
    this.engine = engine;
    this.fileLink = fileLink;
    this.publicBase = publicBase;
    this.skills = skills;
  }

  static String taskUri(String taskId) {
    return SCHEME + taskId;
  }

  static String outputUri(String taskId, int n) {
    return SCHEME + taskId + "/outputs/" + n;
  }

  /** The tool result for {@code task}: its latest message (or {@code message} when given) as the text. */
  Future<JsonObject> toolResult(Task task, String message) {
    long after = Math.max(0, task.seq() - RECENT_EVENTS);
    return engine.events(task.owner(), task.id(), after, RECENT_EVENTS)
        .otherwise(List.of())
        .map(events -> toolResult(task, events, message));
  }

  private JsonObject toolResult(Task task, List<TaskEvent> events, String message) {
    JsonObject structured = summary(task);
    String said = message;
    for (int i = events.size() - 1; i >= 0; i--) {
      TaskEvent e = events.get(i);
      if (said == null && e.message() != null) {
        said = e.message();
      }
      if (!structured.containsKey("estimate") && TaskEvent.STATE.equals(e.type())
          && e.state() == TaskState.AWAITING_CONFIRMATION && e.data().getValue("cost") instanceof JsonObject cost) {
        structured.put("estimate", cost);
      }
    }
    if (said == null) {
      said = fallback(task);
    }
    structured.put("message", said);
    JsonArray content = new JsonArray().add(text(said));
    JsonArray outputs = structured.getJsonArray("outputs");
    for (int i = 0; i < outputs.size(); i++) {
      JsonObject o = outputs.getJsonObject(i);
      JsonObject link = new JsonObject().put("type", "resource_link").put("uri", o.getString("uri"))
          .put("name", task.id() + "-output-" + i);
      if (o.getString("mime") != null) link.put("mimeType", o.getString("mime"));
      if (o.getValue("size") instanceof Number n) link.put("size", n);
      content.add(link);
    }
    return new JsonObject().put("content", content).put("structuredContent", structured)
        .put("isError", task.state() == TaskState.FAILED);
  }

  /** The task as tools show it (the {@code task} output schema). */
  JsonObject summary(Task task) {
    JsonObject json = new JsonObject()
        .put("task_id", task.id())
        .put("state", task.state().wire())
        .put("skill", task.skill())
        .put("provider", task.provider())
        .put("operation", task.operation())
        .put("params", task.params().copy())
        .put("progress", task.progress() < 0 ? null : task.progress())
        .put("locale", task.locale())
        .put("outputs", outputs(task))
        .put("created_at", Instant.ofEpochMilli(task.createdAt()).toString())
        .put("updated_at", Instant.ofEpochMilli(task.updatedAt()).toString());
    eta(task).ifPresent(eta -> json.put("eta", eta));
    if (task.error() != null) {
      json.put("error", new JsonObject().put("kind", task.error().getValue("kind"))
          .put("code", task.error().getValue("code") == null ? null : String.valueOf(task.error().getValue("code")))
          .put("message", task.error().getString("message")));
    }
    return json;
  }

  private JsonArray outputs(Task task) {
    JsonArray out = new JsonArray();
    JsonArray outputs = task.outputs() == null ? new JsonArray() : task.outputs();
    for (int i = 0; i < outputs.size(); i++) {
      JsonObject o = outputs.getJsonObject(i);
      JsonObject meta = o.getJsonObject("meta", new JsonObject());
      String file = o.getString("file");
      JsonObject view = new JsonObject()
          .put("uri", outputUri(task.id(), i))
          .put("kind", o.getString("kind"))
          .put("file", file)
          .put("mime", o.getString("mime"))
          .put("url", file != null ? publicBase.get() + fileLink.apply(file) : o.getString("url"));
      for (String k : List.of("size", "width", "height")) {
        if (meta.getValue(k) instanceof Number n) view.put(k, n);
      }
      Object d = meta.getValue("duration_s", meta.getValue("duration"));
      if (d instanceof Number n) view.put("duration_s", n);
      out.add(view);
    }
    return out;
  }

  private Optional<JsonObject> eta(Task task) {
    return skillOp(task).map(SkillOperation::eta).filter(e -> e != null).map(e -> {
      int[] range = e.forModel(task.params().getString("model"));
      return new JsonObject().put("low_s", range[0]).put("high_s", range[1]);
    });
  }

  private Optional<SkillOperation> skillOp(Task task) {
    return task.skill() == null ? Optional.empty()
        : skills.apply(task.skill()).flatMap(s -> s.operation(task.operation()));
  }

  /** The MCP task (2025-11-25) standing for a Skillhost task. */
  JsonObject mcpTask(Task task) {
    return new JsonObject()
        .put("taskId", task.id())
        .put("status", status(task.state()))
        .put("statusMessage", fallback(task))
        .put("createdAt", Instant.ofEpochMilli(task.createdAt()).toString())
        .put("lastUpdatedAt", Instant.ofEpochMilli(task.updatedAt()).toString())
        .putNull("ttl")
        .put("pollInterval", pollInterval(task));
  }

  static String status(TaskState state) {
    return switch (state) {
      case AWAITING_CONFIRMATION -> "input_required";
      case SUCCEEDED -> "completed";
      case FAILED -> "failed";
      case CANCELLED -> "cancelled";
      default -> "working";
    };
  }

  /** About a fifth of the usual shortest wait, between 1 and 10 s: a client polling at it sees every step. */
  private long pollInterval(Task task) {
    int low = eta(task).map(e -> e.getInteger("low_s")).orElse(5);
    return Math.max(1000, Math.min(10_000, low * 200L));
  }

  /** One plain line for a task whose skill said nothing (or that has no skill). */
  static String fallback(Task task) {
    String s = "Task " + task.id() + " is " + task.state().wire().replace('_', ' ');
    if (task.state() == TaskState.RUNNING && task.progress() >= 0) {
      s += ", " + Math.round(task.progress() * 100) + "% done";
    }
    if (task.state() == TaskState.FAILED && task.error() != null && task.error().getString("message") != null) {
      s += ": " + task.error().getString("message");
    }
    if (task.state() == TaskState.AWAITING_CONFIRMATION) {
      s += "; call confirm to go on, or cancel";
    }
    return s + ".";
  }

  static JsonObject text(String text) {
    return new JsonObject().put("type", "text").put("text", text);
  }

  /** A tool result that reports a mistake in one sentence. */
  static JsonObject error(String sentence) {
    return new JsonObject().put("content", new JsonArray().add(text(sentence))).put("isError", true);
  }
}
