package dev.skillhost.bench;

import dev.skillhost.cluster.Cluster;
import dev.skillhost.cluster.HostNode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;

/**
 * {@code make bench} (issue 15): 1, 2 and 3 host processes ({@code java -jar}, as {@code make
 * cluster} runs them) on one private PostgreSQL, the sim plugin, on this machine's cores, which the
 * nodes, the database and this load generator all share. Prints durable submits/s round-robin over
 * the nodes (median of three runs) with its ratio to one node; submit → first WebSocket event with
 * the socket on the node that took the submit and on another node; and the takeover time over
 * several {@code kill -9}s of a node holding running tasks (kill → first event a survivor stores
 * for each of them), p50/p99.
 */
public final class ClusterBench {

  private static final int RUN = Integer.getInteger("cluster.bench.run", 5_000);
  private static final int RUNS = 3;
  private static final int IN_FLIGHT = 64;
  private static final int LATENCY_SAMPLES = 500;
  private static final int KILLS = Integer.getInteger("cluster.bench.kills", 5);
  private static final int TASKS_PER_KILL = 100;
  private static final JsonObject WAITING = new JsonObject().put("provider", "sim").put("operation", "t2v")
      .put("params", new JsonObject().put("duration_ms", 3_600_000));
  private static final JsonObject SHORT = new JsonObject().put("provider", "sim").put("operation", "t2v")
      .put("params", new JsonObject().put("duration_ms", 8_000));

  private final Vertx vertx = Vertx.vertx();
  private final WebSocketClient wsClient = vertx.createWebSocketClient();

  public static void main(String[] args) throws Exception {
    new ClusterBench().run();
    System.exit(0);
  }

  private void run() throws Exception {
    System.out.printf("machine: %d cores shared by every node, PostgreSQL and this load generator%n",
        Runtime.getRuntime().availableProcessors());
    double one = 0;
    for (int n = 1; n <= 3; n++) {
      try (Cluster c = Cluster.start(vertx, "bench" + n, new Cluster.Options().nodes(n).plugins(List.of("sim")))) {
        submitMany(c, 3_000); // warm-up (JIT, pools, the database's caches)
        List<Double> rates = new ArrayList<>();
        for (int r = 0; r < RUNS; r++) {
          long t0 = System.nanoTime();
          submitMany(c, RUN);
          rates.add(RUN / ((System.nanoTime() - t0) / 1e9));
        }
        Collections.sort(rates);
        double median = rates.get(RUNS / 2);
        one = n == 1 ? median : one;
        System.out.printf("cluster %d node%s: durable submits/s median %,.0f (×%.2f of one node; runs %s; %,d tasks, %d in flight)%n",
            n, n == 1 ? " " : "s", median, median / one,
            String.join(", ", rates.stream().map(x -> String.format("%,.0f", x)).toList()), RUN, IN_FLIGHT);
        latency(c, n, 0, "same node");
        if (n > 1) {
          latency(c, n, 1, "next node");
        }
      }
    }
    takeover();
    wsClient.close().await();
    vertx.close().await();
  }

  /** Submits {@code total} waiting tasks, round-robin over the nodes, {@code IN_FLIGHT} outstanding. */
  private void submitMany(Cluster c, int total) {
    AtomicInteger sent = new AtomicInteger();
    List<Future<Void>> lanes = new ArrayList<>();
    for (int i = 0; i < IN_FLIGHT; i++) {
      lanes.add(lane(c, sent, total));
    }
    Future.all(lanes).await();
  }

  private Future<Void> lane(Cluster c, AtomicInteger sent, int total) {
    int i = sent.getAndIncrement();
    if (i >= total) {
      return Future.succeededFuture();
    }
    HostNode n = c.nodes().get(i % c.nodes().size());
    return submit(c, n, WAITING).compose(id -> lane(c, sent, total));
  }

  private static Future<String> submit(Cluster c, HostNode n, JsonObject body) {
    return c.post(n, "/v1/tasks", body, null).map(r -> {
      if (r.statusCode() != 202) {
        throw new IllegalStateException(n + " answered " + r.statusCode() + ": " + r.bodyAsString());
      }
      return r.bodyAsJsonObject().getString("id");
    });
  }

  /**
   * Sequential submits to node {@code i mod n}, each timed to its first event ({@code seq} 1) on a
   * socket following all the key's tasks ({@code "*"}) on node {@code i + offset mod n}.
   */
  private void latency(Cluster c, int n, int offset, String where) {
    Histogram h = new Histogram(3);
    List<HostNode> nodes = c.nodes();
    List<WebSocket> sockets = new ArrayList<>();
    List<Map<String, Promise<Long>>> firsts = new ArrayList<>();
    for (HostNode node : nodes) {
      WebSocket ws = wsClient.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(node.port())
          .setURI("/v1/stream").addHeader("Authorization", "Bearer " + c.key)).await();
      Promise<Void> subscribed = Promise.promise();
      Map<String, Promise<Long>> first = new ConcurrentHashMap<>();
      ws.textMessageHandler(text -> {
        long now = System.nanoTime();
        JsonObject f = new JsonObject(text);
        if ("subscribed".equals(f.getString("type"))) {
          subscribed.tryComplete();
        } else if (Long.valueOf(1).equals(f.getLong("seq"))) {
          first.computeIfAbsent(f.getString("task"), t -> Promise.promise()).tryComplete(now);
        }
      });
      ws.writeTextMessage(new JsonObject().put("op", "subscribe").put("task", "*").encode());
      subscribed.future().await();
      sockets.add(ws);
      firsts.add(first);
    }
    int missed = 0;
    for (int i = 0; i < LATENCY_SAMPLES + 100 && missed < 5; i++) {
      Map<String, Promise<Long>> first = firsts.get((i + offset) % n);
      long sentAt = System.nanoTime();
      String id = submit(c, nodes.get(i % n), WAITING).await();
      try {
        long at = first.computeIfAbsent(id, t -> Promise.promise()).future().await(5, TimeUnit.SECONDS);
        if (i >= 100) { // the first 100 warm the path up
          h.recordValue((at - sentAt) / 1_000);
        }
      } catch (java.util.concurrent.TimeoutException e) {
        missed++;
      }
      firsts.forEach(m -> m.remove(id));
    }
    sockets.forEach(ws -> ws.close().await());
    if (missed >= 5) {
      System.out.printf("cluster %d nodes: submit → first WS event (%s): not delivered within 5 s%n", n, where);
      return;
    }
    System.out.printf("cluster %d node%s: submit → first WS event (%s): p50 %.2f ms  p99 %.2f ms  max %.2f ms (%d sequential)%n",
        n, n == 1 ? " " : "s", where, h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0,
        h.getMaxValue() / 1000.0, h.getTotalCount());
  }

  /** Kills each node in turn while it runs tasks, restarts it, and times the survivors' takeover. */
  private void takeover() throws Exception {
    if (KILLS == 0) {
      return;
    }
    Histogram h = new Histogram(3);
    List<String> perKill = new ArrayList<>();
    try (Cluster c = Cluster.start(vertx, "bench-takeover", new Cluster.Options().nodes(3).plugins(List.of("sim")))) {
      for (int k = 0; k < KILLS; k++) {
        HostNode victim = c.node(k % 3);
        HostNode reader = c.node((k + 1) % 3);
        List<Future<String>> ids = new ArrayList<>();
        for (int i = 0; i < TASKS_PER_KILL; i++) {
          ids.add(submit(c, victim, SHORT));
        }
        Future.all(ids).await();
        Thread.sleep(1_000);
        long killedAt = victim.kill();
        long worst = 0;
        for (Future<String> id : ids) {
          long first = awaitEventAfter(c, reader, id.result(), killedAt, 60_000);
          h.recordValue(first);
          worst = Math.max(worst, first);
        }
        perKill.add(victim.name + " " + worst + " ms");
        c.restart(victim);
      }
    }
    System.out.printf("takeover (kill -9 → first event on a survivor): p50 %d ms  p99 %d ms  max %d ms "
        + "(%d kills × %d running tasks; worst per kill: %s)%n", h.getValueAtPercentile(50), h.getValueAtPercentile(99),
        h.getMaxValue(), KILLS, TASKS_PER_KILL, String.join(", ", perKill));
  }

  /** Milliseconds from {@code t} to the first stored event after it, polling the task's log. */
  private static long awaitEventAfter(Cluster c, HostNode reader, String id, long t, long timeoutMs) throws Exception {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (System.currentTimeMillis() < deadline) {
      JsonArray log = c.events(reader, id).await();
      for (Object o : log) {
        long at = Instant.parse(((JsonObject) o).getString("at")).toEpochMilli();
        if (at >= t) {
          return at - t;
        }
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("no event after the kill for " + id + " within " + timeoutMs + " ms");
  }
}
