package dev.skillhost.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;

/**
 * A cheap MCP client for the bench: raw JSON-RPC over one shared Vert.x {@link HttpClient} to
 * {@code /mcp} on loopback (Streamable HTTP, answers as JSON or as an SSE stream). A session is
 * just its id, so 500 of them cost the client next to nothing.
 */
final class McpWire {

  static final String PROTOCOL = "2025-11-25";

  private final HttpClient http;
  private final int port;
  private final String key;

  McpWire(HttpClient http, int port, String key) {
    this.http = http;
    this.port = port;
    this.key = key;
  }

  /** initialize + notifications/initialized; answers the session id. */
  Future<String> open() {
    JsonObject init = request(0, "initialize", new JsonObject().put("protocolVersion", PROTOCOL)
        .put("capabilities", new JsonObject()).put("clientInfo", new JsonObject().put("name", "bench").put("version", "0")));
    return post(null, init, null).compose(r -> {
      String session = r.session;
      if (r.status != 200 || session == null || r.answer == null || !r.answer.containsKey("result")) {
        throw new IllegalStateException("initialize answered " + r.status + ": " + r.answer);
      }
      return post(session, new JsonObject().put("jsonrpc", "2.0").put("method", "notifications/initialized"), null)
          .map(n -> session);
    });
  }

  /** Ends a session (DELETE). */
  Future<Void> close(String session) {
    return http.request(options(HttpMethod.DELETE, session)).compose(req -> req.send()).compose(HttpClientResponse::body)
        .mapEmpty();
  }

  /** tools/call; answers the result ({@code isError} taken as a failure). */
  Future<JsonObject> callTool(String session, Object id, String tool, JsonObject args, Consumer<JsonObject> notifications) {
    JsonObject params = new JsonObject().put("name", tool).put("arguments", args);
    if (notifications != null) {
      params.put("_meta", new JsonObject().put("progressToken", "p-" + id));
    }
    return post(session, request(id, "tools/call", params), notifications).map(r -> {
      JsonObject result = r.answer == null ? null : r.answer.getJsonObject("result");
      if (result == null || Boolean.TRUE.equals(result.getBoolean("isError"))) {
        throw new IllegalStateException(tool + " answered " + r.status + ": " + r.answer);
      }
      return result;
    });
  }

  /** What one POST brought back: status, session header, and the response to the request (if any). */
  record Reply(int status, String session, JsonObject answer) {}

  /**
   * POSTs one message. An SSE answer is read as it streams: each notification goes to
   * {@code notifications} as it arrives, the response to the request ends it.
   */
  Future<Reply> post(String session, JsonObject message, Consumer<JsonObject> notifications) {
    return http.request(options(HttpMethod.POST, session))
        .compose(req -> req.putHeader("Content-Type", "application/json").send(Buffer.buffer(message.encode())))
        .compose(res -> {
          String type = res.getHeader("Content-Type");
          String sid = res.getHeader("Mcp-Session-Id");
          if (type == null || !type.startsWith("text/event-stream")) {
            return res.body().map(b -> new Reply(res.statusCode(), sid,
                b.length() == 0 || type == null || !type.startsWith("application/json") ? null : b.toJsonObject()));
          }
          Promise<Reply> done = Promise.promise();
          SseReader reader = new SseReader(data -> {
            JsonObject m = new JsonObject(data);
            if (m.containsKey("method") && !m.containsKey("id")) {
              if (notifications != null) {
                notifications.accept(m);
              }
            } else if (m.containsKey("result") || m.containsKey("error")) {
              done.tryComplete(new Reply(res.statusCode(), sid, m));
            }
          });
          res.handler(reader::feed);
          res.exceptionHandler(done::tryFail);
          res.endHandler(v -> done.tryComplete(new Reply(res.statusCode(), sid, null)));
          return done.future();
        });
  }

  private RequestOptions options(HttpMethod method, String session) {
    RequestOptions o = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port).setURI("/mcp")
        .putHeader("Authorization", "Bearer " + key)
        .putHeader("Accept", "application/json, text/event-stream");
    if (session != null) {
      o.putHeader("Mcp-Session-Id", session).putHeader("MCP-Protocol-Version", PROTOCOL);
    }
    return o;
  }

  static JsonObject request(Object id, String method, JsonObject params) {
    return new JsonObject().put("jsonrpc", "2.0").put("id", id).put("method", method).put("params", params);
  }

  /**
   * Splits an SSE byte stream into the data of its events (fields other than data are skipped).
   * Works on bytes, so a UTF-8 character split across two chunks is not broken.
   */
  static final class SseReader {
    private final Consumer<String> events;
    private Buffer pending = Buffer.buffer();
    private int scanned;

    SseReader(Consumer<String> events) {
      this.events = events;
    }

    void feed(Buffer chunk) {
      pending.appendBuffer(chunk);
      int start = 0;
      for (int i = Math.max(scanned, 1); i < pending.length(); i++) {
        byte before = pending.getByte(i - 1);
        if (pending.getByte(i) == '\n' && (before == '\n' || before == '\r' && i >= 2 && pending.getByte(i - 2) == '\n')) {
          event(pending.getString(start, i - 1, "UTF-8"));
          start = i + 1;
        }
      }
      pending = pending.getBuffer(start, pending.length());
      scanned = pending.length();
    }

    private void event(String event) {
      StringBuilder data = new StringBuilder();
      for (String line : event.replace("\r", "").split("\n")) {
        if (line.startsWith("data:")) {
          data.append(data.length() == 0 ? "" : "\n").append(line.substring(5).stripLeading());
        }
      }
      if (!data.isEmpty()) {
        events.accept(data.toString());
      }
    }
  }
}
