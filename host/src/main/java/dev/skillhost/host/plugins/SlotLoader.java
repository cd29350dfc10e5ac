package dev.skillhost.host.plugins;

import dev.skillhost.api.Channel;
import dev.skillhost.api.ChannelInfo;
import dev.skillhost.api.Provider;
import dev.skillhost.api.ProviderContext;
import dev.skillhost.api.ProviderInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;

/**
 * Loads one jar into a new {@link Slot}, or says why not. Nothing it loads is visible to anyone
 * until the caller swaps it in; a refused jar is unloaded again here. PF4J thread only.
 */
final class SlotLoader {

  /** A loaded slot or a refusal. */
  sealed interface Outcome permits Slot, Refusal {}

  private final Path workDir;
  private final String systemVersion;
  private final Function<String, ProviderContext> contexts;
  private final Function<String, ProviderCircuit> circuits;
  private final Function<String, Optional<LiveProvider>> current;
  private final Function<String, Optional<LiveChannel>> currentChannel;

  SlotLoader(Path workDir, String systemVersion, Function<String, ProviderContext> contexts,
      Function<String, ProviderCircuit> circuits, Function<String, Optional<LiveProvider>> current,
      Function<String, Optional<LiveChannel>> currentChannel) {
    this.workDir = workDir;
    this.systemVersion = systemVersion;
    this.contexts = contexts;
    this.circuits = circuits;
    this.current = current;
    this.currentChannel = currentChannel;
  }

  /**
   * Copies a jar to a unique name in the work dir. Classes are loaded from the copy, so the
   * original may be overwritten in place (cp) without the loaded class loader reading new bytes.
   */
  Path shadowCopy(Path jar) throws IOException {
    String name = jar.getFileName().toString();
    String base = name.substring(0, name.length() - ".jar".length());
    Path shadow = workDir.resolve(base + "." + UUID.randomUUID().toString().substring(0, 8) + ".jar");
    return Files.copy(jar, shadow);
  }

  /**
   * Loads, starts and checks the shadow copy of {@code file}.
   *
   * @param claimed for a plugin id, why this file may not have it (another file owns it), else null
   */
  Outcome load(String file, Path shadow, String sha256, Function<String, String> claimed) {
    SingleJarPluginManager manager = null;
    String id = null;
    String version = null;
    Outcome outcome;
    try {
      manager = new SingleJarPluginManager(workDir, systemVersion);
      PluginDescriptor descriptor = manager.describe(shadow);
      id = blankToNull(descriptor.getPluginId());
      version = descriptor.getVersion();
      String taken = id == null ? null : claimed.apply(id);
      outcome = taken != null
          ? new Refusal(file, id, version, taken)
          : start(manager, file, shadow, sha256, id, version);
    } catch (Throwable t) { // a broken jar throws Errors too (NoClassDefFoundError, ExceptionInInitializerError)
      outcome = new Refusal(file, id, version, describe(t, shadow, file));
    }
    if (outcome instanceof Refusal) {
      Slot.unload(manager, id, shadow);
    }
    return outcome;
  }

  private Outcome start(SingleJarPluginManager manager, String file, Path shadow, String sha256,
      String id, String version) {
    PluginWrapper wrapper = manager.load(shadow);
    if (wrapper.getPluginState() == PluginState.DISABLED) {
      return new Refusal(file, id, version, "it requires host version " + wrapper.getDescriptor().getRequires()
          + ", this host is " + systemVersion);
    }
    PluginState state = manager.startPlugin(id);
    if (state != PluginState.STARTED) {
      Throwable failure = wrapper.getFailedException();
      return new Refusal(file, id, version, "it did not start (" + state + ")"
          + (failure == null ? "" : ": " + describe(failure, shadow, file)));
    }
    List<Provider> providers = manager.getExtensions(Provider.class, id);
    List<Channel> channels = manager.getExtensions(Channel.class, id);
    if (providers.size() > 1) {
      return new Refusal(file, id, version,
          "it has " + providers.size() + " Provider extensions; a plugin serves exactly one provider");
    }
    if (providers.isEmpty() && channels.isEmpty()) {
      return new Refusal(file, id, version, whyNoProvider(manager, id));
    }
    LiveProvider live = null;
    if (!providers.isEmpty()) {
      Provider provider = providers.get(0);
      ProviderInfo info = provider.info();
      if (info == null || !id.equals(info.id())) {
        return new Refusal(file, id, version, "its provider calls itself '" + (info == null ? null : info.id())
            + "' but the plugin id is '" + id + "'; they must be equal");
      }
      ProviderContext context = contexts.apply(id);
      if (context == null) {
        return new Refusal(file, id, version, "the host has no context for provider " + id);
      }
      live = new LiveProvider(id, version, provider, info, context, circuits.apply(id), current);
    }
    List<LiveChannel> liveChannels = new ArrayList<>();
    Set<String> channelIds = new HashSet<>();
    for (Channel channel : channels) {
      ChannelInfo info = channel.info();
      if (info == null || info.id() == null || !info.id().matches("[a-z0-9][a-z0-9_-]{0,63}")) {
        return new Refusal(file, id, version, "its channel " + channel.getClass().getName() + " calls itself '"
            + (info == null ? null : info.id()) + "'; a channel id is lowercase letters, digits, '-' or '_'");
      }
      if (!channelIds.add(info.id())) {
        return new Refusal(file, id, version, "it has two channels called '" + info.id() + "'");
      }
      ProviderContext context = contexts.apply(info.id());
      if (context == null) {
        return new Refusal(file, id, version, "the host has no context for channel " + info.id());
      }
      liveChannels.add(new LiveChannel(id, version, channel, info, context, currentChannel));
    }
    return new Slot(id, version, file, sha256, shadow, Instant.now(), manager, live, liveChannels);
  }

  /** PF4J logs and skips extension classes that fail to load: find the real cause again. */
  private static String whyNoProvider(SingleJarPluginManager manager, String id) {
    Set<String> names = manager.getExtensionClassNames(id);
    if (names == null || names.isEmpty()) {
      return "no Provider or Channel extension: META-INF/extensions.idx is missing or empty"
          + " (build it with the PF4J annotation processor)";
    }
    ClassLoader loader = manager.getPluginClassLoader(id);
    try {
      if (loader.loadClass(Provider.class.getName()) != Provider.class) {
        return "it bundles its own copy of the provider SPI; plugins must take skillhost-plugin-api as provided";
      }
    } catch (Throwable t) {
      return describe(t, null, null);
    }
    for (String name : names) {
      try {
        Class.forName(name, true, loader);
      } catch (Throwable t) {
        return describe(t, null, null);
      }
    }
    return "no Provider or Channel extension among " + names;
  }

  /** {@code Type: message}, then its causes; shadow paths shown as the original file name. */
  static String describe(Throwable t, Path shadow, String file) {
    StringBuilder text = new StringBuilder();
    for (Throwable c = t; c != null && text.length() < 1000; c = c.getCause() == c ? null : c.getCause()) {
      if (text.length() > 0) text.append(" <- caused by ");
      text.append(c.getClass().getSimpleName());
      if (c.getMessage() != null) text.append(": ").append(c.getMessage());
    }
    String result = text.toString();
    return shadow == null ? result : result.replace(shadow.toString(), file).replace(shadow.getFileName().toString(), file);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
