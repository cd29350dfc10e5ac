package dev.skillhost.host.mcp;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * One client request being answered. A quick answer goes back as one JSON body; once the server
 * has something to send first (progress, an elicitation) the answer becomes an SSE stream of the
 * session, which a client that lost the connection resumes with {@code Last-Event-ID}.
 */
final class Exchange {

  private static final long ASK_TIMEOUT_MS = 10 * 60_000;

  final Vertx vertx;
  final McpSession session;
  final Object id;
  final String method;
  final JsonObject params;
  private final HttpServerResponse response;
  private final boolean sseAllowed;
  /** The message was over {@link McpRoutes#LARGE_MESSAGE_BYTES}: its arguments are checked on a worker. */
  final boolean large;
  private final List<Runnable> onCancel = new ArrayList<>();
  private SseStream stream;
  private double lastProgress = -1;
  private boolean answered;
  boolean cancelled;

  Exchange(Vertx vertx, McpSession session, Object id, String method, JsonObject params, HttpServerResponse response,
      boolean sseAllowed, boolean large) {
    this.vertx = vertx;
    this.session = session;
    this.id = id;
    this.method = method;
    this.params = params == null ? new JsonObject() : params;
    this.response = response;
    this.sseAllowed = sseAllowed;
    this.large = large;
  }

  /** The client's progress token ({@code _meta.progressToken}), or null. */
  Object progressToken() {
    JsonObject meta = params.getJsonObject("_meta");
    return meta == null ? null : meta.getValue("progressToken");
  }

  /** Whether notifications and requests can reach the client before the answer. */
  boolean canStream() {
    return sseAllowed && !answered;
  }

  /** Sends a notification related to this request (dropped when the client cannot take a stream). */
  void notifyClient(String method, JsonObject params) {
    if (canStream()) {
      stream().send(Rpc.notification(method, params));
    }
  }

  /**
   * {@code notifications/progress}, when the client asked for it: {@code fraction} of 1, only
   * when it moved forward (the value must increase), with the message to show.
   */
  void progress(double fraction, String message) {
    Object token = progressToken();
    double f = Math.max(0, Math.min(1, fraction));
    if (token == null || f <= lastProgress) {
      return;
    }
    lastProgress = f;
    JsonObject p = new JsonObject().put("progressToken", token).put("progress", f).put("total", 1.0);
    if (message != null) {
      p.put("message", message);
    }
    notifyClient("notifications/progress", p);
  }

  /** Asks the client something ({@code elicitation/create}); the answer's {@code result}. */
  Future<JsonObject> ask(String method, JsonObject params) {
    if (!canStream()) {
      return Future.failedFuture(new Rpc.Failure(Rpc.INTERNAL_ERROR, "the client takes no stream"));
    }
    String rid = session.nextRequestId();
    Promise<JsonObject> answer = Promise.promise();
    session.pending.put(rid, answer);
    stream().send(Rpc.request(rid, method, params));
    long timer = vertx.setTimer(ASK_TIMEOUT_MS, t -> {
      session.pending.remove(rid);
      answer.tryFail(new Rpc.Failure(Rpc.INTERNAL_ERROR, "no answer to " + method + " within 10 minutes"));
    });
    return answer.future().andThen(ar -> vertx.cancelTimer(timer));
  }

  /** Runs when the client cancels the request ({@code notifications/cancelled}). */
  void onCancel(Runnable r) {
    onCancel.add(r);
  }

  void cancel() {
    cancelled = true;
    onCancel.forEach(Runnable::run);
    onCancel.clear();
  }

  /** Sends the answer: the body of a JSON response, or the last message of the stream. */
  void answer(JsonObject message) {
    if (answered) {
      return;
    }
    answered = true;
    if (stream != null) {
      stream.finish(message);
      return;
    }
    if (!response.closed() && !response.ended()) {
      response.putHeader("Content-Type", "application/json").end(message.encode());
    }
  }

  private SseStream stream() {
    if (stream == null) {
      stream = session.newStream();
      stream.attach(response, 0);
    }
    return stream;
  }
}
