package dev.skillhost.feishu;

import dev.skillhost.api.Channel;
import dev.skillhost.api.ChannelInfo;
import dev.skillhost.api.Delivery;
import dev.skillhost.api.ProviderContext;
import dev.skillhost.api.ProviderException;
import dev.skillhost.api.Receipt;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.pf4j.Extension;

/**
 * Feishu as a chat channel: what LibTV's {@code feishu_send_video.py} does by hand, once, for
 * every skill. A delivery fetches (or reuses) the app's tenant token, uploads each stored output
 * and posts it to the chat as a native message, in order (see {@link FeishuPlan}). Every message
 * carries a uuid derived from {@link Delivery#id()}, so when the host calls again after a crash
 * or a failed attempt, the messages already posted are not posted twice.
 */
@Extension
public final class FeishuChannel implements Channel {

  static final String ID = "feishu";

  private FeishuApi api;

  @Override
  public ChannelInfo info() {
    return new ChannelInfo(ID, "Feishu",
        "Posts a finished task's video, image or link to a Feishu (Lark) chat or user as the app's bot.");
  }

  @Override
  public Optional<String> configProblem(ProviderContext ctx) {
    return FeishuSettings.of(ctx).problem();
  }

  @Override
  public Future<Receipt> deliver(Delivery delivery, ProviderContext ctx) {
    FeishuSettings s = FeishuSettings.of(ctx);
    Optional<String> problem = s.problem();
    if (problem.isPresent()) {
      return Future.failedFuture(ProviderException.rejected("not_configured", problem.get()));
    }
    String receiveIdType;
    try {
      receiveIdType = FeishuReceiver.idType(delivery.chatId(), delivery.options());
    } catch (ProviderException e) {
      return Future.failedFuture(e);
    }
    FeishuApi a = api(ctx);
    return FeishuPlan.of(delivery, ctx, s).compose(posts -> send(a, s, delivery, receiveIdType, posts));
  }

  /** Posts one after another (the chat shows them in this order); stops at the first failure. */
  private static Future<Receipt> send(FeishuApi a, FeishuSettings s, Delivery d, String idType,
      List<FeishuPost> posts) {
    JsonArray sent = new JsonArray();
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < posts.size(); i++) {
      FeishuPost p = posts.get(i);
      String uuid = FeishuReceiver.uuid(d.id(), i);
      chain = chain.compose(v -> content(a, s, p))
          .compose(content -> a.sendMessage(s, idType, d.chatId(), p.msgType(), content, uuid))
          .map(msg -> {
            sent.add(new JsonObject().put("message_id", msg.getString("message_id"))
                .put("msg_type", p.msgType()).put("uuid", uuid).put("chat_id", msg.getString("chat_id")));
            return null;
          });
    }
    return chain.map(v -> {
      JsonObject first = sent.getJsonObject(0);
      return new Receipt(first.getString("message_id"), new JsonObject()
          .put("receive_id_type", idType)
          .put("chat_id", first.getString("chat_id"))
          .put("messages", sent));
    });
  }

  /** Uploads what the post needs and answers its message {@code content}. */
  private static Future<JsonObject> content(FeishuApi a, FeishuSettings s, FeishuPost p) {
    switch (p.msgType()) {
      case "media":
      case "file":
        return a.uploadFile(s, p.upload()).map(key -> new JsonObject().put("file_key", key));
      case "image":
        return a.uploadImage(s, p.upload()).map(key -> new JsonObject().put("image_key", key));
      default:
        return Future.succeededFuture(new JsonObject().put("text", p.text()));
    }
  }

  /** One WebClient for the plugin's life, kept in a field (Vert.x closes clients the GC collects). */
  private synchronized FeishuApi api(ProviderContext ctx) {
    if (api == null) {
      api = new FeishuApi(WebClient.wrap(ctx.http()), new FeishuTokenCache(Clock.systemUTC()));
    }
    return api;
  }
}
