package dev.skillhost.host.plugins;

import dev.skillhost.api.Channel;
import dev.skillhost.api.ChannelInfo;
import dev.skillhost.api.ProviderContext;
import java.util.Optional;
import java.util.function.Function;

/**
 * One loaded chat channel version, as {@link PluginHost#channel(String)} hands it out: the
 * channel's twin of {@link LiveProvider}. Call it through {@link #call(Function)} (see {@link Loaded}).
 */
public final class LiveChannel extends Loaded<Channel, LiveChannel> {

  private final String pluginId;
  private final String version;
  private final ChannelInfo info;
  private final ProviderContext context;

  LiveChannel(String pluginId, String version, Channel channel, ChannelInfo info, ProviderContext context,
      Function<String, Optional<LiveChannel>> current) {
    super(channel, current);
    this.pluginId = pluginId;
    this.version = version;
    this.info = info;
    this.context = context;
  }

  /** The channel id tasks name it by. */
  @Override
  public String id() {
    return info.id();
  }

  @Override
  String kind() {
    return "channel";
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
    return extension();
  }

  /** The context to pass to every channel call (config section {@code providers.<channel id>}). */
  public ProviderContext context() {
    return context;
  }

  @Override
  public String toString() {
    return id() + "@" + pluginId + ":" + version;
  }
}
