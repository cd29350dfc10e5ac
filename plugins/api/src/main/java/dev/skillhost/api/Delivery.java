package dev.skillhost.api;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * One finished task's result, to be pushed to one chat.
 *
 * @param id      stable across retries of this delivery (use it as the upstream dedupe key)
 * @param taskId  the task
 * @param chatId  the chat to post to, as the task named it
 * @param locale  the task's locale
 * @param text    the message users would see for the result (the skill's rendered template), or
 *                the failure message when the task failed
 * @param outputs the task's outputs; {@link Output#file()} is the host's stored copy
 *                ({@link Artifacts#path}) when it has one
 * @param options channel-specific options the task gave (e.g. {@code receive_id_type})
 */
public record Delivery(String id, String taskId, String chatId, String locale, String text, List<Output> outputs,
    JsonObject options) {

  public Delivery {
    outputs = List.copyOf(outputs);
    options = options == null ? new JsonObject() : options.copy();
  }
}
