package dev.skillhost.bench;

import dev.skillhost.host.api.ApiKeys;
import dev.skillhost.host.boot.ConfigLoader;
import dev.skillhost.host.boot.Host;
import dev.skillhost.host.boot.HostConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;

/**
 * {@code make bench}: a real host (SQLite file, sim plugin jar) driven over HTTP and WebSocket on
 * loopback, in one JVM on this machine's cores. Prints durable submits per second (median of five
 * runs) with the process's CPU time per submit, submit → first WebSocket event latency, and heap
 * per waiting task.
 */
public final class HostBench {

  private static final int RUN = 10_000;
  private static final int RUNS = 5;
  private static final int IN_FLIGHT = 64;
  private static final int LATENCY_SAMPLES = 2_000;
  private static final JsonObject WAITING = new JsonObject().put("provider", "sim").put("operation", "t2v")
      .put("params", new JsonObject().put("duration_ms", 3_600_000));

  private final Vertx vertx = Vertx.vertx();
  private final WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1"),
      new PoolOptions().setHttp1MaxSize(IN_FLIGHT / 2));
  private final WebSocketClient wsClient = vertx.createWebSocketClient();
  private Host host;
  private String key;

  public static void main(String[] args) throws Exception {
    new HostBench().run();
  }

  private void run() throws Exception {
    Path data = Files.createTempDirectory("skillhost-bench");
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
    host = Host.start(vertx, config).await();
    System.out.printf("machine: %d cores, %s %s, max heap %d MB%n", Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.vm.name"), System.getProperty("java.version"),
        Runtime.getRuntime().maxMemory() >> 20);

    // warm-up (JIT): one run that is not counted
    submitMany(RUN, WAITING);
    settle(RUN);
    long baseline = usedHeapAfterGc();
    int waitingBefore = host.engine().waiting().await();

    List<Double> rates = new ArrayList<>();
    List<Double> cpus = new ArrayList<>();
    double perTask = 0;
    for (int run = 1; run <= RUNS; run++) {
      long t0 = System.nanoTime();
      long cpu0 = processCpuNanos();
      submitMany(RUN, WAITING);
      double seconds = (System.nanoTime() - t0) / 1e9;
      rates.add(RUN / seconds);
      cpus.add((processCpuNanos() - cpu0) / 1e3 / RUN);
      if (run == 1) {
        settle(waitingBefore + RUN);
        perTask = (usedHeapAfterGc() - baseline) / (double) (host.engine().waiting().await() - waitingBefore);
      }
    }
    List<Double> sorted = new ArrayList<>(rates);
    Collections.sort(sorted);
    System.out.printf("durable submits/s:          median %,.0f  (runs: %s; %,d tasks each, %d in flight)%n",
        sorted.get(RUNS / 2), String.join(", ", rates.stream().map(r -> String.format("%,.0f", r)).toList()),
        RUN, IN_FLIGHT);
    List<Double> sortedCpu = new ArrayList<>(cpus);
    Collections.sort(sortedCpu);
    System.out.printf("CPU per durable submit:     median %,.0f µs  (runs: %s; host and load generator, all threads)%n",
        sortedCpu.get(RUNS / 2), String.join(", ", cpus.stream().map(c -> String.format("%,.0f", c)).toList()));
    System.out.printf("heap per waiting task:      %.1f KB  (%,d more waiting tasks, heap after GC)%n", perTask / 1024, RUN);

    Histogram latency = firstEventLatency();
    System.out.printf("submit → first WS event:    p50 %.2f ms  p99 %.2f ms  max %.2f ms  (%,d sequential submits)%n",
        latency.getValueAtPercentile(50) / 1000.0, latency.getValueAtPercentile(99) / 1000.0,
        latency.getMaxValue() / 1000.0, LATENCY_SAMPLES);

    host.close().await();
    client.close();
    wsClient.close().await();
    vertx.close().await();
    deleteTree(data);
  }

  private static void deleteTree(Path dir) throws java.io.IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Submits {@code n} tasks with {@code IN_FLIGHT} requests outstanding; each reply means stored. */
  private void submitMany(int n, JsonObject body) {
    AtomicInteger sent = new AtomicInteger();
    List<Future<Void>> lanes = new ArrayList<>();
    for (int i = 0; i < IN_FLIGHT; i++) {
      lanes.add(lane(sent, n, body));
    }
    Future.all(lanes).await();
  }

  private Future<Void> lane(AtomicInteger sent, int n, JsonObject body) {
    if (sent.getAndIncrement() >= n) {
      return Future.succeededFuture();
    }
    return submit(body).compose(id -> lane(sent, n, body));
  }

  private Future<String> submit(JsonObject body) {
    return client.post(host.port(), "127.0.0.1", "/v1/tasks").bearerTokenAuthentication(key).sendJsonObject(body)
        .map(r -> {
          if (r.statusCode() != 202) {
            throw new IllegalStateException("submit answered " + r.statusCode() + ": " + r.bodyAsString());
          }
          return r.bodyAsJsonObject().getString("id");
        });
  }

  /** Waits until the engine has taken every submitted task past submitting. */
  private void settle(int expected) throws InterruptedException {
    while (host.engine().waiting().await() < expected) {
      Thread.sleep(50);
    }
    Thread.sleep(1_000);
  }

  private Histogram firstEventLatency() {
    Histogram h = new Histogram(3);
    WebSocket ws = wsClient.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(host.port())
        .setURI("/v1/stream").addHeader("Authorization", "Bearer " + key)).await();
    Promise<Void> subscribed = Promise.promise();
    long[] sentAt = new long[1];
    Promise<?>[] arrived = new Promise<?>[1];
    ws.textMessageHandler(text -> {
      JsonObject f = new JsonObject(text);
      if ("subscribed".equals(f.getString("type"))) {
        subscribed.tryComplete();
      } else if (Long.valueOf(1).equals(f.getLong("seq")) && arrived[0] != null) {
        h.recordValue((System.nanoTime() - sentAt[0]) / 1_000);
        arrived[0].tryComplete();
      }
    });
    ws.writeTextMessage(new JsonObject().put("op", "subscribe").put("task", "*").encode());
    subscribed.future().await();
    for (int i = 0; i < LATENCY_SAMPLES + 200; i++) {
      Promise<Void> p = Promise.promise();
      arrived[0] = p;
      sentAt[0] = System.nanoTime();
      Future.all(submit(WAITING), p.future()).await();
      if (i == 199) {
        h.reset(); // the first 200 warm the path up
      }
    }
    ws.close().await();
    return h;
  }

  /**
   * CPU time of this whole process (host, load generator, GC, JIT): what a submit costs does not
   * depend on what else runs on the machine, as submits per second do.
   */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    var memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return memory.getHeapMemoryUsage().getUsed();
  }

}
