package dev.skillhost.host.api;

import dev.skillhost.host.store.TaskEvent;
import dev.skillhost.host.tasks.TaskEngineVerticle;
import dev.skillhost.host.tasks.TaskEvents;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code WS /v1/stream}: one socket, many tasks. A client sends
 * {@code {"op":"subscribe","task":"t_…","since":N}} and gets every event after N, then live ones;
 * {@code "task":"*"} follows every task of the key, live only. A browser cannot set headers on a
 * WebSocket, so the key comes as a bearer header or as a first frame {@code {"op":"auth","key":…}}.
 * A subscriber that falls behind is closed (1013) rather than buffered without bound; it
 * reconnects with {@code since} and misses nothing.
 */
final class StreamRoutes {

  private static final long AUTH_TIMEOUT_MS = 10_000;
  private static final int MAX_SUBSCRIPTIONS = 1_000;
  private static final short POLICY_VIOLATION = 1008;
  private static final short TRY_AGAIN_LATER = 1013;

  private final Vertx vertx;
  private final TaskEngineVerticle engine;
  private final ApiKeys keys;
  /** Open sockets, for the subscribers gauge. */
  private final AtomicInteger subscribers;
  /**
   * The event last encoded, with its text: an event goes to every socket following its task and
   * to every {@code "*"} socket of its owner one after the other, so one encoding serves them all.
   */
  private volatile Encoded lastEncoded;

  private record Encoded(TaskEvent event, String text) {}

  StreamRoutes(Vertx vertx, TaskEngineVerticle engine, ApiKeys keys, AtomicInteger subscribers) {
    this.vertx = vertx;
    this.subscribers = subscribers;
    this.engine = engine;
    this.keys = keys;
  }

  /** The event's envelope as text, encoded once however many sockets it goes to. */
  private String encoded(TaskEvent event) {
    Encoded last = lastEncoded;
    if (last != null && last.event() == event) {
      return last.text();
    }
    String text = event.encode();
    lastEncoded = new Encoded(event, text);
    return text;
  }

  /** Mounted before the auth handler: the socket authenticates itself. */
  void mount(Router router) {
    router.get("/v1/stream").handler(this::upgrade);
  }

  private void upgrade(RoutingContext ctx) {
    if (!"websocket".equalsIgnoreCase(ctx.request().getHeader("Upgrade"))) {
      // else Vert.x answers a bare 400 with no problem document
      ctx.response().putHeader("Upgrade", "websocket");
      ctx.fail(new ApiException(426, "upgrade-required", "Upgrade required",
          "/v1/stream is a WebSocket: connect with a WebSocket client (Upgrade: websocket)."));
      return;
    }
    String owner = keys.owner(Auth.bearer(ctx.request().getHeader("Authorization"))).orElse(null);
    if (ctx.request().getHeader("Authorization") != null && owner == null) {
      ctx.fail(401);
      return;
    }
    ctx.request().toWebSocket().onSuccess(ws -> new Session(ws, owner)).onFailure(ctx::fail);
  }

  /** One connected socket. Runs on the socket's context. */
  private final class Session {
    private final ServerWebSocket ws;
    private final Map<String, TaskFeed> feeds = new HashMap<>();
    private MessageConsumer<TaskEvent> everything;
    private String owner;
    private boolean closed;

    Session(ServerWebSocket ws, String owner) {
      this.ws = ws;
      this.owner = owner;
      ws.textMessageHandler(this::frame);
      ws.binaryMessageHandler(b -> error(null, "send JSON text frames"));
      subscribers.incrementAndGet();
      ws.closeHandler(v -> {
        subscribers.decrementAndGet();
        release();
      });
      if (owner == null) {
        vertx.setTimer(AUTH_TIMEOUT_MS, t -> {
          if (this.owner == null) {
            ws.close(POLICY_VIOLATION, "no auth frame within 10 s");
          }
        });
      } else {
        send(new JsonObject().put("type", "ready"));
      }
    }

    private void frame(String text) {
      JsonObject msg;
      try {
        msg = new JsonObject(text);
      } catch (DecodeException | ClassCastException e) {
        error(null, "frames must be JSON objects such as {\"op\":\"subscribe\",\"task\":\"t_…\",\"since\":0}");
        return;
      }
      String op = msg.getValue("op") instanceof String s ? s : "";
      if (owner == null && !op.equals("auth")) {
        ws.close(POLICY_VIOLATION, "authenticate first: {\"op\":\"auth\",\"key\":\"…\"}");
        return;
      }
      switch (op) {
        case "auth" -> auth(msg);
        case "subscribe" -> subscribe(msg);
        case "unsubscribe" -> unsubscribe(msg);
        case "ping" -> send(new JsonObject().put("type", "pong"));
        default -> error(null, "unknown op '" + op + "'; ops are auth, subscribe, unsubscribe, ping");
      }
    }

    private void auth(JsonObject msg) {
      owner = keys.owner(msg.getValue("key") instanceof String k ? k : null).orElse(null);
      if (owner == null) {
        ws.close(POLICY_VIOLATION, "unknown API key");
        return;
      }
      send(new JsonObject().put("type", "ready"));
    }

    private void subscribe(JsonObject msg) {
      String task = msg.getValue("task") instanceof String t ? t : null;
      if (task == null) {
        error(null, "subscribe needs \"task\": a task id, or \"*\" for all of this key's tasks");
        return;
      }
      long since;
      try {
        Object raw = msg.getValue("since");
        since = Since.parse(raw == null ? null : String.valueOf(raw), "since");
      } catch (ApiException e) {
        error(task, e.getMessage());
        return;
      }
      if (task.equals("*")) {
        if (everything == null) {
          everything = vertx.eventBus().consumer(TaskEvents.ownerAddress(owner), m -> {
            if (!write(m.body())) {
              tooSlow();
            }
          });
        }
        send(new JsonObject().put("type", "subscribed").put("task", "*"));
        return;
      }
      if (feeds.containsKey(task) || feeds.size() >= MAX_SUBSCRIPTIONS) {
        error(task, feeds.containsKey(task) ? "already subscribed" : "too many subscriptions on one socket");
        return;
      }
      feeds.put(task, null);
      TaskFeed.open(vertx, engine, owner, task, since, new TaskFeed.Sink() {
        @Override
        public boolean write(TaskEvent event) {
          if (!Session.this.write(event)) {
            tooSlow();
            return false;
          }
          return true;
        }

        @Override
        public void end() {
          feeds.remove(task);
        }
      }).onSuccess(feed -> {
        if (closed || !feeds.containsKey(task)) {
          feed.close();
        } else {
          feeds.put(task, feed);
        }
      }).onFailure(e -> {
        feeds.remove(task);
        error(task, e.getMessage());
      });
      send(new JsonObject().put("type", "subscribed").put("task", task).put("since", since));
    }

    private void unsubscribe(JsonObject msg) {
      TaskFeed feed = feeds.remove(String.valueOf(msg.getValue("task")));
      if (feed != null) {
        feed.close();
      }
    }

    private boolean write(TaskEvent event) {
      if (closed || ws.isClosed()) {
        return false;
      }
      if (ws.writeQueueFull()) {
        return false;
      }
      ws.writeTextMessage(encoded(event));
      return true;
    }

    private void tooSlow() {
      if (!closed) {
        ws.close(TRY_AGAIN_LATER, "subscriber too slow; reconnect and subscribe with since");
        release();
      }
    }

    private void error(String task, String detail) {
      send(new JsonObject().put("type", "error").put("task", task).put("detail", detail));
    }

    private void send(JsonObject frame) {
      if (!closed && !ws.isClosed()) {
        ws.writeTextMessage(frame.encode());
      }
    }

    private void release() {
      closed = true;
      feeds.values().stream().filter(f -> f != null).forEach(TaskFeed::close);
      feeds.clear();
      if (everything != null) {
        everything.unregister();
      }
    }
  }
}
