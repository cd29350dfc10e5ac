package dev.skillhost.api;

import io.vertx.core.Future;
import java.util.Optional;
import org.pf4j.ExtensionPoint;

/**
 * A chat app a finished task's result can be pushed to (Feishu, and the next one): an extension
 * point beside {@link Provider}, loaded from plugin jars the same way, so a new chat app is a
 * plugin. A task names the channel and the chat; the host calls {@link #deliver} once the task
 * has ended, from its durable outbox.
 *
 * <p>At most once: the host records a delivery as done when this answers and never calls again
 * for it. If the host stops between the channel's send and that record, it calls again with the
 * same {@link Delivery#id()}; a channel whose backend can deduplicate (Feishu's {@code uuid})
 * passes the id on so the chat still sees one message. A failure with a
 * {@link ProviderException} is retried later (its {@code retryAfter} obeyed) unless it is
 * {@link ProviderException#rejected rejected}, which ends the delivery as failed.
 */
public interface Channel extends ExtensionPoint {

  /** What this channel is. Called once after load; must be cheap. */
  ChannelInfo info();

  /** Sends one result to one chat. The context gives the channel's config, secrets, files and HTTP client. */
  Future<Receipt> deliver(Delivery delivery, ProviderContext ctx);

  /** What is wrong with the channel's configuration, in one line (missing app credentials), else empty. */
  default Optional<String> configProblem(ProviderContext ctx) {
    return Optional.empty();
  }
}
