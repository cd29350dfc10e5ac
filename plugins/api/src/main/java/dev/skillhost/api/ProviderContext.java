package dev.skillhost.api;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * What the host gives a provider: transport, configuration, secrets, files and time. One context
 * per provider; it outlives plugin swaps, so a new plugin version sees the same data.
 */
public interface ProviderContext {

  /** The host's Vert.x instance. Use it for timers and {@code executeBlocking}; never block it. */
  Vertx vertx();

  /**
   * The shared HTTP client (pooled, one per host). A plugin that wants the Web Client API takes
   * {@code vertx-web-client} as a provided dependency and calls {@code WebClient.wrap(ctx.http())}.
   * Do not close it.
   */
  HttpClient http();

  /** This provider's section of the host configuration ({@code providers.<id>}), or empty. */
  JsonObject config();

  /**
   * A secret by name: the provider's configured {@code secrets} first, then the environment
   * variable of that name (so {@code LOVART_ACCESS_KEY} works as it does for the official skill).
   */
  Optional<String> secret(String name);

  /** Input and output files. */
  Artifacts artifacts();

  /** A private directory for this provider's own files (credentials, ledgers); created on demand. */
  Path dataDir();

  /** The host's clock; tests may give a fixed one. */
  Clock clock();

  /** Logger named after the provider. */
  System.Logger log();

  /** This provider's id. */
  String providerId();
}
