package dev.skillhost.host.plugins;

import dev.skillhost.api.Provider;
import dev.skillhost.api.ProviderContext;
import dev.skillhost.api.ProviderInfo;
import java.util.Optional;
import java.util.function.Function;

/**
 * One loaded provider version, as {@link PluginHost#provider(String)} hands it out. Call the
 * provider through {@link #call(Function)}, not through {@link #provider()} directly (see
 * {@link Loaded}).
 */
public final class LiveProvider extends Loaded<Provider, LiveProvider> {

  private final String id;
  private final String version;
  private final ProviderInfo info;
  private final ProviderContext context;
  private final ProviderCircuit circuit;

  LiveProvider(String id, String version, Provider provider, ProviderInfo info, ProviderContext context,
      ProviderCircuit circuit, Function<String, Optional<LiveProvider>> current) {
    super(provider, current);
    this.id = id;
    this.version = version;
    this.info = info;
    this.context = context;
    this.circuit = circuit;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  String kind() {
    return "provider";
  }

  public String version() {
    return version;
  }

  public Provider provider() {
    return extension();
  }

  public ProviderInfo info() {
    return info;
  }

  public ProviderContext context() {
    return context;
  }

  /** The provider's circuit breaker, the same for every version of it. */
  public ProviderCircuit circuit() {
    return circuit;
  }

  @Override
  public String toString() {
    return id + "@" + version;
  }
}
