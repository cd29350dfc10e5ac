package dev.skillhost.host.testing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A bare MCP client for tests of the transport itself: JSON-RPC over POST /mcp, answers read as
 * JSON or as an SSE stream message by message (with their event ids), GET streams that can be cut
 * and resumed with Last-Event-ID.
 */
public final class RawMcp {

  /** One SSE event (or a JSON answer, with a null id). */
  public record Event(String id, JsonObject message) {}

  /** An open SSE stream: what arrived so far, and a way to cut it. */
  public static class Stream {
    public final List<Event> events = new CopyOnWriteArrayList<>();
    public final int status;
    final HttpClientRequest request;
    final Promise<Void> ended = Promise.promise();

    Stream(int status, HttpClientRequest request) {
      this.status = status;
      this.request = request;
    }

    /** Completes once an event matching {@code p} arrived (or fails when the stream ended without one). */
    public Future<Event> until(Vertx vertx, Predicate<Event> p) {
      Promise<Event> found = Promise.promise();
      long t = vertx.setPeriodic(5, id -> {
        events.stream().filter(e -> e.message() != null && p.test(e)).findFirst().ifPresent(found::tryComplete);
        if (ended.future().isComplete() && !found.future().isComplete()) {
          events.stream().filter(e -> e.message() != null && p.test(e)).findFirst()
              .ifPresentOrElse(found::tryComplete, () -> found.tryFail("the stream ended without it: " + events));
        }
      });
      return found.future().andThen(ar -> vertx.cancelTimer(t));
    }

    public Future<Void> ended() {
      return ended.future();
    }

    /** Drops the connection, as a network fault would. */
    public void cut() {
      request.connection().close();
    }
  }

  private final Vertx vertx;
  private final HttpClient http;
  private final int port;
  private final String key;
  public String session;
  public String protocol = "2025-11-25";

  public RawMcp(Vertx vertx, int port, String key) {
    this.vertx = vertx;
    this.port = port;
    this.key = key;
    this.http = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
  }

  /** initialize + notifications/initialized; keeps the session id. */
  public Future<JsonObject> initialize(JsonObject capabilities) {
    JsonObject params = new JsonObject().put("protocolVersion", protocol).put("capabilities", capabilities)
        .put("clientInfo", new JsonObject().put("name", "raw-test").put("version", "1"));
    return post(new JsonObject().put("jsonrpc", "2.0").put("id", 0).put("method", "initialize").put("params", params))
        .compose(s -> s.until(vertx, e -> e.message().containsKey("result")).map(e -> {
          session = s.sessionId;
          return e.message().getJsonObject("result");
        }))
        .compose(r -> post(new JsonObject().put("jsonrpc", "2.0").put("method", "notifications/initialized")).map(r));
  }

  /** A request; its answer's result (fails with the JSON-RPC error's message). */
  public Future<JsonObject> call(Object id, String method, JsonObject params) {
    return post(request(id, method, params)).compose(s -> s.until(vertx, e -> id.equals(e.message().getValue("id"))))
        .compose(e -> e.message().containsKey("error")
            ? Future.failedFuture(e.message().getJsonObject("error").encode())
            : Future.succeededFuture(e.message().getJsonObject("result")));
  }

  public static JsonObject request(Object id, String method, JsonObject params) {
    return new JsonObject().put("jsonrpc", "2.0").put("id", id).put("method", method).put("params", params);
  }

  /** POSTs one message and reads the answer as it comes (JSON or SSE). */
  public Future<Posted> post(JsonObject message) {
    RequestOptions o = new RequestOptions().setMethod(HttpMethod.POST).setURI("/mcp")
        .putHeader("Content-Type", "application/json").putHeader("Accept", "application/json, text/event-stream");
    return open(o, message.toBuffer(), null);
  }

  /** GET /mcp: the standalone stream, or the stream an event id names. */
  public Future<Posted> get(String lastEventId) {
    RequestOptions o = new RequestOptions().setMethod(HttpMethod.GET).setURI("/mcp").putHeader("Accept", "text/event-stream");
    return open(o, null, lastEventId);
  }

  /** A stream plus the session id its answer named. */
  public static final class Posted extends Stream {
    public final String sessionId;

    Posted(int status, HttpClientRequest request, String sessionId) {
      super(status, request);
      this.sessionId = sessionId;
    }
  }

  private Future<Posted> open(RequestOptions o, Buffer body, String lastEventId) {
    o.putHeader("Authorization", "Bearer " + key);
    if (session != null) {
      o.putHeader("Mcp-Session-Id", session).putHeader("MCP-Protocol-Version", protocol);
    }
    if (lastEventId != null) {
      o.putHeader("Last-Event-ID", lastEventId);
    }
    return http.request(o).compose(req -> (body == null ? req.send() : req.send(body)).map(res -> read(req, res)));
  }

  private Posted read(HttpClientRequest req, HttpClientResponse res) {
    Posted s = new Posted(res.statusCode(), req, res.getHeader("Mcp-Session-Id"));
    boolean sse = String.valueOf(res.getHeader("Content-Type")).startsWith("text/event-stream");
    StringBuilder pending = new StringBuilder();
    res.handler(buf -> {
      if (!sse) {
        pending.append(buf.toString());
        return;
      }
      pending.append(buf.toString());
      int end;
      while ((end = pending.indexOf("\n\n")) >= 0) {
        String frame = pending.substring(0, end);
        pending.delete(0, end + 2);
        String id = null;
        StringBuilder data = new StringBuilder();
        for (String line : frame.split("\n")) {
          if (line.startsWith("id: ")) id = line.substring(4);
          if (line.startsWith("data: ")) data.append(line.substring(6));
        }
        if (id != null || data.length() > 0) {
          s.events.add(new Event(id, data.length() == 0 ? null : new JsonObject(data.toString())));
        }
      }
    });
    res.endHandler(v -> {
      if (!sse && pending.length() > 0) {
        s.events.add(new Event(null, new JsonObject(pending.toString())));
      }
      s.ended.tryComplete();
    });
    res.exceptionHandler(e -> s.ended.tryComplete());
    return s;
  }

  /** The messages received so far whose method is {@code method}. */
  public static List<JsonObject> notifications(Stream s, String method) {
    List<JsonObject> out = new ArrayList<>();
    for (Event e : s.events) {
      if (e.message() != null && method.equals(e.message().getString("method"))) out.add(e.message());
    }
    return out;
  }

  public Future<Void> close() {
    return http.close();
  }
}
