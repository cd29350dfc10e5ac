package dev.skillhost.host.outbox;

import dev.skillhost.api.Delivery;
import dev.skillhost.api.Output;
import dev.skillhost.api.ProviderException;
import dev.skillhost.api.Receipt;
import dev.skillhost.host.plugins.LiveChannel;
import dev.skillhost.host.plugins.PluginHost;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Hands one finished task to its chat channel plugin. An answer is delivered; a
 * {@link ProviderException#rejected() rejected} failure ends the delivery as failed; any other
 * failure (or a channel that is not loaded, e.g. mid-swap) is retried on the schedule, its
 * {@code retryAfter} honoured. Every call of one delivery carries the same {@link Delivery#id()}.
 */
final class ChannelSender {

  private final PluginHost plugins;
  private final Duration timeout;

  /** @param timeout how long one call may take (a channel may upload a video first) */
  ChannelSender(PluginHost plugins, Duration timeout) {
    this.plugins = plugins;
    this.timeout = timeout;
  }

  Future<Outcome> send(OutboxEntry e) {
    Optional<LiveChannel> found = plugins.channel(e.target());
    if (found.isEmpty()) {
      return Future.succeededFuture(Outcome.retry("channel '" + e.target() + "' is not loaded", null));
    }
    LiveChannel live = found.get();
    Delivery delivery = delivery(e);
    return live.call(c -> c.deliver(delivery, live.context()))
        .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .map(ChannelSender::delivered)
        .recover(err -> Future.succeededFuture(classify(err)));
  }

  static Delivery delivery(OutboxEntry e) {
    JsonObject p = new JsonObject(e.payload());
    List<Output> outputs = new ArrayList<>();
    JsonArray stored = p.getJsonArray("outputs", new JsonArray());
    for (int i = 0; i < stored.size(); i++) {
      JsonObject o = stored.getJsonObject(i);
      outputs.add(new Output(o.getString("kind"), o.getString("file"), o.getString("url"), o.getString("mime"),
          o.getJsonObject("meta")));
    }
    return new Delivery(e.id(), e.taskId(), p.getString("chat_id"), p.getString("locale"), p.getString("text"), outputs,
        p.getJsonObject("options"));
  }

  private static Outcome delivered(Receipt receipt) {
    JsonObject json = new JsonObject();
    if (receipt != null) {
      if (receipt.messageId() != null) json.put("message_id", receipt.messageId());
      if (!receipt.details().isEmpty()) json.put("details", receipt.details());
    }
    return Outcome.delivered(json);
  }

  private static Outcome classify(Throwable err) {
    if (err instanceof ProviderException pe) {
      String text = pe.code() + (pe.httpStatus() > 0 ? " (HTTP " + pe.httpStatus() + ")" : "") + ": " + pe.text();
      return pe.rejected() ? Outcome.failed("the channel rejected the delivery: " + text) : Outcome.retry(text, pe.retryAfter());
    }
    return Outcome.retry(WebhookSender.describe(err), null);
  }
}
