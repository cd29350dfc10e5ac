package dev.skillhost.feishu.support;

import dev.skillhost.api.Artifacts;
import dev.skillhost.api.ProviderContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;

/**
 * The context the host would give the channel: its config section, secrets (no environment
 * fallback, so a developer's own FEISHU_* cannot leak in), a content-addressed store in a temp
 * directory, and one HTTP client kept for the test's life.
 */
public final class TestContext implements ProviderContext {

  private final Vertx vertx;
  private final HttpClient http;
  private final Path store;
  private final Path dataDir;
  private final Map<String, String> secrets = new HashMap<>();
  private JsonObject config = new JsonObject();

  public TestContext(Vertx vertx, Path dir) throws IOException {
    this.vertx = vertx;
    this.http = vertx.createHttpClient();
    this.store = Files.createDirectories(dir.resolve("files"));
    this.dataDir = Files.createDirectories(dir.resolve("data"));
  }

  public TestContext secret(String name, String value) {
    secrets.put(name, value);
    return this;
  }

  public TestContext config(JsonObject next) {
    config = next.copy();
    return this;
  }

  /** Stores bytes as the host would after downloading an output; answers the artifact id. */
  public String put(byte[] bytes) throws Exception {
    String id = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    Files.write(store.resolve(id), bytes);
    return id;
  }

  public Future<Void> close() {
    return http.close();
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
    return Optional.ofNullable(secrets.get(name));
  }

  @Override
  public Artifacts artifacts() {
    return new Artifacts() {
      @Override
      public Future<Path> path(String fileId) {
        Path p = store.resolve(fileId);
        return Files.exists(p) ? Future.succeededFuture(p)
            : Future.failedFuture(new NoSuchElementException("no artifact with id '" + fileId + "'"));
      }

      @Override
      public Future<StoredFile> store(Path file, String mimeHint) {
        return Future.failedFuture(new UnsupportedOperationException("a channel only reads the store"));
      }

      @Override
      public Future<StoredFile> store(Buffer bytes, String mimeHint) {
        return Future.failedFuture(new UnsupportedOperationException("a channel only reads the store"));
      }

      @Override
      public Path scratch(String suffix) {
        return dataDir.resolve(UUID.randomUUID() + suffix);
      }
    };
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
    return System.getLogger("dev.skillhost.channel.feishu");
  }

  @Override
  public String providerId() {
    return "feishu";
  }
}
