package dev.skillhost.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A WebSocket subscriber on one node ({@code WS /v1/stream}) following many tasks, whichever node
 * watches them: every event frame is kept per task with the time it arrived. A socket the server
 * closes is reopened and each unfinished task resubscribed with {@code since} = the last seq seen,
 * as a client is told to do; the reopenings are counted.
 */
public final class TaskFollower {

  /** What one task's stream delivered. */
  public static final class Followed {
    public final List<Long> seqs = new ArrayList<>();
    public final List<Long> arrivals = new ArrayList<>();
    public final List<String> errors = new ArrayList<>();
    public volatile String terminal;

    synchronized void add(long seq, long at) {
      seqs.add(seq);
      arrivals.add(at);
    }

    public synchronized long last() {
      return seqs.isEmpty() ? 0 : seqs.get(seqs.size() - 1);
    }

    /** Whether the seqs are exactly 1..n. */
    public synchronized boolean contiguous() {
      for (int i = 0; i < seqs.size(); i++) {
        if (seqs.get(i) != i + 1) {
          return false;
        }
      }
      return true;
    }

    public synchronized List<Long> seqsCopy() {
      return List.copyOf(seqs);
    }
  }

  private static final Set<String> TERMINAL = Set.of("succeeded", "failed", "cancelled");

  public final HostNode node;
  private final Vertx vertx;
  private final String key;
  private final WebSocketClient client;
  private final Map<String, Followed> tasks = new ConcurrentHashMap<>();
  private final AtomicInteger reopened = new AtomicInteger();
  private volatile WebSocket socket;
  private volatile boolean closing;

  private TaskFollower(Vertx vertx, HostNode node, String key) {
    this.vertx = vertx;
    this.node = node;
    this.key = key;
    this.client = vertx.createWebSocketClient();
  }

  public static Future<TaskFollower> open(Vertx vertx, HostNode node, String key) {
    TaskFollower f = new TaskFollower(vertx, node, key);
    return f.connect().map(f);
  }

  private Future<Void> connect() {
    WebSocketConnectOptions o = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(node.port())
        .setURI("/v1/stream").addHeader("Authorization", "Bearer " + key);
    return client.connect(o).map(ws -> {
      socket = ws;
      ws.textMessageHandler(this::frame);
      ws.closeHandler(v -> {
        if (!closing && node.alive()) {
          reopened.incrementAndGet();
          vertx.setTimer(100, t -> connect().onSuccess(x -> resubscribe()));
        }
      });
      return null;
    });
  }

  /** Starts following a task from its first event. */
  public void follow(String taskId) {
    tasks.putIfAbsent(taskId, new Followed());
    send(taskId, 0);
  }

  private void resubscribe() {
    tasks.forEach((id, f) -> {
      if (f.terminal == null) {
        send(id, f.last());
      }
    });
  }

  private void send(String taskId, long since) {
    WebSocket ws = socket;
    if (ws != null) {
      ws.writeTextMessage(new JsonObject().put("op", "subscribe").put("task", taskId).put("since", since).encode());
    }
  }

  private void frame(String text) {
    long now = System.currentTimeMillis();
    JsonObject m = new JsonObject(text);
    String task = m.getString("task");
    Followed f = task == null ? null : tasks.get(task);
    if (f == null) {
      return;
    }
    if (m.containsKey("seq")) {
      f.add(m.getLong("seq"), now);
      if ("state".equals(m.getString("type")) && TERMINAL.contains(m.getString("state"))) {
        f.terminal = m.getString("state");
      }
    } else if ("error".equals(m.getString("type"))) {
      synchronized (f) {
        f.errors.add(text);
      }
    }
  }

  public Map<String, Followed> tasks() {
    return tasks;
  }

  public Followed task(String id) {
    return tasks.get(id);
  }

  public long unfinished() {
    return tasks.values().stream().filter(f -> f.terminal == null).count();
  }

  public int reopened() {
    return reopened.get();
  }

  public Future<Void> close() {
    closing = true;
    WebSocket ws = socket;
    return (ws == null ? Future.<Void>succeededFuture() : ws.close()).eventually(client::close);
  }
}
