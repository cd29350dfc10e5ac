package dev.skillhost.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;

/**
 * The subscribers of {@link FanoutBench}, in a process of their own. Connects N WebSockets,
 * prints {@code connected}, reads the task ids (one comma-separated line on stdin), subscribes the
 * first {@code all} sockets to {@code "*"} and the others round-robin to one task each from seq 0,
 * prints {@code subscribed}, then counts deliveries of events created in a window of
 * {@code windowS} seconds and prints {@code result {json}}.
 *
 * <p>Arguments: port, API key, sockets, sockets on "*", window seconds.
 */
public final class FanoutClients {

  /** Handshakes in flight while connecting. */
  private static final int CONNECTING = 200;
  /** Client addresses 127.0.0.1…4: each has its own ephemeral port range, so reruns within TIME_WAIT still connect. */
  private static final int SOURCES = 4;
  private static final int SETTLE_MS = 2_000;
  /** After the window, how long late deliveries of its events may still arrive. */
  private static final int DRAIN_MS = 3_000;

  private final Vertx vertx = Vertx.vertx();
  private final List<WebSocketClient> clients = new ArrayList<>();
  private final int port;
  private final String key;
  private final int count;
  private final int all;
  private final int windowS;
  private final WebSocket[] sockets;
  private final AtomicInteger acks = new AtomicInteger();
  private volatile int acksWanted;
  private volatile Promise<Void> acked;
  private volatile long windowStart = Long.MAX_VALUE;
  private volatile long windowEnd = Long.MAX_VALUE;
  private volatile boolean ending;
  private final LongAdder delivered = new LongAdder();
  private final LongAdder closed = new LongAdder();
  private final ConcurrentHistogram delayUs = new ConcurrentHistogram(3);
  /** Events of the window as socket 0 (on "*") saw them: "task#seq" → task. */
  private final Map<String, String> census = new ConcurrentHashMap<>();

  private FanoutClients(String[] args) {
    port = Integer.parseInt(args[0]);
    key = args[1];
    count = Integer.parseInt(args[2]);
    all = Integer.parseInt(args[3]);
    windowS = Integer.parseInt(args[4]);
    sockets = new WebSocket[count];
    for (int s = 1; s <= SOURCES; s++) {
      clients.add(vertx.createWebSocketClient(new WebSocketClientOptions().setLocalAddress("127.0.0." + s)
          .setMaxConnections(count)));
    }
  }

  public static void main(String[] args) throws Exception {
    new FanoutClients(args).run();
    System.exit(0); // the host side closes; 10,000 orderly closes would only lengthen the run
  }

  private void run() throws Exception {
    long t0 = System.nanoTime();
    AtomicInteger next = new AtomicInteger();
    List<Future<Void>> lanes = new ArrayList<>();
    for (int i = 0; i < CONNECTING; i++) {
      lanes.add(lane(next));
    }
    Future.all(lanes).await();
    System.out.printf("connected %,d sockets in %.1f s%n", count, (System.nanoTime() - t0) / 1e9);

    String[] tasks = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine().split(",");
    Map<String, Integer> perTask = new HashMap<>();
    long t1 = System.nanoTime();
    expectAcks(count);
    for (int i = 0; i < count; i++) {
      if (i < all) {
        sockets[i].writeTextMessage("{\"op\":\"subscribe\",\"task\":\"*\"}");
        continue;
      }
      String task = tasks[(i - all) % tasks.length];
      perTask.merge(task, 1, Integer::sum);
      sockets[i].writeTextMessage(new JsonObject().put("op", "subscribe").put("task", task).put("since", 0).encode());
    }
    acked.future().await();
    System.out.printf("subscribed %,d sockets to \"*\" and %,d to one of %,d tasks each in %.1f s%n", all, count - all,
        tasks.length, (System.nanoTime() - t1) / 1e9);

    Thread.sleep(SETTLE_MS);
    windowStart = System.currentTimeMillis();
    windowEnd = windowStart + windowS * 1000L;
    Thread.sleep(windowS * 1000L + DRAIN_MS);
    ending = true;

    long expected = 0;
    for (String task : census.values()) {
      expected += all + perTask.getOrDefault(task, 0);
    }
    System.out.println("result " + new JsonObject().put("events", census.size()).put("delivered", delivered.sum())
        .put("expected", expected).put("closed", closed.sum())
        .put("p50Ms", delayUs.getValueAtPercentile(50) / 1000.0).put("p99Ms", delayUs.getValueAtPercentile(99) / 1000.0)
        .put("maxMs", delayUs.getMaxValue() / 1000.0).encode());
  }

  private void expectAcks(int n) {
    acks.set(0);
    acksWanted = n;
    acked = Promise.promise();
    if (n == 0) {
      acked.complete();
    }
  }

  private Future<Void> lane(AtomicInteger next) {
    int i = next.getAndIncrement();
    if (i >= count) {
      return Future.succeededFuture();
    }
    return clients.get(i % SOURCES).connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
            .setURI("/v1/stream").addHeader("Authorization", "Bearer " + key))
        .compose(ws -> {
          sockets[i] = ws;
          ws.textMessageHandler(text -> frame(i, text));
          ws.closeHandler(v -> {
            if (!ending) {
              closed.increment();
            }
          });
          return lane(next);
        });
  }

  private void frame(int socket, String text) {
    if (text.startsWith("{\"type\"")) { // ready, subscribed, error
      if (text.startsWith("{\"type\":\"subscribed\"")) {
        if (acks.incrementAndGet() == acksWanted) {
          acked.tryComplete();
        }
      } else if (text.startsWith("{\"type\":\"error\"")) {
        System.err.println("socket " + socket + ": " + text);
      }
      return;
    }
    long nowUs = nowMicros();
    int at = text.indexOf("\"at\":\"");
    if (at < 0) {
      return;
    }
    long atMs = Instant.parse(text.substring(at + 6, text.indexOf('"', at + 6))).toEpochMilli();
    if (atMs < windowStart || atMs >= windowEnd) {
      return;
    }
    delivered.increment();
    delayUs.recordValue(Math.max(0, nowUs - atMs * 1000));
    if (socket == 0) {
      JsonObject e = new JsonObject(text);
      census.put(e.getString("task") + "#" + e.getLong("seq"), e.getString("task"));
    }
  }

  private static long nowMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
  }
}
