package dev.skillhost.feishu;

import dev.skillhost.api.ProviderException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;

/** Who a message goes to, and the dedupe key each message of a delivery carries. */
final class FeishuReceiver {

  static final Set<String> ID_TYPES = Set.of("chat_id", "open_id", "union_id", "user_id", "email");
  /** Feishu refuses a longer {@code uuid}. */
  static final int MAX_UUID = 50;

  private FeishuReceiver() {}

  /**
   * The task's {@code options.receive_id_type} when it names one; else from the id's prefix, as
   * LibTV's helper does ({@code ou_} is a user's open_id) and extended to the other prefixes
   * Feishu uses ({@code on_} union_id, an address with {@code @}); anything else is a chat id.
   */
  static String idType(String chatId, JsonObject options) {
    if (chatId == null || chatId.isBlank()) {
      throw ProviderException.rejected("no_chat", "the delivery names no Feishu chat");
    }
    String named = options.getString("receive_id_type");
    if (named != null) {
      if (!ID_TYPES.contains(named)) {
        throw ProviderException.rejected("bad_receive_id_type",
            "receive_id_type must be one of " + ID_TYPES + ", got '" + named + "'");
      }
      return named;
    }
    if (chatId.startsWith("ou_")) {
      return "open_id";
    }
    if (chatId.startsWith("on_")) {
      return "union_id";
    }
    return chatId.contains("@") ? "email" : "chat_id";
  }

  /**
   * The uuid of message {@code index}: the delivery id itself for the first (so the host's id is
   * what Feishu dedupes on), with {@code -index} after it for the others; a digest of the id when
   * that would pass Feishu's 50 characters.
   */
  static String uuid(String deliveryId, int index) {
    String suffix = index == 0 ? "" : "-" + index;
    if (deliveryId.length() + suffix.length() <= MAX_UUID) {
      return deliveryId + suffix;
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(deliveryId.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, 40) + suffix;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
