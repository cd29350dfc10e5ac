package dev.skillhost.host.cli;

import dev.skillhost.host.testing.PluginJarBuilder;
import dev.skillhost.host.testing.TestHost;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real host (sim plugin, plus a "signer" plugin with a device login) for every CLI test class:
 * starting a host costs seconds here, a CLI process about one, and the tests must stay near 40 s.
 * Started by the first class that asks, closed when the whole run ends. Its data directory is
 * {@code <root>/data}, so a CLI started in {@code <root>} finds the key as it would beside a host.
 *
 * <p>The CLI is blocking code run as a separate process, so these tests block too (futures are
 * awaited with a bound) rather than using vertx-junit5's test context.
 */
final class SharedHost implements ExtensionContext.Store.CloseableResource {

  /** The extension that hands the shared host to a test class ({@link #get()}). */
  static final class Extension implements BeforeAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
      context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
          .getOrComputeIfAbsent(SharedHost.class, k -> start(), SharedHost.class);
    }
  }

  private static SharedHost current;

  final Path root;
  final TestHost host;
  private final Vertx vertx;

  private SharedHost(Path root, Vertx vertx, TestHost host) {
    this.root = root;
    this.vertx = vertx;
    this.host = host;
  }

  static SharedHost get() {
    return current;
  }

  private static SharedHost start() {
    Vertx vertx = Vertx.vertx();
    try {
      Path root = Files.createTempDirectory("skillhost-cli-");
      TestHost host = await(TestHost.start(vertx, root.resolve("data")));
      PluginJarBuilder.create("signer", "1.0.0").withClass("dev.skillhost.testplugin.Signer", dev.skillhost.host.testing.SignerPlugin.SOURCE)
          .withExtensionIndex("dev.skillhost.testplugin.Signer").deploy(host.pluginsDir, "signer.jar");
      current = new SharedHost(root, vertx, host);
      current.awaitProvider("signer");
      return current;
    } catch (Exception e) {
      vertx.close();
      throw new IllegalStateException("the shared test host did not start: " + e, e);
    }
  }

  String url() {
    return "http://127.0.0.1:" + host.port();
  }

  /** A sim task made over the API (not by the CLI under test). */
  String submit(String operation, JsonObject params) throws Exception {
    return await(host.submit(operation, params));
  }

  JsonObject awaitState(String id, String state) throws Exception {
    return await(host.awaitState(id, state));
  }

  JsonObject task(String id) throws Exception {
    return await(host.get("/v1/tasks/" + id)).bodyAsJsonObject();
  }

  private void awaitProvider(String id) throws Exception {
    Predicate<JsonObject> up = body -> body.getJsonArray("providers").stream()
        .anyMatch(p -> id.equals(((JsonObject) p).getString("id")));
    for (int i = 0; i < 400 && !up.test(await(host.get("/v1/providers")).bodyAsJsonObject()); i++) {
      Thread.sleep(25);
    }
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    try {
      await(host.close());
    } finally {
      await(vertx.close());
      try (Stream<Path> files = Files.walk(root)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException ignored) {
        // a temp dir left behind is harmless
      }
    }
  }
}
