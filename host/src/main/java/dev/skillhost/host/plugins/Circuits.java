package dev.skillhost.host.plugins;

import dev.skillhost.api.ProviderContext;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One {@link ProviderCircuit} per provider id, made on first use and kept across plugin swaps (a
 * new version of a failing backend's plugin does not make the backend healthy). Any thread.
 */
final class Circuits {

  private final Vertx vertx;
  private final Function<String, ProviderContext> contexts;
  private final Map<String, ProviderCircuit> byId = new ConcurrentHashMap<>();

  Circuits(Vertx vertx, Function<String, ProviderContext> contexts) {
    this.vertx = vertx;
    this.contexts = contexts;
  }

  ProviderCircuit of(String id) {
    return byId.computeIfAbsent(id, p -> {
      ProviderContext context = contexts.apply(p);
      return new ProviderCircuit(vertx, p, ProviderCircuit.Settings.of(context == null ? null : context.config()));
    });
  }

  void close() {
    byId.values().forEach(ProviderCircuit::close);
    byId.clear();
  }
}
