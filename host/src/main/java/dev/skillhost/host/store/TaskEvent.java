package dev.skillhost.host.store;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * One entry of a task's event log: a state change, progress step, message, output or error.
 * Every stream (WebSocket, SSE, later webhooks) is a view of this log.
 *
 * @param task  task id
 * @param seq   per-task sequence number, from 1, without gaps
 * @param type  {@code state}, {@code progress}, {@code message}, {@code output} or {@code error}
 * @param state the task's state after this event
 * @param at    epoch milliseconds
 * @param data    type-specific fields
 * @param message what the user is told, rendered from the skill's templates in the task's locale, or null
 */
public record TaskEvent(String task, long seq, String type, TaskState state, long at, JsonObject data, String message) {

  public TaskEvent(String task, long seq, String type, TaskState state, long at, JsonObject data) {
    this(task, seq, type, state, at, data, null);
  }

  public static final String STATE = "state";
  public static final String PROGRESS = "progress";
  public static final String MESSAGE = "message";
  public static final String OUTPUT = "output";
  public static final String ERROR = "error";

  /** The envelope every stream sends. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("task", task)
        .put("seq", seq)
        .put("type", type)
        .put("state", state.wire())
        .put("at", Instant.ofEpochMilli(at).toString())
        .put("data", data)
        .put("message", message);
  }

  /** The envelope, encoded; events are immutable once stored, so streams may share it. */
  public String encode() {
    return toJson().encode();
  }
}
