package dev.skillhost.host.api;

import dev.skillhost.host.testing.ApiContract;
import dev.skillhost.host.testing.TestHost;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Calls every operation of the API document on a real host, for success and for the errors a
 * client can cause, and hands each answer to {@link ApiContract#check}. A mismatch is recorded
 * (all are reported at the end), never thrown. Streams that do not end (MCP's standalone
 * stream) are read for a moment and then cut.
 */
final class ApiExchanges {

  private static final byte[] PNG = png();
  private static final String BOUNDARY = "----openapi-test";
  private static final long OPEN_STREAM_MS = 300;

  private final TestHost host;
  private final ApiContract api;
  private final HttpClient http;
  private final WebSocketClient ws;
  private final List<String> failures = new ArrayList<>();

  ApiExchanges(TestHost host, ApiContract api) {
    this.host = host;
    this.api = api;
    this.http = host.vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(host.port()));
    this.ws = host.vertx.createWebSocketClient();
  }

  List<String> failures() {
    return failures;
  }

  Future<Void> all() {
    return health().compose(v -> tasks()).compose(v -> files()).compose(v -> routing()).compose(v -> providers())
        .compose(v -> stream()).compose(v -> mcp())
        .eventually(() -> http.close().compose(x -> ws.close()));
  }

  private Future<Void> health() {
    return call("GET", "/v1/health", null, null, null)
        .compose(r -> call("GET", "/v1/health/live", null, null, null))
        .compose(r -> call("GET", "/v1/health/ready", null, null, null))
        .compose(r -> call("GET", "/v1/openapi.json", null, null, null))
        .compose(r -> call("GET", "/", null, null, null))
        .compose(r -> call("GET", "/metrics", host.key, null, null))
        .compose(r -> call("GET", "/metrics", null, null, null))
        .compose(r -> call("GET", "/v1/channels", host.key, null, null))
        .compose(r -> call("GET", "/v1/webhooks/secret", host.key, null, null))
        .compose(r -> call("GET", "/v1/webhooks/secret", "not-a-key", null, null))
        .mapEmpty();
  }

  private Future<Void> tasks() {
    JsonObject quick = sim("text2image", 50, 0);
    return call("POST", "/v1/tasks", host.key, json(quick), Map.of("Idempotency-Key", "k-1"))
        .compose(r -> call("POST", "/v1/tasks", host.key, json(quick), Map.of("Idempotency-Key", "k-1")))
        .compose(r -> call("POST", "/v1/tasks", host.key, json(sim("text2image", 50, 0)), Map.of("Prefer", "wait=20")))
        .compose(done -> {
          String id = done.body().toJsonObject().getString("id");
          String file = done.body().toJsonObject().getJsonArray("outputs").getJsonObject(0).getString("file");
          String link = done.body().toJsonObject().getJsonArray("outputs").getJsonObject(0).getString("link");
          return call("GET", "/v1/tasks/" + id, host.key, null, null)
              .compose(r -> call("GET", "/v1/tasks/" + id + "/events", host.key, null, null))
              .compose(r -> call("GET", "/v1/tasks/" + id + "/events", host.key, null, Map.of("Accept", "application/json")))
              .compose(r -> call("GET", "/v1/tasks/" + id + "/events?since=nope", host.key, null, null))
              .compose(r -> call("GET", "/v1/tasks/" + id + "/deliveries", host.key, null, null))
              .compose(r -> call("POST", "/v1/tasks/" + id + "/cancel", host.key, null, null))
              .compose(r -> call("POST", "/v1/tasks/" + id + "/confirm", host.key, null, null))
              .compose(r -> call("GET", link, null, null, null))
              .compose(r -> call("HEAD", link, null, null, null))
              .compose(r -> call("GET", "/v1/files/" + file + "?exp=1&sig=forged", null, null, null))
              .compose(r -> call("HEAD", "/v1/files/" + file + "?exp=1&sig=forged", null, null, null));
        })
        .compose(r -> call("POST", "/v1/tasks", host.key, json(sim("t2v", 30_000, 0)), null))
        .compose(r -> call("POST", "/v1/tasks/" + r.body().toJsonObject().getString("id") + "/cancel", host.key, null, null))
        .compose(r -> call("POST", "/v1/tasks", host.key, json(sim("t2v", 50, 500)), null))
        .compose(r -> step("await awaiting_confirmation of " + r.body().toJsonObject().getString("id"),
            host.awaitState(r.body().toJsonObject().getString("id"), "awaiting_confirmation")))
        .compose(t -> call("POST", "/v1/tasks/" + t.getString("id") + "/confirm", host.key, null, null))
        .compose(r -> call("POST", "/v1/tasks", host.key, Buffer.buffer("{\"provider\":"), null))
        .compose(r -> call("POST", "/v1/tasks", host.key, json(new JsonObject().put("provider", "nope").put("operation", "x")), null))
        .compose(r -> call("POST", "/v1/tasks", host.key, json(new JsonObject().put("colour", "red")), null))
        .compose(r -> call("POST", "/v1/tasks", host.key, Buffer.buffer("{\"text\":\"" + "a".repeat(1_100_000) + "\"}"), null))
        .compose(r -> call("POST", "/v1/tasks", null, json(quick), null))
        .compose(r -> call("GET", "/v1/tasks?limit=2", host.key, null, null))
        .compose(r -> call("GET", "/v1/tasks?limit=0", host.key, null, null))
        .compose(r -> call("GET", "/v1/tasks?state=sleeping", host.key, null, null))
        .compose(r -> call("GET", "/v1/tasks/t_missing", host.key, null, null))
        .compose(r -> call("GET", "/v1/tasks/t_missing/events", host.key, null, null))
        .compose(r -> call("GET", "/v1/tasks/t_missing/deliveries", host.key, null, null))
        .compose(r -> call("GET", "/v1/deliveries?limit=1", host.key, null, null))
        .compose(r -> call("GET", "/v1/deliveries?state=lost", host.key, null, null))
        .compose(r -> call("GET", "/v1/deliveries", null, null, null))
        .compose(r -> call("POST", "/v1/tasks/t_missing/cancel", host.key, null, null))
        .compose(r -> call("POST", "/v1/tasks/t_missing/confirm", host.key, null, null))
        .mapEmpty();
  }

  private Future<Void> files() {
    Buffer png = multipart("photo.png", PNG);
    Map<String, String> form = Map.of("Content-Type", "multipart/form-data; boundary=" + BOUNDARY);
    return call("POST", "/v1/uploads", host.key, png, form)
        .compose(up -> {
          String id = up.body().toJsonObject().getString("id");
          String etag = up.body() == null ? "" : '"' + id + '"';
          String path = "/v1/files/" + id;
          return call("GET", path, host.key, null, null)
              .compose(r -> call("GET", path, host.key, null, Map.of("Range", "bytes=0-9")))
              .compose(r -> call("GET", path, host.key, null, Map.of("If-None-Match", etag)))
              .compose(r -> call("GET", path, host.key, null, Map.of("Range", "bytes=999999-")))
              .compose(r -> call("HEAD", path, host.key, null, null))
              .compose(r -> call("HEAD", path, host.key, null, Map.of("Range", "bytes=0-9")))
              .compose(r -> call("HEAD", path, host.key, null, Map.of("If-None-Match", etag)))
              .compose(r -> call("HEAD", path, host.key, null, Map.of("Range", "bytes=999999-")))
              .compose(r -> call("GET", path, null, null, null))
              .compose(r -> call("HEAD", path, null, null, null))
              .compose(r -> call("GET", "/v1/files/" + "0".repeat(64), host.otherKey, null, null))
              .compose(r -> call("HEAD", "/v1/files/" + "0".repeat(64), host.key, null, null))
              .compose(r -> call("POST", "/v1/route", host.key,
                  json(new JsonObject().put("text", "animate this photo").put("attachments", List.of(id)).put("locale", "en")), null));
        })
        .compose(r -> call("POST", "/v1/uploads", host.key, multipart("notes.txt", "just text".getBytes()), form))
        .compose(r -> call("POST", "/v1/uploads", host.key, multipart("big.png", new byte[300 * 1024]), form))
        .compose(r -> call("POST", "/v1/uploads", host.key, Buffer.buffer("hello"), Map.of("Content-Type", "text/plain")))
        .compose(r -> call("POST", "/v1/uploads", host.key,
            json(new JsonObject().put("url", "http://169.254.169.254/latest/meta-data/")), null))
        .compose(r -> call("POST", "/v1/uploads", null, png, form))
        .mapEmpty();
  }

  private Future<Void> routing() {
    return call("POST", "/v1/route", host.key, json(new JsonObject().put("text", "make a short video of a cat").put("locale", "en")), null)
        .compose(r -> call("POST", "/v1/route", host.key, json(new JsonObject().put("text", "make me a 3d model of a chair")), null))
        .compose(r -> call("POST", "/v1/route", host.key, json(new JsonObject().put("text", "what's the weather tomorrow")), null))
        .compose(r -> call("POST", "/v1/route", host.key, json(new JsonObject().put("text", 42)), null))
        .compose(r -> call("POST", "/v1/route", host.key, json(new JsonObject().put("text", "draw a cat")
            .put("attachments", List.of("f".repeat(64)))), null))
        .compose(r -> call("POST", "/v1/route", host.key, Buffer.buffer("[1,2"), null))
        .compose(r -> call("POST", "/v1/route", null, json(new JsonObject().put("text", "x")), null))
        .compose(r -> call("GET", "/v1/skills", host.key, null, null))
        .compose(r -> call("GET", "/v1/skills/sim", host.key, null, null))
        .compose(r -> call("GET", "/v1/skills/nope", host.key, null, null))
        .compose(r -> call("GET", "/v1/skills", null, null, null))
        .mapEmpty();
  }

  private Future<Void> providers() {
    return call("GET", "/v1/providers", host.key, null, null)
        .compose(r -> call("GET", "/v1/providers/sim/account", host.key, null, null))
        .compose(r -> call("GET", "/v1/providers/signer/account", host.key, null, null))
        .compose(r -> call("GET", "/v1/providers/nope/account", host.key, null, null))
        .compose(r -> call("POST", "/v1/providers/signer/login", host.key, json(new JsonObject().put("looks", 50)), null))
        .compose(r -> call("GET", "/v1/providers/signer/login", host.key, null, null))
        .compose(r -> call("DELETE", "/v1/providers/signer/login", host.key, null, null))
        .compose(r -> call("GET", "/v1/providers/signer/login", host.key, null, null))
        .compose(r -> call("POST", "/v1/providers/signer/login", host.key, Buffer.buffer("{"), null))
        .compose(r -> call("POST", "/v1/providers/sim/login", host.key, null, null))
        .compose(r -> call("DELETE", "/v1/providers/sim/login", host.key, null, null))
        .compose(r -> call("DELETE", "/v1/providers/nope/login", host.key, null, null))
        .compose(r -> call("GET", "/v1/providers", null, null, null))
        .mapEmpty();
  }

  /** WS /v1/stream: the 101 handshake and each frame, then the 401 of a wrong key. */
  private Future<Void> stream() {
    WebSocketConnectOptions o = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(host.port()).setURI("/v1/stream")
        .addHeader("Authorization", "Bearer " + host.key);
    JsonObject frames = api.contract().operation("openStream").getResponse(101).getOpenAPIModel().getJsonObject("x-server-frames");
    return host.submit("text2image", new JsonObject().put("duration_ms", 50))
        // paused until frames() listens: the server's first frame ("ready") comes at once, and was
        // lost whenever checking the handshake took longer than its arrival (seen in the full suite)
        .compose(task -> ws.connect(o).map(socket -> socket.pause()).compose(socket ->
            check(HttpMethod.GET, "/v1/stream", new ApiContract.Answer(101, socket.headers(), Buffer.buffer()))
                .compose(v -> step("WebSocket frames of " + task + " up to succeeded", frames(socket, task, frames)))))
        .compose(v -> call("GET", "/v1/stream", "not-a-key", null, Map.of("Upgrade", "websocket", "Connection", "Upgrade",
            "Sec-WebSocket-Version", "13", "Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")))
        .compose(v -> call("GET", "/v1/stream", host.key, null, null))
        .mapEmpty();
  }

  /** Reads frames until the task's succeeded event, validating each against the documented server frames. */
  private Future<Void> frames(WebSocket socket, String task, JsonObject schema) {
    Promise<Void> done = Promise.promise();
    socket.textMessageHandler(text -> {
      JsonObject frame = new JsonObject(text);
      try {
        api.validate(schema, frame, "WebSocket frame");
        api.countEvent();
      } catch (AssertionError e) {
        failures.add(e.getMessage());
      }
      if ("ready".equals(frame.getString("type"))) {
        socket.writeTextMessage(new JsonObject().put("op", "subscribe").put("task", task).put("since", 0).encode());
        socket.writeTextMessage(new JsonObject().put("op", "ping").encode());
        socket.writeTextMessage(new JsonObject().put("op", "dance").encode());
      }
      if ("succeeded".equals(frame.getString("state"))) {
        done.tryComplete();
      }
    });
    socket.resume();
    return done.future().eventually(socket::close);
  }

  private Future<Void> mcp() {
    JsonObject init = rpc(1, "initialize", new JsonObject().put("protocolVersion", "2025-11-25")
        .put("capabilities", new JsonObject()).put("clientInfo", new JsonObject().put("name", "openapi-test").put("version", "1")));
    Map<String, String> accept = Map.of("Accept", "application/json, text/event-stream");
    return call("POST", "/mcp", host.key, json(init), accept).compose(r -> {
      Map<String, String> session = Map.of("Accept", "application/json, text/event-stream",
          "Mcp-Session-Id", r.headers().get("Mcp-Session-Id"), "MCP-Protocol-Version", "2025-11-25");
      Map<String, String> stream = Map.of("Accept", "text/event-stream", "Mcp-Session-Id", r.headers().get("Mcp-Session-Id"));
      return call("POST", "/mcp", host.key, json(new JsonObject().put("jsonrpc", "2.0").put("method", "notifications/initialized")), session)
          .compose(x -> call("POST", "/mcp", host.key, json(rpc(2, "tools/list", new JsonObject())), session))
          .compose(x -> call("POST", "/mcp", host.key, json(rpc(3, "tools/list", new JsonObject())),
              Map.of("Mcp-Session-Id", session.get("Mcp-Session-Id"), "Accept", "application/json")))
          .compose(x -> call("GET", "/mcp", host.key, null, stream))
          .compose(x -> call("GET", "/mcp", host.key, null, Map.of("Accept", "application/json", "Mcp-Session-Id", session.get("Mcp-Session-Id"))))
          .compose(x -> call("GET", "/mcp", host.key, null, Map.of("Accept", "text/event-stream", "Mcp-Session-Id", session.get("Mcp-Session-Id"),
              "Last-Event-ID", "nope-7")))
          .compose(x -> call("DELETE", "/mcp", host.key, null, session))
          .compose(x -> call("DELETE", "/mcp", host.key, null, session))
          .compose(x -> call("GET", "/mcp", host.key, null, stream))
          .compose(x -> call("POST", "/mcp", host.key, json(rpc(4, "tools/list", new JsonObject())), session));
    })
        .compose(r -> call("POST", "/mcp", host.key, json(rpc(5, "ping", new JsonObject())), accept))
        .compose(r -> call("POST", "/mcp", host.key, Buffer.buffer("{nope"), accept))
        .compose(r -> call("POST", "/mcp", host.key, json(init), Map.of("Origin", "https://evil.example")))
        .compose(r -> call("DELETE", "/mcp", host.key, null, null))
        .compose(r -> call("DELETE", "/mcp", host.key, null, Map.of("Origin", "https://evil.example")))
        .compose(r -> call("GET", "/mcp", host.key, null, Map.of("Accept", "text/event-stream", "Origin", "https://evil.example")))
        .compose(r -> call("GET", "/mcp", host.key, null, Map.of("Accept", "text/event-stream")))
        .compose(r -> call("POST", "/mcp", null, json(init), accept))
        .compose(r -> call("GET", "/mcp", null, null, null))
        .compose(r -> call("DELETE", "/mcp", null, null, null))
        .mapEmpty();
  }

  /** One request; its answer (read whole, or for a moment if it is a stream that stays open) is checked and returned. */
  /** A wait of the walk that fails after {@link #CALL_TIMEOUT_S} naming what it waited for, instead of hanging the test. */
  private <T> Future<T> step(String what, Future<T> wait) {
    return wait.timeout(CALL_TIMEOUT_S, java.util.concurrent.TimeUnit.SECONDS)
        .recover(e -> Future.failedFuture(new AssertionError("route walk: " + what + " did not happen: " + e, e)));
  }

  /** Longest wait for one answer; the slowest (a 16 MB upload refused) takes well under a second. */
  private static final long CALL_TIMEOUT_S = 20;

  private Future<ApiContract.Answer> call(String method, String uri, String key, Buffer body, Map<String, String> headers) {
    RequestOptions o = new RequestOptions().setMethod(HttpMethod.valueOf(method)).setURI(uri);
    if (key != null) {
      o.putHeader("Authorization", "Bearer " + key);
    }
    if (body != null && (headers == null || !headers.containsKey("Content-Type"))) {
      o.putHeader("Content-Type", "application/json");
    }
    if (headers != null) {
      headers.forEach(o::putHeader);
    }
    return http.request(o)
        .compose(req -> (body == null ? req.send() : req.send(body)).compose(res -> {
          Promise<Buffer> read = Promise.promise();
          Buffer got = Buffer.buffer();
          res.handler(got::appendBuffer);
          res.endHandler(v -> read.tryComplete(got));
          res.exceptionHandler(e -> read.tryComplete(got));
          if (String.valueOf(res.getHeader("Content-Type")).startsWith("text/event-stream") && "/mcp".equals(uri)
              && method.equals("GET")) {
            host.vertx.setTimer(OPEN_STREAM_MS, t -> {
              read.tryComplete(got.copy());
              req.connection().close();
            });
          }
          return read.future().map(b -> new ApiContract.Answer(res.statusCode(), res.headers(), b));
        }))
        // one answer that never comes fails the run at once, naming the call, not at the test's timeout
        .timeout(CALL_TIMEOUT_S, java.util.concurrent.TimeUnit.SECONDS)
        .recover(e -> Future.failedFuture(new AssertionError(method + " " + uri + " got no whole answer: " + e, e)))
        .compose(answer -> check(HttpMethod.valueOf(method), uri.contains("?") ? uri.substring(0, uri.indexOf('?')) : uri, answer)
            .map(answer));
  }

  /** Records a mismatch rather than failing, so one run reports them all. */
  private Future<Void> check(HttpMethod method, String path, ApiContract.Answer answer) {
    return api.check(method, path, answer).recover(e -> {
      failures.add(e.getMessage());
      return Future.succeededFuture();
    });
  }

  private static JsonObject sim(String operation, int durationMs, int cost) {
    JsonObject params = new JsonObject().put("duration_ms", durationMs);
    if (cost > 0) {
      params.put("cost", cost);
    }
    return new JsonObject().put("provider", "sim").put("operation", operation).put("params", params);
  }

  private static JsonObject rpc(int id, String method, JsonObject params) {
    return new JsonObject().put("jsonrpc", "2.0").put("id", id).put("method", method).put("params", params);
  }

  private static Buffer json(JsonObject body) {
    return body.toBuffer();
  }

  private static Buffer multipart(String name, byte[] bytes) {
    return Buffer.buffer("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name
            + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
        .appendBytes(bytes).appendString("\r\n--" + BOUNDARY + "--\r\n");
  }

  private static byte[] png() {
    byte[] head = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13};
    byte[] out = new byte[200];
    System.arraycopy(head, 0, out, 0, head.length);
    return out;
  }
}
