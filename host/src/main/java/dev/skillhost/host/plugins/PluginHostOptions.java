package dev.skillhost.host.plugins;

import dev.skillhost.api.ProviderContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * How the {@link PluginHost} runs.
 *
 * @param pluginsDir     the directory of plugin jars, watched for new, replaced and removed jars
 * @param workDir        a private directory for shadow copies of loaded jars (never the plugins
 *                       dir: jars are loaded from copies so the originals may be overwritten)
 * @param systemVersion  this host's version, checked against each jar's {@code Plugin-Requires}
 * @param contexts       the context for a provider id; contexts are made by boot and outlive
 *                       plugin swaps, so a new plugin version sees the same data dir and config
 * @param debounce       quiet time after the last file event on a jar before it is looked at
 *                       ({@code cp} fires a CREATE and several MODIFYs)
 * @param rescanInterval a full rescan this often, for missed events and half-written jars
 * @param drainTimeout   how long a replaced plugin version may finish calls in flight before it is
 *                       unloaded anyway
 */
public record PluginHostOptions(
    Path pluginsDir,
    Path workDir,
    String systemVersion,
    Function<String, ProviderContext> contexts,
    Duration debounce,
    Duration rescanInterval,
    Duration drainTimeout) {

  public static final Duration DEFAULT_DEBOUNCE = Duration.ofMillis(400);
  public static final Duration DEFAULT_RESCAN_INTERVAL = Duration.ofSeconds(10);
  public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);

  public PluginHostOptions {
    Objects.requireNonNull(pluginsDir, "pluginsDir");
    Objects.requireNonNull(workDir, "workDir");
    Objects.requireNonNull(systemVersion, "systemVersion");
    Objects.requireNonNull(contexts, "contexts");
    pluginsDir = pluginsDir.toAbsolutePath().normalize();
    workDir = workDir.toAbsolutePath().normalize();
    if (pluginsDir.equals(workDir)) {
      throw new IllegalArgumentException("workDir must differ from pluginsDir: shadow copies would be loaded as plugins");
    }
    debounce = positive(debounce, DEFAULT_DEBOUNCE, "debounce");
    rescanInterval = positive(rescanInterval, DEFAULT_RESCAN_INTERVAL, "rescanInterval");
    drainTimeout = positive(drainTimeout, DEFAULT_DRAIN_TIMEOUT, "drainTimeout");
  }

  /** Options with the given debounce and the default rescan interval and drain timeout. */
  public PluginHostOptions(Path pluginsDir, Path workDir, String systemVersion,
      Function<String, ProviderContext> contexts, Duration debounce) {
    this(pluginsDir, workDir, systemVersion, contexts, debounce, null, null);
  }

  /** Options with the default debounce, rescan interval and drain timeout. */
  public static PluginHostOptions of(Path pluginsDir, Path workDir, String systemVersion,
      Function<String, ProviderContext> contexts) {
    return new PluginHostOptions(pluginsDir, workDir, systemVersion, contexts, null, null, null);
  }

  public PluginHostOptions withDebounce(Duration debounce) {
    return new PluginHostOptions(pluginsDir, workDir, systemVersion, contexts, debounce, rescanInterval, drainTimeout);
  }

  public PluginHostOptions withRescanInterval(Duration rescanInterval) {
    return new PluginHostOptions(pluginsDir, workDir, systemVersion, contexts, debounce, rescanInterval, drainTimeout);
  }

  public PluginHostOptions withDrainTimeout(Duration drainTimeout) {
    return new PluginHostOptions(pluginsDir, workDir, systemVersion, contexts, debounce, rescanInterval, drainTimeout);
  }

  private static Duration positive(Duration value, Duration fallback, String name) {
    if (value == null) return fallback;
    if (value.isNegative() || value.isZero()) throw new IllegalArgumentException(name + " must be positive");
    return value;
  }
}
