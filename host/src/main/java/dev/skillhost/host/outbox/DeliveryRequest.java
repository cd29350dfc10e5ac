package dev.skillhost.host.outbox;

import dev.skillhost.host.tasks.TaskRejected;
import dev.skillhost.host.tasks.TaskRejected.Reason;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The delivery fields of a task request, checked for form: {@code webhook: {url, events}} and
 * {@code channel: {id, chat_id, options}}. Whether the URL may be reached and the channel exists
 * is {@link OutboxVerticle#check}'s part.
 */
public final class DeliveryRequest {

  private static final Set<String> WEBHOOK_FIELDS = Set.of("url", "events");
  private static final Set<String> CHANNEL_FIELDS = Set.of("id", "chat_id", "options");
  private static final int MAX_CHAT_ID = 256;

  private DeliveryRequest() {}

  /**
   * Takes {@code webhook} and {@code channel} out of a task request body (so the rest is the task
   * itself) and answers them checked and normalised, or null when there are none.
   *
   * @throws TaskRejected naming the field that is wrong
   */
  public static JsonObject take(JsonObject body) {
    Object webhook = body.remove("webhook");
    Object channel = body.remove("channel");
    JsonObject deliver = new JsonObject();
    if (webhook != null) {
      deliver.put(OutboxEntry.WEBHOOK, webhook(webhook));
    }
    if (channel != null) {
      deliver.put(OutboxEntry.CHANNEL, channel(channel));
    }
    return deliver.isEmpty() ? null : deliver;
  }

  private static JsonObject webhook(Object value) {
    JsonObject w = object(value, "webhook", "{\"url\": \"https://…\", \"events\": [\"completed\"]}", WEBHOOK_FIELDS);
    String url = string(w, "url", "webhook.url");
    Endpoint.formProblem(url).ifPresent(p -> {
      throw invalid("webhook.url: " + p);
    });
    Object events = w.getValue("events");
    JsonArray normalised;
    if (events == null) {
      normalised = WebhookEvents.all();
    } else {
      if (!(events instanceof JsonArray list) || list.isEmpty()) {
        throw invalid("webhook.events must be a non-empty list of " + String.join(", ", WebhookEvents.CATEGORIES));
      }
      Set<String> chosen = new LinkedHashSet<>();
      for (Object e : list) {
        if (!(e instanceof String s) || !WebhookEvents.CATEGORIES.contains(s)) {
          throw invalid("webhook.events: '" + e + "' is not one of " + String.join(", ", WebhookEvents.CATEGORIES));
        }
        chosen.add(s);
      }
      normalised = new JsonArray(java.util.List.copyOf(chosen));
    }
    return new JsonObject().put("url", url).put("events", normalised);
  }

  private static JsonObject channel(Object value) {
    JsonObject c = object(value, "channel", "{\"id\": \"feishu\", \"chat_id\": \"oc_…\"}", CHANNEL_FIELDS);
    String id = string(c, "id", "channel.id");
    String chat = string(c, "chat_id", "channel.chat_id");
    if (chat.length() > MAX_CHAT_ID) {
      throw invalid("channel.chat_id is longer than " + MAX_CHAT_ID + " characters");
    }
    Object options = c.getValue("options");
    if (options != null && !(options instanceof JsonObject)) {
      throw invalid("channel.options must be an object");
    }
    return new JsonObject().put("id", id).put("chat_id", chat)
        .put("options", options == null ? new JsonObject() : options);
  }

  private static JsonObject object(Object value, String name, String example, Set<String> fields) {
    if (!(value instanceof JsonObject o)) {
      throw invalid("'" + name + "' must be an object like " + example);
    }
    for (String key : o.fieldNames()) {
      if (!fields.contains(key)) {
        throw invalid("unknown field '" + name + "." + key + "'; " + name + " takes "
            + String.join(", ", new java.util.TreeSet<>(fields)));
      }
    }
    return o;
  }

  private static String string(JsonObject json, String key, String name) {
    Object v = json.getValue(key);
    if (v == null) {
      throw invalid(name + " is required");
    }
    if (!(v instanceof String s) || s.isBlank()) {
      throw invalid(name + " must be a non-empty string");
    }
    return s;
  }

  private static TaskRejected invalid(String detail) {
    return new TaskRejected(Reason.INVALID_REQUEST, detail);
  }
}
