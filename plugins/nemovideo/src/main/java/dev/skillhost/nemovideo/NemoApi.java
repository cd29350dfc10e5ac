package dev.skillhost.nemovideo;

import dev.skillhost.api.ProviderContext;
import dev.skillhost.api.ProviderException;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.function.Function;

/**
 * The JSON calls: bearer token and the three attribution headers on each ("missing them will cause
 * auth failures or export 402"), both envelopes read ({@code {code, message, data}} and
 * {@code {success, data, error}}), errors as {@link ProviderException} with the backend's code.
 * A 1001 (bad or expired token) is answered by a new anonymous token and the call made once more:
 * a 1001 means the backend refused the call, so nothing was done or spent the first time.
 */
final class NemoApi {

  static final String AUTH_EXPIRED = "1001";

  private final WebClient web;
  private final NemoAuth auth;

  NemoApi(WebClient web, NemoAuth auth) {
    this.web = web;
    this.auth = auth;
  }

  NemoAuth auth() {
    return auth;
  }

  Future<JsonObject> get(ProviderContext ctx, NemoConfig cfg, String path) {
    return call(ctx, cfg, token -> request(cfg, HttpMethod.GET, path, token).send());
  }

  Future<JsonObject> post(ProviderContext ctx, NemoConfig cfg, String path, JsonObject body) {
    return call(ctx, cfg, token -> request(cfg, HttpMethod.POST, path, token).sendJsonObject(body));
  }

  /** Any call made with a token: unwrapped, and once more with a new token after a 1001. */
  Future<JsonObject> call(ProviderContext ctx, NemoConfig cfg, Function<String, Future<HttpResponse<Buffer>>> send) {
    return withToken(ctx, cfg, token -> send.apply(token).recover(e -> Future.failedFuture(transport(e))).map(NemoApi::unwrap));
  }

  /** Runs {@code work} with the token; after a 1001, with a new one, once. */
  <T> Future<T> withToken(ProviderContext ctx, NemoConfig cfg, Function<String, Future<T>> work) {
    return auth.token(ctx, cfg).compose(token -> work.apply(token).recover(e -> {
      if (e instanceof ProviderException pe && AUTH_EXPIRED.equals(pe.code()) && auth.renewable(cfg)) {
        ctx.log().log(System.Logger.Level.INFO, "NemoVideo token refused (1001); asking for a new anonymous token");
        return auth.invalidate(ctx, token).compose(v -> auth.token(ctx, cfg)).compose(work);
      }
      return Future.failedFuture(e);
    }));
  }

  HttpRequest<Buffer> request(NemoConfig cfg, HttpMethod method, String path, String token) {
    HttpRequest<Buffer> r = web.requestAbs(method, cfg.apiUrl() + path).timeout(cfg.callTimeout().toMillis());
    headers(r.headers(), cfg, token);
    return r;
  }

  static void headers(MultiMap h, NemoConfig cfg, String token) {
    h.set("Authorization", "Bearer " + token);
    h.set("X-Skill-Source", cfg.skillName());
    h.set("X-Skill-Version", cfg.skillVersion());
    h.set("X-Skill-Platform", cfg.skillPlatform());
  }

  /** The payload of an answer, or the backend's error as it sent it. */
  static JsonObject unwrap(HttpResponse<Buffer> res) {
    return unwrap(res.statusCode(), res.getHeader("Retry-After"), res.bodyAsString());
  }

  static JsonObject unwrap(int status, String retryAfter, String text) {
    JsonObject body;
    try {
      body = text == null || text.isBlank() ? new JsonObject() : new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      if (status >= 400) {
        throw error(null, status, "HTTP " + status + ": " + clip(text), retryAfter);
      }
      throw new ProviderException("bad_reply", 502, "NemoVideo answered with something that is not JSON: " + clip(text));
    }
    Object code = body.getValue("code");
    if (code != null && !"0".equals(String.valueOf(code))) {
      throw error(String.valueOf(code), status, body.getString("message", body.getString("msg", "error " + code)), retryAfter);
    }
    if (Boolean.FALSE.equals(body.getValue("success"))) {
      Object err = body.getValue("error");
      String msg = err instanceof JsonObject o ? o.getString("message", o.encode()) : String.valueOf(err);
      throw error(null, status, msg, retryAfter);
    }
    if (status >= 400) {
      throw error(null, status, "HTTP " + status + ": " + clip(text), retryAfter);
    }
    // {code:0, data} and {success:true, data}; the v1.9 render layout has no envelope at all
    Object data = body.getValue("data");
    return data instanceof JsonObject d && (body.containsKey("code") || body.containsKey("success")) ? d : body;
  }

  static ProviderException error(String code, int status, String text, String retryAfter) {
    Duration after = null;
    if (retryAfter != null) {
      try {
        after = Duration.ofSeconds(Long.parseLong(retryAfter.trim()));
      } catch (NumberFormatException ignored) {
        // an HTTP date: the error map's own delay applies
      }
    } else if (status == 429) {
      after = Duration.ofSeconds(30); // "retry once after 30 s"
    }
    return new ProviderException(code, status, text, after, null);
  }

  /** No answer at all: status 0, which the host treats as unclear (never re-sends a spend). */
  static Throwable transport(Throwable e) {
    return e instanceof ProviderException ? e : new ProviderException("network", 0,
        "no answer from NemoVideo: " + e.getMessage(), null, e);
  }

  private static String clip(String s) {
    return s == null ? "" : s.length() > 200 ? s.substring(0, 200) + "…" : s;
  }
}
