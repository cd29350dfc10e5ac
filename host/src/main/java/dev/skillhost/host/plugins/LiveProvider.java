package dev.skillhost.host.plugins;

import dev.skillhost.api.Provider;
import dev.skillhost.api.ProviderContext;
import dev.skillhost.api.ProviderException;
import dev.skillhost.api.ProviderInfo;
import io.vertx.core.Future;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * One loaded provider version, as {@link PluginHost#provider(String)} hands it out. Immutable
 * apart from its count of calls in flight.
 *
 * <p>Call the provider through {@link #call(Function)}, not through {@link #provider()} directly:
 * {@code call} counts the calls in flight, so that when a new version replaces this one the host
 * can let them finish before it unloads this version's class loader. A call made on a version
 * that has already been replaced goes to the version that replaced it.
 */
public final class LiveProvider {

  private final String id;
  private final String version;
  private final Provider provider;
  private final ProviderInfo info;
  private final ProviderContext context;
  private final Function<String, Optional<LiveProvider>> current;
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean retired;

  LiveProvider(String id, String version, Provider provider, ProviderInfo info, ProviderContext context,
      Function<String, Optional<LiveProvider>> current) {
    this.id = id;
    this.version = version;
    this.provider = provider;
    this.info = info;
    this.context = context;
    this.current = current;
  }

  /** The plugin id, which is also the provider id. */
  public String id() {
    return id;
  }

  /** The plugin version from the jar's manifest. */
  public String version() {
    return version;
  }

  /** The provider itself. Prefer {@link #call(Function)}, which keeps this version loaded meanwhile. */
  public Provider provider() {
    return provider;
  }

  /** What the provider offers, read once at load. */
  public ProviderInfo info() {
    return info;
  }

  /** The context to pass to every provider call. */
  public ProviderContext context() {
    return context;
  }

  /**
   * Runs {@code fn} on the provider and keeps this version loaded until the returned future
   * completes. A provider that throws instead of failing its future gets a failed future. If this
   * version was replaced meanwhile, {@code fn} runs on the replacement; if the plugin was removed,
   * the future fails with a {@link ProviderException} coded {@code provider_unavailable}.
   */
  public <T> Future<T> call(Function<Provider, Future<T>> fn) {
    inFlight.incrementAndGet();
    // Paired with retire(): the host marks retired first, then waits for inFlight to reach 0,
    // so either it sees this call or this call sees retired.
    if (retired) {
      inFlight.decrementAndGet();
      return current.apply(id)
          .filter(next -> next != this)
          .map(next -> next.call(fn))
          .orElseGet(() -> Future.failedFuture(
              new ProviderException("provider_unavailable", 0, "provider " + id + " is not loaded")));
    }
    Future<T> result;
    try {
      result = fn.apply(provider);
      if (result == null) result = Future.failedFuture(new IllegalStateException("provider " + id + " returned no future"));
    } catch (RuntimeException | LinkageError e) {
      result = Future.failedFuture(e);
    }
    return result.andThen(done -> inFlight.decrementAndGet());
  }

  /** Calls running now. */
  public int inFlight() {
    return inFlight.get();
  }

  void retire() {
    retired = true;
  }

  boolean retired() {
    return retired;
  }

  @Override
  public String toString() {
    return id + "@" + version;
  }
}
