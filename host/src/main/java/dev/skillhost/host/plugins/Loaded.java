package dev.skillhost.host.plugins;

import dev.skillhost.api.ProviderException;
import io.vertx.core.Future;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * One loaded version of a plugin extension (a provider, a chat channel), as the plugin host hands
 * it out. Immutable apart from its count of calls in flight.
 *
 * <p>Call the extension through {@link #call(Function)}: it counts the calls in flight, so that
 * when a new version replaces this one the host can let them finish before it unloads this
 * version's class loader; a call made on a version already replaced goes to its replacement.
 *
 * @param <E> the extension type
 * @param <L> the concrete class, so a call can move on to the replacement of the same kind
 */
abstract class Loaded<E, L extends Loaded<E, L>> {

  private final E extension;
  private final Function<String, Optional<L>> current;
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean retired;

  Loaded(E extension, Function<String, Optional<L>> current) {
    this.extension = extension;
    this.current = current;
  }

  /** The id the host looks it up by. */
  public abstract String id();

  /** {@code provider} or {@code channel}, for errors. */
  abstract String kind();

  E extension() {
    return extension;
  }

  /**
   * Runs {@code fn} on the extension, keeping this version loaded until the future completes; on
   * a replaced version it runs on the replacement; with none loaded it fails with a
   * {@link ProviderException} coded {@code <kind>_unavailable}. A throw becomes a failed future.
   */
  public <T> Future<T> call(Function<E, Future<T>> fn) {
    inFlight.incrementAndGet();
    // Paired with retire(): the host marks retired first, then waits for inFlight to reach 0,
    // so either it sees this call or this call sees retired.
    if (retired) {
      inFlight.decrementAndGet();
      return current.apply(id())
          .filter(next -> next != this)
          .map(next -> next.call(fn))
          .orElseGet(() -> Future.failedFuture(
              new ProviderException(kind() + "_unavailable", 0, kind() + " " + id() + " is not loaded")));
    }
    Future<T> result;
    try {
      result = fn.apply(extension);
      if (result == null) {
        result = Future.failedFuture(new IllegalStateException(kind() + " " + id() + " returned no future"));
      }
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

  boolean retired() {
    return retired;
  }
}
