package dev.skillhost.host.plugins;

import dev.skillhost.api.Job;
import dev.skillhost.api.ProviderContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** A plugin host on temp dirs with a short debounce, and helpers to wait for it without sleeping. */
final class PluginFixture {

  static final String HOST_VERSION = "0.1.0";
  static final Duration DEBOUNCE = Duration.ofMillis(100);

  final Vertx vertx;
  final Path pluginsDir;
  final Path workDir;
  final Path dataDir;
  final TestArtifacts artifacts;
  final Clock clock;
  private final Map<String, ProviderContext> contexts = new ConcurrentHashMap<>();
  private volatile PluginHost host;

  PluginFixture(Vertx vertx, Path root, Clock clock) throws IOException {
    this.vertx = vertx;
    this.pluginsDir = Files.createDirectories(root.resolve("plugins"));
    this.workDir = root.resolve("work");
    this.dataDir = root.resolve("data");
    this.artifacts = new TestArtifacts(vertx, root.resolve("files"));
    this.clock = clock;
  }

  PluginHostOptions options() {
    // A long rescan interval: the tests prove the watcher, not the periodic safety net.
    return new PluginHostOptions(pluginsDir, workDir, HOST_VERSION, this::context, DEBOUNCE,
        Duration.ofMinutes(5), Duration.ofSeconds(10));
  }

  Future<PluginHost> start() {
    return PluginHost.start(vertx, options()).onSuccess(h -> host = h);
  }

  ProviderContext context(String id) {
    return contexts.computeIfAbsent(id, k ->
        new HostProviderContext(vertx, null, new JsonObject(), artifacts, dataDir.resolve(k), clock, k));
  }

  Future<Void> close() {
    PluginHost h = host;
    return h == null ? Future.succeededFuture() : h.close();
  }

  /** Completes once {@code condition} holds, checking every 20 ms on a timer; fails after {@code within}. */
  Future<Void> until(BooleanSupplier condition, Duration within, Supplier<String> what) {
    return until(condition, System.nanoTime() + within.toNanos(), what);
  }

  private Future<Void> until(BooleanSupplier condition, long deadline, Supplier<String> what) {
    if (condition.getAsBoolean()) return Future.succeededFuture();
    if (System.nanoTime() - deadline > 0) return Future.failedFuture(new AssertionError("timed out waiting for " + what.get()));
    return vertx.timer(20).compose(v -> until(condition, deadline, what));
  }

  /** Shadow copies in the work dir now (blocking; tiny). */
  List<String> shadows() {
    if (!Files.isDirectory(workDir)) return List.of();
    try (Stream<Path> files = Files.list(workDir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar")).sorted().toList();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs blocking test setup (writing jars) off the event loop. */
  <T> Future<T> blocking(java.util.concurrent.Callable<T> work) {
    return vertx.executeBlocking(work);
  }

  static Job job(String taskId, String operation, JsonObject params) {
    return new Job(taskId, operation, params, List.of(), "en");
  }

  static Job job(String taskId, String operation, JsonObject params, List<Job.Input> inputs) {
    return new Job(taskId, operation, params, inputs, "en");
  }

  static Optional<String> version(PluginHost host) {
    return host.provider("sim").map(LiveProvider::version);
  }

  /** The first refusal text in the statuses, or "". */
  static String error(PluginHost host) {
    return host.statuses().stream().map(ProviderStatus::error).filter(e -> e != null).findFirst().orElse("");
  }
}
