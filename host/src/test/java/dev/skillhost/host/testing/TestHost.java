package dev.skillhost.host.testing;

import dev.skillhost.host.api.ApiKeys;
import dev.skillhost.host.boot.ConfigLoader;
import dev.skillhost.host.boot.Host;
import dev.skillhost.host.boot.HostConfig;
import dev.skillhost.host.metrics.HostMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * A real host for API tests: port 0 on 127.0.0.1, a data directory of its own, the sim plugin as
 * a real jar in its plugins directory, fast polling, and two API keys (the second for "another
 * user" tests). Restartable on the same data directory.
 */
public final class TestHost {

  public final Vertx vertx;
  public final Path dataDir;
  public final Path pluginsDir;
  /** The two API keys (of the shared directory's keys file when several hosts share one). */
  public String key;
  public String otherKey;
  private final WebClient client;
  private Map<String, JsonObject> providers = Map.of();
  private UnaryOperator<HostConfig> tweak = UnaryOperator.identity();
  private Host host;
  private HostMetrics metrics;

  private TestHost(Vertx vertx, Path dataDir, String key, String otherKey) {
    this.vertx = vertx;
    this.dataDir = dataDir;
    this.pluginsDir = dataDir.resolve("plugins");
    this.key = key;
    this.otherKey = otherKey;
    this.client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1"));
  }

  /** Prepares a data directory with two keys and the sim jar, then starts a host on it. */
  public static Future<TestHost> start(Vertx vertx, Path dataDir) {
    return start(vertx, dataDir, Map.of(), List.of());
  }

  /** As {@link #start(Vertx, Path)}, with the test's own changes to the configuration (kept across restarts). */
  public static Future<TestHost> start(Vertx vertx, Path dataDir, UnaryOperator<HostConfig> tweak) {
    return start(vertx, dataDir, tweak, null);
  }

  /** As {@link #start(Vertx, Path, UnaryOperator)}, counting into {@code metrics} (null: the host's own). */
  public static Future<TestHost> start(Vertx vertx, Path dataDir, UnaryOperator<HostConfig> tweak, HostMetrics metrics) {
    return prepare(vertx, dataDir).compose(t -> {
      t.tweak = tweak;
      t.metrics = metrics;
      return t.restart().map(t);
    });
  }

  /**
   * As {@link #start(Vertx, Path)}, plus provider plugins by id as `make plugins` installs them
   * (built by the reactor; see {@link #pluginJar}) and each provider's config section
   * ({@code providers.<id>}: base URLs, {@code secrets}).
   */
  public static Future<TestHost> start(Vertx vertx, Path dataDir, Map<String, JsonObject> providers,
      List<String> plugins) {
    try {
      Files.createDirectories(dataDir.resolve("plugins"));
      for (String id : plugins) {
        Files.copy(pluginJar(id), dataDir.resolve("plugins").resolve(id + ".jar"));
      }
      return prepare(vertx, dataDir).compose(t -> {
        t.providers = Map.copyOf(providers);
        return t.restart().map(t);
      });
    } catch (IOException e) {
      return Future.failedFuture(e);
    }
  }

  /**
   * A provider plugin jar the build made: {@code <skillhost.plugin.jars>/<id>/target/
   * skillhost-plugin-<id>-<skillhost.version>.jar} (system properties the contract module sets).
   */
  public static Path pluginJar(String id) {
    String dir = System.getProperty("skillhost.plugin.jars");
    String version = System.getProperty("skillhost.version");
    if (dir == null || version == null) {
      throw new IllegalStateException("system properties skillhost.plugin.jars/skillhost.version are not set (run through mvn verify)");
    }
    Path jar = Path.of(dir, id, "target", "skillhost-plugin-" + id + "-" + version + ".jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("no plugin jar " + jar + " (mvn verify packages plugins/ before contract/)");
    }
    return jar;
  }

  /** Changes the provider config sections; takes effect at the next {@link #restart}. */
  public void providers(Map<String, JsonObject> next) {
    providers = Map.copyOf(next);
  }

  private static Future<TestHost> prepare(Vertx vertx, Path dataDir) {
    try {
      Files.createDirectories(dataDir.resolve("plugins"));
      String key = ApiKeys.newKey();
      String other = ApiKeys.newKey();
      Files.writeString(dataDir.resolve(ApiKeys.FILE_NAME), key + "\n" + other + "\n",
          StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
      PluginJarBuilder.simJar(dataDir.resolve("plugins"), "sim.jar", "1.0.0");
      return Future.succeededFuture(new TestHost(vertx, dataDir, key, other));
    } catch (IOException e) {
      return Future.failedFuture(e);
    }
  }

  /** The host's configuration: fast polling so tests of a few seconds see many looks. */
  public HostConfig config() {
    try {
      HostConfig base = ConfigLoader.load(null, Map.of());
      return tweak.apply(base.withHttp(new HostConfig.Http("127.0.0.1", 0, base.http().bodyLimit()))
          .withDirs(dataDir, pluginsDir)
          .withUploads(new HostConfig.Uploads(256 * 1024))
          .withPolling(new HostConfig.Polling(Duration.ofMillis(30), Duration.ofMillis(300), 5))
          // the repository's own manifests (tests run in host/)
          .withSkills(new HostConfig.Skills(Path.of("..", "skills"), HostConfig.Skills.DEFAULT_PREFER))
          .withProviders(providers));
    } catch (ConfigLoader.ConfigException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Starts a (new) host on the same data directory. */
  public Future<Void> restart() {
    try {
      shareKeys();
    } catch (IOException e) {
      return Future.failedFuture(e);
    }
    return (metrics == null ? Host.start(vertx, config()) : Host.start(vertx, config(), metrics))
        .onSuccess(h -> host = h).mapEmpty();
  }

  /**
   * Hosts sharing a directory share its keys: the first host there leaves its keys file, the next
   * ones take the keys from it.
   */
  private void shareKeys() throws IOException {
    Path shared = config().sharedDir();
    if (shared.toAbsolutePath().normalize().equals(dataDir.toAbsolutePath().normalize())) {
      return;
    }
    Files.createDirectories(shared);
    Path file = shared.resolve(ApiKeys.FILE_NAME);
    if (!Files.exists(file)) {
      Files.copy(dataDir.resolve(ApiKeys.FILE_NAME), file);
    }
    List<String> keys = Files.readAllLines(file).stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
    key = keys.get(0);
    otherKey = keys.get(1);
  }

  /** Stops the host, leaving its data directory as a crash would (nothing is cleaned up). */
  public Future<Void> stop() {
    Host h = host;
    host = null;
    return h == null ? Future.succeededFuture() : h.close();
  }

  public Future<Void> close() {
    return stop().eventually(() -> {
      client.close();
      return Future.succeededFuture();
    });
  }

  public Host host() {
    return host;
  }

  public int port() {
    return host.port();
  }

  public HttpRequest<Buffer> request(HttpMethod method, String path, String apiKey) {
    HttpRequest<Buffer> r = client.request(method, port(), "127.0.0.1", path);
    if (apiKey != null) {
      r.bearerTokenAuthentication(apiKey);
    }
    return r;
  }

  public Future<HttpResponse<Buffer>> post(String path, JsonObject body) {
    return request(HttpMethod.POST, path, key).sendJsonObject(body);
  }

  public Future<HttpResponse<Buffer>> get(String path) {
    return request(HttpMethod.GET, path, key).send();
  }

  /** Submits a sim task and answers its id. */
  public Future<String> submit(String operation, JsonObject params) {
    return post("/v1/tasks", new JsonObject().put("provider", "sim").put("operation", operation).put("params", params))
        .map(r -> {
          if (r.statusCode() != 202) {
            throw new AssertionError("submit answered " + r.statusCode() + ": " + r.bodyAsString());
          }
          return r.bodyAsJsonObject().getString("id");
        });
  }

  /** Polls GET /v1/tasks/{id} every 25 ms until {@code done} holds (the test's @Timeout bounds it). */
  public Future<JsonObject> await(String taskId, Predicate<JsonObject> done) {
    return get("/v1/tasks/" + taskId).compose(r -> {
      JsonObject task = r.bodyAsJsonObject();
      if (r.statusCode() == 200 && done.test(task)) {
        return Future.succeededFuture(task);
      }
      return Future.<Void>future(p -> vertx.setTimer(25, t -> p.complete())).compose(v -> await(taskId, done));
    });
  }

  public Future<JsonObject> awaitState(String taskId, String state) {
    return await(taskId, t -> state.equals(t.getString("state")));
  }

  /** Lines of the sim's submission ledger: one per submit the "backend" received. */
  public long simSubmits(String taskId) throws IOException {
    Path ledger = config().sharedDir().resolve("providers").resolve("sim").resolve("submits.log");
    if (!Files.exists(ledger)) {
      return 0;
    }
    try (var lines = Files.lines(ledger)) {
      return lines.filter(l -> l.startsWith(taskId + "\t")).count();
    }
  }
}
