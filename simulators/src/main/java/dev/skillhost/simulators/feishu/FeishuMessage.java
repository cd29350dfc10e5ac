package dev.skillhost.simulators.feishu;

import io.vertx.core.json.JsonObject;

/**
 * One message the simulated bot posted.
 *
 * @param messageId   {@code om_…}
 * @param chatId      the chat it landed in (for an {@code open_id} receiver, the bot's p2p chat with that user)
 * @param receiveId   the receiver as the request named it
 * @param msgType     text, image, file, media, …
 * @param content     the parsed {@code content}
 * @param uuid        the request's dedupe key, or null
 * @param createTime  epoch milliseconds
 */
public record FeishuMessage(String messageId, String chatId, String receiveId, String msgType, JsonObject content,
    String uuid, long createTime) {

  public FeishuMessage {
    content = content.copy();
  }

  /** The message resource as {@code POST /open-apis/im/v1/messages} answers it in {@code data}. */
  JsonObject toJson(String appId) {
    return new JsonObject()
        .put("message_id", messageId)
        .put("root_id", "")
        .put("parent_id", "")
        .put("msg_type", msgType)
        .put("create_time", String.valueOf(createTime))
        .put("update_time", String.valueOf(createTime))
        .put("deleted", false)
        .put("updated", false)
        .put("chat_id", chatId)
        .put("sender", new JsonObject().put("id", appId).put("id_type", "app_id").put("sender_type", "app")
            .put("tenant_key", "sim-tenant"))
        .put("body", new JsonObject().put("content", content.encode()));
  }
}
