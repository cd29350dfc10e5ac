package dev.skillhost.nemovideo;

import dev.skillhost.api.ProviderContext;
import dev.skillhost.api.ProviderException;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sends a message to the agent: {@code POST /run_sse}, the one call that spends credits, made once
 * per task and never again for it (re-sending "duplicates the work and charges twice"; nothing can
 * resume a stream). The answer is a stream without a terminal event; its end is the end of the
 * turn. Open streams are kept here by session id for stream() and poll() to read.
 */
final class NemoMessenger {

  private final NemoApi api;
  private final Map<String, NemoLiveTurn> live = new ConcurrentHashMap<>();

  NemoMessenger(NemoApi api) {
    this.api = api;
  }

  /**
   * Sends {@code text} to session {@code sid}; succeeds once the backend has accepted it (the
   * stream has started). A refusal (error envelope) certainly spent nothing; no answer at all is
   * unclear and the host reconciles instead of re-sending.
   */
  Future<NemoLiveTurn> send(ProviderContext ctx, NemoConfig cfg, String sid, String text) {
    purge();
    JsonObject body = new JsonObject().put("app_name", "nemo_agent").put("user_id", "me").put("session_id", sid)
        .put("new_message", new JsonObject().put("role", "user")
            .put("parts", new JsonArray().add(new JsonObject().put("text", text))));
    return api.withToken(ctx, cfg, token -> open(ctx, cfg, token, body)).map(turn -> {
      live.put(sid, turn);
      return turn;
    });
  }

  NemoLiveTurn live(String sid) {
    return live.get(sid);
  }

  void forget(String sid) {
    live.remove(sid);
  }

  private Future<NemoLiveTurn> open(ProviderContext ctx, NemoConfig cfg, String token, JsonObject body) {
    RequestOptions opts = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(cfg.apiUrl() + "/run_sse")
        .setIdleTimeout(cfg.streamIdle().toMillis())
        .putHeader("Content-Type", "application/json").putHeader("Accept", "text/event-stream");
    NemoApi.headers(opts.getHeaders(), cfg, token);
    return ctx.http().request(opts)
        .compose(req -> req.send(body.toBuffer()).map(res -> accept(ctx, cfg, req, res)))
        .recover(e -> Future.failedFuture(NemoApi.transport(e)))
        .compose(f -> f);
  }

  private Future<NemoLiveTurn> accept(ProviderContext ctx, NemoConfig cfg, io.vertx.core.http.HttpClientRequest req,
      HttpClientResponse res) {
    String type = res.getHeader("Content-Type");
    if (res.statusCode() != 200 || type == null || !type.startsWith("text/event-stream")) {
      // an answer, not a stream: the backend refused the message, so nothing was spent
      return res.body().map(b -> {
        try {
          NemoApi.unwrap(res.statusCode(), res.getHeader("Retry-After"), b.toString());
        } catch (ProviderException pe) {
          // 4xx: refused; 5xx: unclear, left for the host to reconcile; an envelope error on 200: refused
          throw pe.httpStatus() >= 400 ? pe : ProviderException.rejected(pe.code(), pe.text());
        }
        throw ProviderException.rejected("bad_reply", "NemoVideo answered the message without a stream");
      });
    }
    NemoLiveTurn turn = new NemoLiveTurn(ctx.vertx(), cfg.streamIdle().toMillis());
    NemoSseParser parser = new NemoSseParser(turn::event);
    res.handler(parser::feed);
    res.endHandler(v -> {
      parser.end();
      turn.finish(NemoLiveTurn.End.CLOSED);
    });
    res.exceptionHandler(e -> {
      ctx.log().log(System.Logger.Level.INFO, "NemoVideo stream dropped: " + e);
      turn.finish(NemoLiveTurn.End.DROPPED);
    });
    turn.onCut(() -> req.reset());
    return Future.succeededFuture(turn);
  }

  /** Streams that ended long ago and that no poll came for (a cancelled task). */
  private void purge() {
    long old = System.currentTimeMillis() - 3_600_000;
    live.values().removeIf(t -> t.end() != NemoLiveTurn.End.OPEN && t.endedAt() < old);
  }
}
