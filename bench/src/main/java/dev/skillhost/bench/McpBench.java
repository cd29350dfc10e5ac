package dev.skillhost.bench;

import dev.skillhost.host.api.ApiKeys;
import dev.skillhost.host.boot.ConfigLoader;
import dev.skillhost.host.boot.Host;
import dev.skillhost.host.boot.HostConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * {@code make bench} (MCP): a real host (SQLite file, sim plugin jar) driven over {@code /mcp} on
 * loopback with raw JSON-RPC (no SDK, so the client costs little). Prints tool call → task id
 * latency on a warm session (median of three runs, next to the same submit over REST), then opens
 * 500 MCP sessions, prints heap per session, and has each follow one sim task with
 * {@code task_wait} + progress: progress notifications delivered per second, and how soon after a
 * task's end its result reaches the stream. On two cores the engine itself finishes about 25 sim
 * tasks a second (each renders an output), which bounds the follow phase more than MCP does.
 */
public final class McpBench {

  private static final int CALLS = Integer.getInteger("mcp.bench.calls", 2_000);
  private static final int WARMUP = 300;
  private static final int RUNS = 3;
  private static final int SESSIONS = Integer.getInteger("mcp.bench.sessions", 500);
  private static final int OPENING = 32;
  private static final int FOLLOW_RUNS = Integer.getInteger("mcp.bench.follow.runs", 3);
  // durations spread over 10–20 s so the 500 tasks do not all end (and render their outputs) at once
  private static final long FOLLOW_TASK_MS = 10_000;
  private static final long FOLLOW_SPREAD_MS = 10_000;
  // the follow phase polls the sim often so the stream, not the poll rate, is what is measured
  private static final HostConfig.Polling FAST_POLLING = new HostConfig.Polling(Duration.ofMillis(100), Duration.ofMillis(250), 5);
  private static final JsonObject WAITING_ARGS = new JsonObject().put("prompt", "bench").put("duration_ms", 3_600_000);

  private final Vertx vertx = Vertx.vertx();
  private final HttpClient http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
      new PoolOptions().setHttp1MaxSize(SESSIONS + 64));
  private final WebClient rest = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1"));
  private final AtomicLong ids = new AtomicLong(1);
  private final List<Path> dirs = new ArrayList<>();
  private Host host;
  private String key;
  private McpWire wire;

  public static void main(String[] args) throws Exception {
    new McpBench().run();
  }

  private void run() throws Exception {
    System.out.printf("machine: %d cores, %s %s, max heap %d MB%n", Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.vm.name"), System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20);
    try {
      startHost(null);
      latency();
      host.close().await();
      // a fresh host, without the thousands of waiting tasks the latency runs left behind
      startHost(FAST_POLLING);
      sessions();
      host.close().await();
    } finally {
      http.close().await();
      rest.close();
      vertx.close().await();
      for (Path d : dirs) {
        deleteTree(d);
      }
    }
  }

  private void startHost(HostConfig.Polling polling) throws Exception {
    Path data = Files.createTempDirectory("skillhost-mcp-bench");
    dirs.add(data);
    Path plugins = Files.createDirectories(data.resolve("plugins"));
    Path simJar = Path.of("plugins/sim/target/skillhost-plugin-sim-0.1.0.jar");
    if (!Files.exists(simJar)) {
      throw new IllegalStateException("build first (make build): no " + simJar);
    }
    Files.copy(simJar, plugins.resolve("sim.jar"), StandardCopyOption.REPLACE_EXISTING);
    key = ApiKeys.newKey();
    Files.writeString(data.resolve(ApiKeys.FILE_NAME), key + "\n");
    HostConfig config = ConfigLoader.load(null, Map.of())
        .withHttp(new HostConfig.Http("127.0.0.1", 0, HostConfig.DEFAULT_BODY_LIMIT))
        .withDirs(data, plugins);
    host = Host.start(vertx, polling == null ? config : config.withPolling(polling)).await();
    wire = new McpWire(http, host.port(), key);
  }

  // ---- (a) tool call → task id ----

  private void latency() {
    String session = wire.open().await();
    List<Histogram> mcp = new ArrayList<>();
    List<Histogram> overRest = new ArrayList<>();
    measure(session, WARMUP);
    submitOverRest(WARMUP);
    for (int run = 0; run < RUNS; run++) {
      mcp.add(measure(session, CALLS));
      overRest.add(submitOverRest(CALLS));
    }
    wire.close(session).await();
    System.out.printf("MCP sim_t2v call → task id:  p50 %.2f ms  p99 %.2f ms  (median of %d runs of %,d sequential calls on one warm session; p50s %s)%n",
        median(mcp, 50), median(mcp, 99), RUNS, CALLS, figures(mcp, 50));
    System.out.printf("REST POST /v1/tasks, same:  p50 %.2f ms  p99 %.2f ms  (same host, same runs, for comparison)%n",
        median(overRest, 50), median(overRest, 99));
  }

  private Histogram measure(String session, int calls) {
    Histogram h = new Histogram(3);
    for (int i = 0; i < calls; i++) {
      long t0 = System.nanoTime();
      JsonObject result = wire.callTool(session, ids.getAndIncrement(), "sim_t2v", WAITING_ARGS, null).await();
      h.recordValue((System.nanoTime() - t0) / 1_000);
      if (result.getJsonObject("structuredContent").getString("task_id") == null) {
        throw new IllegalStateException("no task id in " + result);
      }
    }
    return h;
  }

  private Histogram submitOverRest(int calls) {
    Histogram h = new Histogram(3);
    JsonObject body = new JsonObject().put("provider", "sim").put("operation", "t2v")
        .put("params", new JsonObject().put("duration_ms", 3_600_000));
    for (int i = 0; i < calls; i++) {
      long t0 = System.nanoTime();
      int status = rest.post(host.port(), "127.0.0.1", "/v1/tasks").bearerTokenAuthentication(key).sendJsonObject(body)
          .await().statusCode();
      h.recordValue((System.nanoTime() - t0) / 1_000);
      if (status != 202) {
        throw new IllegalStateException("submit answered " + status);
      }
    }
    return h;
  }

  // ---- (b) 500 sessions following a task each ----

  private void sessions() throws InterruptedException {
    wire.close(wire.open().await()).await(); // warm the path
    long before = usedHeapAfterGc();
    List<String> sessions = openSessions();
    long after = usedHeapAfterGc();
    System.out.printf("heap per open MCP session:  %.1f KB  (%,d sessions, heap after GC before/after opening them)%n",
        (after - before) / 1024.0 / SESSIONS, SESSIONS);
    List<Followed> runs = new ArrayList<>();
    for (int run = 0; run < FOLLOW_RUNS; run++) {
      runs.add(follow(sessions));
    }
    List<Followed> byRate = new ArrayList<>(runs);
    byRate.sort(java.util.Comparator.comparingDouble(McpBench::rate));
    Followed mid = byRate.get(FOLLOW_RUNS / 2);
    System.out.printf("MCP progress events/s:      median %,.0f  (runs: %s; %,d sessions each following one %d–%d s sim task "
            + "with task_wait; %.1f events per task, all %,d followed in %.1f s; sim polled every %d–%d ms)%n",
        rate(mid), String.join(", ", runs.stream().map(r -> String.format("%,.0f", rate(r))).toList()),
        SESSIONS, FOLLOW_TASK_MS / 1000, (FOLLOW_TASK_MS + FOLLOW_SPREAD_MS) / 1000, mid.events() / (double) SESSIONS, SESSIONS, mid.nanos() / 1e9,
        FAST_POLLING.minInterval().toMillis(), FAST_POLLING.maxInterval().toMillis());
    System.out.printf("task end → result on stream: p50 %d ms  p99 %d ms  max %d ms  (that run; end = the task's updated_at)%n",
        mid.endToResult().getValueAtPercentile(50), mid.endToResult().getValueAtPercentile(99),
        mid.endToResult().getMaxValue());
    closeAll(sessions);
  }

  /** DELETEs every session, each bounded: a DELETE the host never answers is counted, not waited for. */
  private void closeAll(List<String> sessions) {
    AtomicInteger hung = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    Future.join(sessions.stream().map(s -> wire.close(s).timeout(10, java.util.concurrent.TimeUnit.SECONDS)
        .onFailure(e -> (e instanceof java.util.concurrent.TimeoutException ? hung : failed).incrementAndGet())).toList())
        .otherwiseEmpty().await();
    if (hung.get() + failed.get() > 0) {
      System.out.printf("session DELETEs:            %d of %d unanswered after 10 s, %d failed%n", hung.get(), sessions.size(),
          failed.get());
    }
  }

  private List<String> openSessions() {
    List<String> sessions = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger left = new AtomicInteger(SESSIONS);
    List<Future<Void>> lanes = new ArrayList<>();
    for (int i = 0; i < OPENING; i++) {
      lanes.add(openLane(left, sessions));
    }
    Future.all(lanes).await();
    return new ArrayList<>(sessions);
  }

  private Future<Void> openLane(AtomicInteger left, List<String> sessions) {
    if (left.getAndDecrement() <= 0) {
      return Future.succeededFuture();
    }
    return wire.open().compose(s -> {
      sessions.add(s);
      return openLane(left, sessions);
    });
  }

  /** What one follow run saw. */
  private record Followed(long events, long nanos, Histogram endToResult) {}

  /**
   * Each session submits a sim task, then follows it with task_wait and a progress token. Counts
   * the progress notifications and, per task, the time from its end as stored ({@code updated_at})
   * to its result arriving on the stream (one JVM, one clock).
   */
  private Followed follow(List<String> sessions) {
    List<Future<String>> submits = new ArrayList<>();
    for (int i = 0; i < sessions.size(); i++) {
      JsonObject args = new JsonObject().put("prompt", "follow")
          .put("duration_ms", FOLLOW_TASK_MS + FOLLOW_SPREAD_MS * i / sessions.size());
      submits.add(wire.callTool(sessions.get(i), ids.getAndIncrement(), "sim_t2v", args, null)
          .map(r -> r.getJsonObject("structuredContent").getString("task_id")));
    }
    List<String> tasks = Future.all(submits).await().list();
    AtomicLong events = new AtomicLong();
    Histogram lag = new Histogram(3);
    long t0 = System.nanoTime();
    List<Future<JsonObject>> waits = new ArrayList<>();
    for (int i = 0; i < sessions.size(); i++) {
      waits.add(wire.callTool(sessions.get(i), ids.getAndIncrement(), "task_wait",
          new JsonObject().put("task_id", tasks.get(i)).put("timeout_s", 120), n -> {
            if ("notifications/progress".equals(n.getString("method"))) {
              events.incrementAndGet();
            }
          }).onSuccess(r -> {
            Instant ended = Instant.parse(r.getJsonObject("structuredContent").getString("updated_at"));
            synchronized (lag) {
              lag.recordValue(Math.max(0, Duration.between(ended, Instant.now()).toMillis()));
            }
          }));
    }
    List<JsonObject> done = Future.all(waits).await().list();
    long elapsed = System.nanoTime() - t0;
    long notDone = done.stream().filter(r -> !"succeeded".equals(r.getJsonObject("structuredContent").getString("state"))).count();
    if (notDone > 0) {
      throw new IllegalStateException(notDone + " of " + sessions.size() + " followed tasks did not succeed");
    }
    return new Followed(events.get(), elapsed, lag);
  }

  // ---- figures ----

  private static double rate(Followed f) {
    return f.events() / (f.nanos() / 1e9);
  }

  private static double median(List<Histogram> runs, double percentile) {
    List<Double> v = new ArrayList<>(runs.stream().map(h -> h.getValueAtPercentile(percentile) / 1000.0).toList());
    Collections.sort(v);
    return v.get(v.size() / 2);
  }

  private static String figures(List<Histogram> runs, double percentile) {
    return String.join(", ", runs.stream().map(h -> String.format("%.2f", h.getValueAtPercentile(percentile) / 1000.0)).toList());
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    var memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return memory.getHeapMemoryUsage().getUsed();
  }

  private static void deleteTree(Path dir) throws java.io.IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
