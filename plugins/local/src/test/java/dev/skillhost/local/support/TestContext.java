package dev.skillhost.local.support;

import dev.skillhost.api.Artifacts;
import dev.skillhost.api.ProviderContext;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/** The context the host would give the local provider, over a temp directory. */
public final class TestContext implements ProviderContext {

  private final Vertx vertx;
  private final DirArtifacts artifacts;
  private final Path dataDir;
  private final JsonObject config;

  public TestContext(Vertx vertx, Path dir, JsonObject config) throws IOException {
    this.vertx = vertx;
    this.artifacts = new DirArtifacts(vertx, dir);
    this.dataDir = Files.createDirectories(dir.resolve("provider-data"));
    this.config = config;
  }

  public TestContext(Vertx vertx, Path dir) throws IOException {
    this(vertx, dir, new JsonObject());
  }

  public DirArtifacts files() {
    return artifacts;
  }

  @Override
  public Vertx vertx() {
    return vertx;
  }

  @Override
  public HttpClient http() {
    throw new IllegalStateException("the local provider works offline: it must never ask for the HTTP client");
  }

  @Override
  public JsonObject config() {
    return config.copy();
  }

  @Override
  public Optional<String> secret(String name) {
    return Optional.empty();
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
    return Clock.systemUTC();
  }

  @Override
  public System.Logger log() {
    return System.getLogger("dev.skillhost.provider.local");
  }

  @Override
  public String providerId() {
    return "local";
  }
}
