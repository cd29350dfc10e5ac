package dev.skillhost.host.outbox;

import dev.skillhost.host.store.Task;
import dev.skillhost.host.store.TaskEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * Which task events a webhook can ask for, and the body each is sent as. Categories: {@code state}
 * (a change to a state that is not final), {@code progress}, {@code output}, {@code completed}
 * (succeeded, failed or cancelled). The body follows the Standard Webhooks payload shape:
 * {@code {type, timestamp, data}} with {@code data: {task, event}}.
 */
final class WebhookEvents {

  static final List<String> CATEGORIES = List.of("state", "progress", "output", "completed");

  private WebhookEvents() {}

  /** The event's category, or null if webhooks do not carry it (messages; errors come with {@code completed}). */
  static String category(TaskEvent e) {
    return switch (e.type()) {
      case TaskEvent.STATE -> e.state().terminal() ? "completed" : "state";
      case TaskEvent.PROGRESS -> "progress";
      case TaskEvent.OUTPUT -> "output";
      default -> null;
    };
  }

  static JsonObject body(Task task, TaskEvent e, String category) {
    return new JsonObject()
        .put("type", "task." + category)
        .put("timestamp", Instant.ofEpochMilli(e.at()).toString())
        .put("data", new JsonObject().put("task", task.toJson()).put("event", e.toJson()));
  }

  /** Every category, for a webhook that names none. */
  static JsonArray all() {
    return new JsonArray(List.copyOf(CATEGORIES));
  }
}
