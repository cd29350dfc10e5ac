package dev.skillhost.bench;

import dev.skillhost.host.api.ApiKeys;
import dev.skillhost.host.boot.ConfigLoader;
import dev.skillhost.host.boot.Host;
import dev.skillhost.host.boot.HostConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code make bench}: WebSocket fan-out. A real host (SQLite file, sim plugin jar) with 10,000
 * WebSocket subscribers on {@code /v1/stream}: a few follow every task of the key ({@code "*"}),
 * the rest one task each; 200 sim tasks each make a progress event about once a second. The
 * sockets connect first, the tasks are submitted, then every socket subscribes.
 * Prints deliveries per second and the delay from each event's creation (its {@code at}) to its
 * receipt, p50/p99/max.
 *
 * <p>The subscribers live in a second JVM ({@link FanoutClients}): one process may hold only
 * {@code ulimit -n} descriptors, and 10,000 sockets need 20,000 with both ends in one. Both
 * processes share this machine's cores, so the figures include the clients' own cost. Knobs
 * (system properties): {@code fanout.sockets} (10000), {@code fanout.all} (50 on {@code "*"}),
 * {@code fanout.tasks} (200), {@code fanout.pollMs} (1000), {@code fanout.windowS} (20).
 */
public final class FanoutBench {

  private static final int SOCKETS = Integer.getInteger("fanout.sockets", 10_000);
  private static final int ALL = Integer.getInteger("fanout.all", 50);
  private static final int TASKS = Integer.getInteger("fanout.tasks", 200);
  private static final int POLL_MS = Integer.getInteger("fanout.pollMs", 1_000);
  private static final int WINDOW_S = Integer.getInteger("fanout.windowS", 20);
  /** Long enough to outlast setup and window, short enough that each poll moves progress ≥ 1% (one event). */
  private static final long TASK_MS = 80L * POLL_MS;

  private final Vertx vertx = Vertx.vertx();
  private final WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1"),
      new io.vertx.core.http.PoolOptions().setHttp1MaxSize(32));
  private Host host;
  private String key;

  public static void main(String[] args) throws Exception {
    new FanoutBench().run();
  }

  private void run() throws Exception {
    Path data = Files.createTempDirectory("skillhost-fanout");
    Path plugins = Files.createDirectories(data.resolve("plugins"));
    Path simJar = Path.of("plugins/sim/target/skillhost-plugin-sim-0.1.0.jar");
    if (!Files.exists(simJar)) {
      throw new IllegalStateException("build first (make build): no " + simJar);
    }
    Files.copy(simJar, plugins.resolve("sim.jar"), StandardCopyOption.REPLACE_EXISTING);
    key = ApiKeys.newKey();
    Files.writeString(data.resolve(ApiKeys.FILE_NAME), key + "\n");
    Duration poll = Duration.ofMillis(POLL_MS);
    HostConfig config = ConfigLoader.load(null, Map.of())
        .withHttp(new HostConfig.Http("127.0.0.1", 0, HostConfig.DEFAULT_BODY_LIMIT))
        .withDirs(data, plugins)
        .withPolling(new HostConfig.Polling(poll, poll, 30));
    host = Host.start(vertx, config).await();
    System.out.printf("machine: %d cores, %s %s; %,d sockets (%,d on \"*\", the rest on one of %,d tasks),"
            + " a progress event per task every ~%d ms%n", Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.vm.name"), System.getProperty("java.version"), SOCKETS, ALL, TASKS, POLL_MS);

    Process clients = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx1g",
        "-cp", System.getProperty("java.class.path"), FanoutClients.class.getName(),
        String.valueOf(host.port()), key, String.valueOf(SOCKETS), String.valueOf(ALL), String.valueOf(WINDOW_S))
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try (BufferedReader from = new BufferedReader(new InputStreamReader(clients.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter to = new PrintWriter(clients.getOutputStream(), true, StandardCharsets.UTF_8)) {
      String connected = expect(from, "connected");
      System.out.println("clients: connected " + connected);
      to.println(String.join(",", submitTasks()));
      System.out.println("clients: subscribed " + expect(from, "subscribed"));
      JsonObject r = new JsonObject(expect(from, "result"));
      print(r);
    } finally {
      clients.destroy();
      host.close().await();
      client.close();
      vertx.close().await();
      deleteTree(data);
    }
  }

  private static void deleteTree(Path dir) throws java.io.IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static String expect(BufferedReader from, String tag) throws java.io.IOException {
    for (String line; (line = from.readLine()) != null; ) {
      if (line.startsWith(tag + " ")) {
        return line.substring(tag.length() + 1);
      }
      System.out.println("clients: " + line);
    }
    throw new IllegalStateException("the client process ended before '" + tag + "'");
  }

  private List<String> submitTasks() {
    JsonObject body = new JsonObject().put("provider", "sim").put("operation", "t2v")
        .put("params", new JsonObject().put("duration_ms", TASK_MS));
    List<Future<String>> ids = new ArrayList<>();
    for (int i = 0; i < TASKS; i++) {
      ids.add(client.post(host.port(), "127.0.0.1", "/v1/tasks").bearerTokenAuthentication(key).sendJsonObject(body)
          .map(r -> {
            if (r.statusCode() != 202) {
              throw new IllegalStateException("submit answered " + r.statusCode() + ": " + r.bodyAsString());
            }
            return r.bodyAsJsonObject().getString("id");
          }));
    }
    Future.all(ids).await();
    return ids.stream().map(Future::result).toList();
  }

  private static void print(JsonObject r) {
    System.out.printf("events made in the window:  %,d (%,.0f/s, seen by a \"*\" subscriber)%n",
        r.getLong("events"), r.getLong("events") / (double) WINDOW_S);
    System.out.printf("deliveries:                 %,d of %,d expected in %d s: %,.0f/s; %d sockets closed as too slow%n",
        r.getLong("delivered"), r.getLong("expected"), WINDOW_S, r.getLong("delivered") / (double) WINDOW_S,
        r.getLong("closed"));
    System.out.printf("event created → received:   p50 %.2f ms  p99 %.2f ms  max %.2f ms%n",
        r.getDouble("p50Ms"), r.getDouble("p99Ms"), r.getDouble("maxMs"));
  }
}
