package dev.skillhost.host.outbox;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * One delivery in the outbox: one task event to one webhook, or one finished task to one chat.
 *
 * @param id        stable across retries: the {@code webhook-id} header, or the channel's {@code Delivery.id}
 * @param kind      {@code webhook} or {@code channel}
 * @param target    the webhook URL, or the channel id
 * @param eventSeq  the task event it carries
 * @param eventType {@code task.state}, {@code task.progress}, {@code task.output}, {@code task.completed}
 * @param payload   the webhook body, or the channel delivery ({@code chat_id, options, locale, text, outputs})
 * @param state     {@code pending}, {@code sending} (a channel call under way), {@code delivered} or {@code failed}
 * @param attempts  attempts made so far
 * @param nextAt    epoch ms of the next attempt while pending
 * @param lastError why the last attempt did not deliver, or null
 * @param receipt   what the receiver answered when delivered, or null
 */
public record OutboxEntry(String id, String taskId, String owner, String kind, String target, long eventSeq,
    String eventType, String payload, String state, int attempts, long nextAt, long createdAt, long updatedAt,
    Long deliveredAt, String lastError, JsonObject receipt) {

  public static final String WEBHOOK = "webhook";
  public static final String CHANNEL = "channel";

  /** As {@code GET /v1/tasks/{id}/deliveries} shows it (no payload: the task's events say the same). */
  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("id", id)
        .put("kind", kind)
        .put(WEBHOOK.equals(kind) ? "url" : "channel", target)
        .put("event_seq", eventSeq)
        .put("event_type", eventType)
        .put("state", state)
        .put("attempts", attempts)
        .put("created_at", Instant.ofEpochMilli(createdAt).toString())
        .put("updated_at", Instant.ofEpochMilli(updatedAt).toString());
    if ("pending".equals(state) || "sending".equals(state)) json.put("next_attempt_at", Instant.ofEpochMilli(nextAt).toString());
    if (deliveredAt != null) json.put("delivered_at", Instant.ofEpochMilli(deliveredAt).toString());
    if (lastError != null) json.put("last_error", lastError);
    if (receipt != null) json.put("receipt", receipt);
    return json;
  }
}
