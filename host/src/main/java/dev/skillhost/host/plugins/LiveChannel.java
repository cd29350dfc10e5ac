package dev.skillhost.host.plugins;

import dev.skillhost.api.Channel;
import dev.skillhost.api.ChannelInfo;
import dev.skillhost.api.ProviderContext;
import dev.skillhost.api.ProviderException;
import io.vertx.core.Future;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * One loaded chat channel version, as {@link PluginHost#channel(String)} hands it out: the
 * channel's twin of {@link LiveProvider}. Call it through {@link #call(Function)}, which keeps this
 * version loaded until the call is done and sends calls made after a swap to the replacement.
 */
public final class LiveChannel {

  private final String pluginId;
  private final String version;
  private final Channel channel;
  private final ChannelInfo info;
  private final ProviderContext context;
  private final Function<String, Optional<LiveChannel>> current;
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean retired;

  LiveChannel(String pluginId, String version, Channel channel, ChannelInfo info, ProviderContext context,
      Function<String, Optional<LiveChannel>> current) {
    this.pluginId = pluginId;
    this.version = version;
    this.channel = channel;
    this.info = info;
    this.context = context;
    this.current = current;
  }

  /** The channel id tasks name it by. */
  public String id() {
    return info.id();
  }

  /** The plugin that serves it. */
  public String pluginId() {
    return pluginId;
  }

  public String version() {
    return version;
  }

  public ChannelInfo info() {
    return info;
  }

  /** The channel itself; prefer {@link #call(Function)}. */
  public Channel channel() {
    return channel;
  }

  /** The context to pass to every channel call (config section {@code providers.<channel id>}). */
  public ProviderContext context() {
    return context;
  }

  /**
   * Runs {@code fn} on the channel, keeping this version loaded until the future completes; on a
   * replaced version it runs on the replacement; with no version loaded it fails with a
   * {@link ProviderException} coded {@code channel_unavailable}. A throw becomes a failed future.
   */
  public <T> Future<T> call(Function<Channel, Future<T>> fn) {
    inFlight.incrementAndGet();
    if (retired) { // paired with retire(), as in LiveProvider
      inFlight.decrementAndGet();
      return current.apply(id())
          .filter(next -> next != this)
          .map(next -> next.call(fn))
          .orElseGet(() -> Future.failedFuture(
              new ProviderException("channel_unavailable", 0, "channel " + id() + " is not loaded")));
    }
    Future<T> result;
    try {
      result = fn.apply(channel);
      if (result == null) result = Future.failedFuture(new IllegalStateException("channel " + id() + " returned no future"));
    } catch (RuntimeException | LinkageError e) {
      result = Future.failedFuture(e);
    }
    return result.andThen(done -> inFlight.decrementAndGet());
  }

  public int inFlight() {
    return inFlight.get();
  }

  void retire() {
    retired = true;
  }

  @Override
  public String toString() {
    return id() + "@" + pluginId + ":" + version;
  }
}
