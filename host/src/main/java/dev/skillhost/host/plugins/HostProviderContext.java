package dev.skillhost.host.plugins;

import dev.skillhost.api.Artifacts;
import dev.skillhost.api.ProviderContext;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@link ProviderContext} the host gives one provider. Boot makes one per provider id and keeps
 * it across plugin swaps, so every version of a plugin sees the same config, data dir and files.
 *
 * <p>Secrets come from the {@code secrets} object of the provider's config section first, then
 * from the environment, so {@code LOVART_ACCESS_KEY} works as it does for the official skills.
 */
public final class HostProviderContext implements ProviderContext {

  private final Vertx vertx;
  private final HttpClient http;
  private final JsonObject config;
  private final Artifacts artifacts;
  private final Path dataDir;
  private final Clock clock;
  private final String providerId;
  private final System.Logger log;

  /**
   * @param config  the provider's section of the host configuration ({@code providers.<id>}), or null
   * @param dataDir the provider's private directory; created by the provider on demand
   */
  public HostProviderContext(Vertx vertx, HttpClient http, JsonObject config, Artifacts artifacts, Path dataDir,
      Clock clock, String providerId) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.http = http;
    this.config = config == null ? new JsonObject() : config.copy();
    this.artifacts = Objects.requireNonNull(artifacts, "artifacts");
    this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
    this.clock = clock == null ? Clock.systemUTC() : clock;
    this.providerId = Objects.requireNonNull(providerId, "providerId");
    this.log = System.getLogger("dev.skillhost.provider." + providerId);
  }

  @Override
  public Vertx vertx() {
    return vertx;
  }

  @Override
  public HttpClient http() {
    return http;
  }

  @Override
  public JsonObject config() {
    return config.copy();
  }

  @Override
  public Optional<String> secret(String name) {
    JsonObject secrets = config.getJsonObject("secrets");
    String configured = secrets == null ? null : secrets.getString(name);
    if (configured != null && !configured.isEmpty()) return Optional.of(configured);
    return Optional.ofNullable(System.getenv(name)).filter(v -> !v.isEmpty());
  }

  @Override
  public Artifacts artifacts() {
    return artifacts;
  }

  @Override
  public Path dataDir() {
    return dataDir;
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public System.Logger log() {
    return log;
  }

  @Override
  public String providerId() {
    return providerId;
  }
}
