package dev.skillhost.bench;

import dev.skillhost.host.api.ApiKeys;
import dev.skillhost.host.boot.ConfigLoader;
import dev.skillhost.host.boot.Host;
import dev.skillhost.host.boot.HostConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * {@code make bench} (Lovart): 1,000 concurrent Lovart tasks through a real host with the real
 * plugin jar, against the Lovart simulator in its own JVM, under the documented query limit (300 a
 * minute, 3000 an hour, in the simulator and in the plugin's buckets). The chat limit (60 a minute,
 * 600 an hour) is lifted on both sides: at 600 an hour, 1,000 submits alone take 100 minutes.
 * Each message runs a uniform 30–120 s (the manifest's image ETA range). Prints upstream requests
 * per task, 429s received, and the delay from the simulator finishing a message to the host
 * recording the task's end (p50/p99).
 */
public final class LovartBench {

  private static final int TASKS = Integer.getInteger("lovart.bench.tasks", 1000);
  private static final String AK = "ak_bench";
  private static final String SK = "sk_bench";

  public static void main(String[] args) throws Exception {
    Process sim = startSimulator();
    try {
      String base = new BufferedReader(new InputStreamReader(sim.getInputStream())).readLine();
      if (base == null || !base.startsWith("http")) {
        throw new IllegalStateException("the simulator did not start: " + base);
      }
      run(base);
    } finally {
      sim.destroy();
    }
    System.exit(0);
  }

  private static Process startSimulator() throws Exception {
    Path classes = Path.of("simulators/target/classes");
    if (!Files.isDirectory(classes)) {
      throw new IllegalStateException("build first (make build): no " + classes);
    }
    String cp = classes.toAbsolutePath() + File.pathSeparator + System.getProperty("java.class.path");
    return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", cp,
        "dev.skillhost.simulators.lovart.LovartSimulator", "--port", "0", "--ak", AK, "--sk", SK,
        "--run-ms", "30000", "--run-ms-max", "120000", "--chat-per-minute", "100000", "--chat-per-hour", "1000000",
        "--query-per-minute", "300", "--query-per-hour", "3000")
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  private static void run(String simBase) throws Exception {
    System.setProperty("skillhost.lovart.limits", "100000,1000000,300,3000");
    Vertx vertx = Vertx.vertx();
    WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1"),
        new PoolOptions().setHttp1MaxSize(16));
    Path data = Files.createTempDirectory("skillhost-lovart-bench");
    Path plugins = Files.createDirectories(data.resolve("plugins"));
    Path jar = Path.of("plugins/lovart/target/skillhost-plugin-lovart-0.1.0.jar");
    if (!Files.exists(jar)) {
      throw new IllegalStateException("build first (make build): no " + jar);
    }
    Files.copy(jar, plugins.resolve("lovart.jar"), StandardCopyOption.REPLACE_EXISTING);
    String key = ApiKeys.newKey();
    Files.writeString(data.resolve(ApiKeys.FILE_NAME), key + "\n");
    JsonObject lovart = new JsonObject().put("base_url", simBase)
        .put("secrets", new JsonObject().put("LOVART_ACCESS_KEY", AK).put("LOVART_SECRET_KEY", SK));
    HostConfig config = ConfigLoader.load(null, Map.of())
        .withHttp(new HostConfig.Http("127.0.0.1", 0, HostConfig.DEFAULT_BODY_LIMIT))
        .withDirs(data, plugins).withProviders(Map.of("lovart", lovart))
        // the simulated CDN is on 127.0.0.1: let the host copy the results as it would from a real one
        .withNet(new HostConfig.Net(List.of("127.0.0.1")));
    Host host = Host.start(vertx, config).await();
    int port = host.port();

    long t0 = System.currentTimeMillis();
    List<Future<String>> ids = new ArrayList<>();
    for (int i = 0; i < TASKS; i++) {
      JsonObject body = new JsonObject().put("skill", "lovart").put("operation", "text2image")
          .put("params", new JsonObject().put("prompt", "bench poster " + i));
      ids.add(client.post(port, "127.0.0.1", "/v1/tasks").bearerTokenAuthentication(key).sendJsonObject(body)
          .map(r -> r.bodyAsJsonObject().getString("id")));
    }
    Future.all(ids).await();
    System.out.printf("submitted %d Lovart tasks in %d ms%n", TASKS, System.currentTimeMillis() - t0);

    Map<String, JsonObject> done = new HashMap<>();
    while (done.size() < TASKS) {
      Thread.sleep(5000);
      String cursor = null;
      do {
        String q = "/v1/tasks?state=succeeded,failed,cancelled&provider=lovart&limit=500" + (cursor == null ? "" : "&cursor=" + cursor);
        JsonObject page = client.get(port, "127.0.0.1", q).bearerTokenAuthentication(key).send().await().bodyAsJsonObject();
        for (Object o : page.getJsonArray("tasks", new JsonArray())) {
          JsonObject t = (JsonObject) o;
          done.put(t.getString("id"), t);
        }
        cursor = page.getString("next");
      } while (cursor != null);
      JsonObject stats = client.getAbs(simBase + "/_sim/stats").send().await().bodyAsJsonObject();
      System.out.printf("t=%3ds finished %d/%d, upstream requests %d, 429s %d%n", (System.currentTimeMillis() - t0) / 1000,
          done.size(), TASKS, stats.getLong("requests_total"), stats.getLong("rate_limited"));
    }

    JsonObject stats = client.getAbs(simBase + "/_sim/stats").send().await().bodyAsJsonObject();
    JsonObject finishedAt = stats.getJsonObject("finished_at");
    Histogram delay = new Histogram(3_600_000L, 3);
    int failed = 0;
    for (JsonObject t : done.values()) {
      if (!"succeeded".equals(t.getString("state"))) {
        failed++;
        continue;
      }
      long upstreamEnd = finishedAt.getLong(t.getString("upstream_id"), -1L);
      long hostEnd = Instant.parse(t.getString("updated_at")).toEpochMilli();
      if (upstreamEnd > 0) {
        delay.recordValue(Math.max(0, hostEnd - upstreamEnd));
      }
    }
    System.out.printf("lovart: %d tasks, %d failed, wall %d s%n", TASKS, failed, (System.currentTimeMillis() - t0) / 1000);
    System.out.printf("lovart: upstream requests per task %.2f (%s)%n", stats.getLong("requests_total") / (double) TASKS,
        stats.getJsonObject("requests").encode());
    System.out.printf("lovart: 429s received %d%n", stats.getLong("rate_limited"));
    System.out.printf("lovart: simulator done -> host terminal event: p50 %.1f s, p99 %.1f s, max %.1f s%n",
        delay.getValueAtPercentile(50) / 1000.0, delay.getValueAtPercentile(99) / 1000.0, delay.getMaxValue() / 1000.0);
    host.close().await();
    client.close();
    vertx.close().await();
  }
}
