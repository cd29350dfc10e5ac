package dev.skillhost.host.store;

import dev.skillhost.api.Handle;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The stored JSON form of tasks and events (not the API form: this one keeps everything). The
 * event form is public for the cluster's NOTIFY payloads, which carry a stored event whole.
 */
public final class TaskCodec {

  private TaskCodec() {}

  static String encode(Task t) {
    return new JsonObject()
        .put("id", t.id())
        .put("owner", t.owner())
        .put("provider", t.provider())
        .put("operation", t.operation())
        .put("skill", t.skill())
        .put("provider_version", t.providerVersion())
        .put("state", t.state().wire())
        .put("seq", t.seq())
        .put("params", t.params())
        .put("inputs", t.inputs())
        .put("locale", t.locale())
        .put("handle", t.handle() == null ? null : t.handle().toJson())
        .put("outputs", t.outputs())
        .put("error", t.error())
        .put("progress", t.progress())
        .put("deadline_at", t.deadlineAt())
        .put("created_at", t.createdAt())
        .put("updated_at", t.updatedAt())
        .put("idem_key", t.idempotencyKey())
        .put("request_hash", t.requestHash())
        .put("confirmation", t.confirmation() == null ? null : t.confirmation().encode())
        .encode();
  }

  static Task decode(JsonObject j) {
    JsonObject handle = j.getJsonObject("handle");
    return new Task(
        j.getString("id"),
        j.getString("owner"),
        j.getString("provider"),
        j.getString("operation"),
        j.getString("skill"),
        j.getString("provider_version"),
        TaskState.ofWire(j.getString("state")),
        j.getLong("seq"),
        j.getJsonObject("params", new JsonObject()),
        j.getJsonArray("inputs", new JsonArray()),
        j.getString("locale"),
        handle == null ? null : Handle.fromJson(handle),
        j.getJsonArray("outputs", new JsonArray()),
        j.getJsonObject("error"),
        j.getDouble("progress", -1.0),
        j.getLong("deadline_at"),
        j.getLong("created_at"),
        j.getLong("updated_at"),
        j.getString("idem_key"),
        j.getString("request_hash"),
        Confirmation.decode(j.getJsonObject("confirmation")));
  }

  /** An event as stored in the log. */
  public static String encodeEvent(TaskEvent e) {
    return new JsonObject()
        .put("type", e.type())
        .put("state", e.state().wire())
        .put("at", e.at())
        .put("data", e.data())
        .put("seq", e.seq())
        .put("message", e.message())
        .encode();
  }

  /** An event of task {@code taskId} from its stored form. */
  public static TaskEvent decodeEvent(String taskId, JsonObject j) {
    return new TaskEvent(taskId, j.getLong("seq"), j.getString("type"), TaskState.ofWire(j.getString("state")),
        j.getLong("at"), j.getJsonObject("data", new JsonObject()), j.getString("message"));
  }
}
