package dev.skillhost.host.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.host.testing.HostTestBase;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** WebSocket and SSE are views of the stored event log: resumable, complete, in order. */
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class StreamTest extends HostTestBase {

  WebSocketClient wsClient;
  HttpClient httpClient;

  @BeforeEach
  void clients(Vertx vertx) {
    wsClient = vertx.createWebSocketClient();
    httpClient = vertx.createHttpClient();
  }

  @AfterEach
  void closeClients(VertxTestContext ctx) {
    wsClient.close().eventually(httpClient::close).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void websocket_subscribe_with_since_replays_exactly_the_missed_events_then_live_ones(VertxTestContext ctx) {
    List<JsonObject> frames = new ArrayList<>();
    Promise<Void> ended = Promise.promise();
    host.submit("t2v", new JsonObject().put("duration_ms", 1500))
        .compose(id -> host.await(id, t -> t.getLong("seq") >= 4).map(id))
        .compose(id -> connect(true).map(ws -> {
          ws.textMessageHandler(text -> {
            JsonObject frame = new JsonObject(text);
            frames.add(frame);
            if ("state".equals(frame.getString("type")) && "succeeded".equals(frame.getString("state"))) {
              ended.tryComplete();
            }
          });
          ws.writeTextMessage(new JsonObject().put("op", "subscribe").put("task", id).put("since", 2).encode());
          return id;
        }))
        .compose(id -> ended.future().compose(v -> eventsJson(id)))
        .onComplete(ctx.succeeding(stored -> ctx.verify(() -> {
          List<JsonObject> events = frames.stream().filter(f -> f.containsKey("seq")).toList();
          assertThat(events).isNotEmpty();
          assertThat(events.get(0).getLong("seq")).isEqualTo(3);
          for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).getLong("seq")).isEqualTo(3 + i);
            assertThat(events.get(i).fieldNames()).contains("task", "seq", "type", "state", "at");
          }
          assertThat(events).hasSize(stored.size() - 2);
          assertThat(frames.get(0).getString("type")).isEqualTo("ready");
          ctx.completeNow();
        })));
  }

  @Test
  void a_browser_authenticates_with_a_first_frame_and_follows_all_its_tasks(VertxTestContext ctx) {
    List<JsonObject> frames = new ArrayList<>();
    Promise<Void> subscribed = Promise.promise();
    Promise<String> finished = Promise.promise();
    connect(false).compose(ws -> {
          ws.textMessageHandler(text -> {
            JsonObject f = new JsonObject(text);
            frames.add(f);
            if ("subscribed".equals(f.getString("type"))) {
              subscribed.tryComplete();
            }
            if ("succeeded".equals(f.getString("state")) && "state".equals(f.getString("type"))) {
              finished.tryComplete(f.getString("task"));
            }
          });
          ws.writeTextMessage(new JsonObject().put("op", "auth").put("key", host.key).encode());
          ws.writeTextMessage(new JsonObject().put("op", "subscribe").put("task", "*").encode());
          return subscribed.future();
        })
        .compose(v -> host.submit("text2image", new JsonObject().put("duration_ms", 100)))
        .compose(id -> finished.future().map(done -> List.of(id, done)))
        .onComplete(ctx.succeeding(ids -> ctx.verify(() -> {
          assertThat(ids.get(1)).isEqualTo(ids.get(0));
          List<String> states = frames.stream().filter(f -> "state".equals(f.getString("type")))
              .map(f -> f.getString("state")).toList();
          assertThat(states).containsExactly("queued", "submitting", "running", "succeeded");
          ctx.completeNow();
        })));
  }

  @Test
  void a_socket_with_a_wrong_key_in_its_first_frame_is_closed(VertxTestContext ctx) {
    Promise<Short> closed = Promise.promise();
    connect(false).compose(ws -> {
      ws.closeHandler(v -> closed.tryComplete(ws.closeStatusCode()));
      ws.writeTextMessage(new JsonObject().put("op", "auth").put("key", "sk_nope").encode());
      return closed.future();
    }).onComplete(ctx.succeeding(code -> ctx.verify(() -> {
      assertThat(code).isEqualTo((short) 1008);
      ctx.completeNow();
    })));
  }

  @Test
  void a_bad_subscribe_gets_an_error_frame_and_the_socket_stays_open(VertxTestContext ctx) {
    List<JsonObject> frames = new ArrayList<>();
    Promise<Void> pong = Promise.promise();
    connect(true).compose(ws -> {
      ws.textMessageHandler(text -> {
        JsonObject f = new JsonObject(text);
        frames.add(f);
        if ("pong".equals(f.getString("type"))) {
          pong.tryComplete();
        }
      });
      ws.writeTextMessage("not json");
      ws.writeTextMessage(new JsonObject().put("op", "subscribe").put("task", "t_x").put("since", "abc").encode());
      ws.writeTextMessage(new JsonObject().put("op", "dance").encode());
      ws.writeTextMessage(new JsonObject().put("op", "ping").encode());
      return pong.future();
    }).onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      List<String> errors = frames.stream().filter(f -> "error".equals(f.getString("type")))
          .map(f -> f.getString("detail")).toList();
      assertThat(errors).hasSize(3);
      assertThat(errors.get(0)).contains("JSON");
      assertThat(errors.get(1)).contains("since");
      assertThat(errors.get(2)).contains("unknown op 'dance'");
      ctx.completeNow();
    })));
  }

  @Test
  void sse_with_last_event_id_resumes_after_it_and_ends_with_the_task(VertxTestContext ctx) {
    host.submit("t2v", new JsonObject().put("duration_ms", 300))
        .compose(id -> host.awaitState(id, "succeeded").map(id))
        .compose(id -> Future.all(sse(id, "3"), eventsJson(id)))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          List<JsonObject> streamed = all.resultAt(0);
          JsonArray stored = all.resultAt(1);
          assertThat(streamed).hasSize(stored.size() - 3);
          for (int i = 0; i < streamed.size(); i++) {
            assertThat(streamed.get(i)).isEqualTo(stored.getJsonObject(i + 3));
          }
          ctx.completeNow();
        })));
  }

  @Test
  void sse_follows_a_running_task_live_to_its_end(VertxTestContext ctx) {
    host.submit("t2v", new JsonObject().put("duration_ms", 800))
        .compose(id -> sse(id, null))
        .onComplete(ctx.succeeding(events -> ctx.verify(() -> {
          assertThat(events.get(0).getLong("seq")).isEqualTo(1);
          assertThat(events.get(events.size() - 1).getString("state")).isEqualTo("succeeded");
          for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).getLong("seq")).isEqualTo(i + 1);
          }
          ctx.completeNow();
        })));
  }

  /** Reads a whole SSE response (the host ends it after the task's last event). */
  private Future<List<JsonObject>> sse(String id, String lastEventId) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(host.port())
        .setURI("/v1/tasks/" + id + "/events").putHeader("Authorization", "Bearer " + host.key)
        .putHeader("Accept", "text/event-stream");
    if (lastEventId != null) {
      options.putHeader("Last-Event-ID", lastEventId);
    }
    return httpClient.request(options).compose(req -> req.send()).compose(resp -> {
      assertThat(resp.getHeader("Content-Type")).startsWith("text/event-stream");
      return resp.body();
    }).map(body -> {
      List<JsonObject> events = new ArrayList<>();
      for (String block : body.toString().split("\n\n")) {
        String id1 = null;
        for (String line : block.split("\n")) {
          if (line.startsWith("id: ")) {
            id1 = line.substring(4);
          } else if (line.startsWith("data: ")) {
            JsonObject e = new JsonObject(line.substring(6));
            assertThat(String.valueOf(e.getLong("seq"))).isEqualTo(id1);
            events.add(e);
          }
        }
      }
      return events;
    });
  }

  private Future<JsonArray> eventsJson(String id) {
    return host.request(HttpMethod.GET, "/v1/tasks/" + id + "/events", host.key)
        .putHeader("Accept", "application/json").send().map(HttpResponse::bodyAsJsonArray);
  }

  private Future<WebSocket> connect(boolean withHeader) {
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(host.port())
        .setURI("/v1/stream");
    if (withHeader) {
      options.addHeader("Authorization", "Bearer " + host.key);
    }
    return wsClient.connect(options);
  }

}
