package dev.skillhost.host.mcp;

import dev.skillhost.host.skills.Messages;
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
  private final dev.skillhost.host.store.FileStore files;
  private final Function<String, String> fileLink;
  private final Supplier<String> publicBase;
  private final Function<String, Optional<Skill>> skills;

  TaskViews(TaskEngineVerticle engine, dev.skillhost.host.store.FileStore files, Function<String, String> fileLink,
      Supplier<String> publicBase, Function<String, Optional<Skill>> skills) {
    this.engine = engine;
    this.files = files;
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
        .map(events -> toolResult(task, events, message))
        .compose(this::sized);
  }

  /** Fills in the size of outputs whose provider did not say it, from the file store. */
  private Future<JsonObject> sized(JsonObject result) {
    JsonArray outputs = result.getJsonObject("structuredContent").getJsonArray("outputs");
    List<Future<Void>> looks = new java.util.ArrayList<>();
    for (int i = 0; i < outputs.size(); i++) {
      JsonObject o = outputs.getJsonObject(i);
      JsonObject link = result.getJsonArray("content").getJsonObject(i + 1);
      if (o.getValue("size") == null && o.getString("file") != null) {
        looks.add(files.info(o.getString("file")).map(info -> {
          info.ifPresent(f -> {
            o.put("size", f.size());
            link.put("size", f.size());
          });
          return null;
        }));
      } else if (o.getValue("size") != null) {
        link.put("size", o.getValue("size"));
      }
    }
    return Future.all(looks).map(result);
  }

  private JsonObject toolResult(Task task, List<TaskEvent> events, String message) {
    JsonObject structured = summary(task);
    String said = message;
    for (int i = events.size() - 1; i >= 0; i--) {
      TaskEvent e = events.get(i);
      if (said == null && e.message() != null && e.state() == task.state()) {
        said = e.message(); // a message said in an earlier state ("submitted") would mislead once it is cancelled
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
      Object size = meta.getValue("size", meta.getValue("bytes"));
      if (size instanceof Number n) view.put("size", n.longValue());
      for (String k : List.of("width", "height")) {
        if (meta.getValue(k) instanceof Number n) view.put(k, n.intValue());
      }
      if (meta.getValue("duration_s") instanceof Number n) {
        view.put("duration_s", n.doubleValue());
      } else if (meta.getValue("duration_ms") instanceof Number n) {
        view.put("duration_s", n.doubleValue() / 1000);
      }
      out.add(view);
    }
    return out;
  }

  private Optional<JsonObject> eta(Task task) {
    return skillOp(task).map(SkillOperation::eta).filter(e -> e != null).map(e -> {
      int[] range = e.forModel(task.params().getValue("model") instanceof String m ? m : null);
      return new JsonObject().put("low_s", range[0]).put("high_s", range[1])
          .put("text", Messages.eta(range[0], range[1], task.locale()));
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

  /** One plain line, in English or Chinese, for a task whose skill said nothing in its current state. */
  static String fallback(Task task) {
    boolean zh = Messages.language(task.locale() == null ? "en" : task.locale()).equals("zh");
    String pct = task.progress() >= 0 ? String.valueOf(Math.round(task.progress() * 100)) : null;
    String why = task.error() == null ? null : task.error().getString("message");
    String id = task.id();
    return switch (task.state()) {
      case QUEUED, SUBMITTING -> zh ? "任务 " + id + " 已排队,即将开始。" : "Task " + id + " is queued and starts shortly.";
      case RUNNING -> zh ? "任务 " + id + " 进行中" + (pct == null ? "。" : ",已完成 " + pct + "%。")
          : "Task " + id + " is running" + (pct == null ? "." : ", " + pct + "% done.");
      case AWAITING_CONFIRMATION -> zh ? "任务 " + id + " 等待确认费用:确认后继续,或取消。"
          : "Task " + id + " waits for you to confirm its cost: confirm to go on, or cancel.";
      case SUCCEEDED -> zh ? "任务 " + id + " 已完成。" : "Task " + id + " is done.";
      case FAILED -> zh ? "任务 " + id + " 失败" + (why == null ? "。" : ":" + why) : "Task " + id + " failed" + (why == null ? "." : ": " + why);
      case CANCELLED -> zh ? "任务 " + id + " 已取消。" : "Task " + id + " was cancelled.";
      case UNKNOWN -> zh ? "任务 " + id + " 的状态正在与服务核对,不会重复提交。"
          : "Task " + id + " is being checked with the provider; it is never sent twice.";
    };
  }

  static JsonObject text(String text) {
    return new JsonObject().put("type", "text").put("text", text);
  }

  /** A tool result that reports a mistake in one sentence. */
  static JsonObject error(String sentence) {
    return new JsonObject().put("content", new JsonArray().add(text(sentence))).put("isError", true);
  }
}
