package dev.skillhost.chatart;

import dev.skillhost.api.ProviderContext;
import dev.skillhost.api.ProviderException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;

/**
 * ChatArt's business calls: the headers of the official {@code client.py}, the {@code {code,
 * message, data}} envelope ({@code code} 200 as int or string is success), and the errors as
 * {@link ProviderException}s carrying the backend's code. Its polls and history are GETs with a
 * JSON body, which the official client sends with {@code requests.get(url, json=…)}.
 */
final class ChatArtClient {

  static final String DEFAULT_BASE = "https://api.chatartpro.com";
  /** Not an official variable (the official client hard-codes its base); ours, for simulators and staging. */
  static final String BASE_ENV = "CHATARTPRO_BASE_URL";
  static final long TIMEOUT_MS = 60_000;

  private final WebClient web;

  ChatArtClient(WebClient web) {
    this.web = web;
  }

  WebClient web() {
    return web;
  }

  static String base(ProviderContext ctx) {
    String base = ctx.config().getString("base_url", ctx.secret(BASE_ENV).orElse(DEFAULT_BASE));
    return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
  }

  /** An authenticated call; answers the envelope's {@code data} (null when absent). */
  Future<Object> call(ProviderContext ctx, ChatArtCredentials creds, HttpMethod method, String path, JsonObject body) {
    HttpRequest<Buffer> req = web.requestAbs(method, base(ctx) + path).timeout(TIMEOUT_MS)
        .putHeader("Xskill-Authorization", "Bearer " + creds.apiKey())
        .putHeader("Identity-Id", creds.uid())
        .putHeader("Content-Type", "application/json")
        .putHeader("Language", "EN")
        .putHeader("Skill", "1")
        .putHeader("App-Type", "2");
    Future<HttpResponse<Buffer>> sent = body == null ? req.send() : req.sendBuffer(body.toBuffer());
    return sent.recover(ChatArtClient::network).map(ChatArtClient::data);
  }

  /** The envelope of an answer, or the failure it stands for. */
  static JsonObject envelope(HttpResponse<Buffer> res) {
    JsonObject json = parse(res);
    if (res.statusCode() != 200) {
      throw httpError(res, json);
    }
    if (json == null) {
      throw new ProviderException("malformed", 0, "ChatArt answered something that is not JSON: " + snippet(res));
    }
    return json;
  }

  static Object data(HttpResponse<Buffer> res) {
    JsonObject json = envelope(res);
    String code = String.valueOf(json.getValue("code"));
    if (!"200".equals(code)) {
      throw new ProviderException(code, 200, text(json, "ChatArt error " + code));
    }
    return json.getValue("data");
  }

  /**
   * A refusal's text: {@code msg}, which the official client reads on a failed unbind, else the
   * envelope's {@code message}, else {@code fallback}. Either may be absent or not a string.
   */
  static String text(JsonObject json, String fallback) {
    for (String field : new String[] {"msg", "message"}) {
      if (json.getValue(field) instanceof String s && !s.isBlank()) {
        return s;
      }
    }
    return fallback;
  }

  static ProviderException httpError(HttpResponse<Buffer> res, JsonObject json) {
    Duration retryAfter = retryAfter(res.getHeader("Retry-After"));
    String code = json != null && json.getValue("code") != null ? String.valueOf(json.getValue("code")) : null;
    String text = json == null ? "HTTP " + res.statusCode() + " " + snippet(res)
        : text(json, "HTTP " + res.statusCode() + " " + snippet(res));
    return new ProviderException(code, res.statusCode(), text, retryAfter, null);
  }

  static JsonObject parse(HttpResponse<Buffer> res) {
    Buffer body = res.body();
    if (body == null || body.length() == 0) {
      return null;
    }
    try {
      return body.toJsonObject();
    } catch (DecodeException | ClassCastException e) {
      return null;
    }
  }

  static <T> Future<T> network(Throwable e) {
    if (e instanceof ProviderException) {
      return Future.failedFuture(e);
    }
    return Future.failedFuture(new ProviderException("network", 0, "no answer from ChatArt: " + e.getMessage(), null, e));
  }

  private static Duration retryAfter(String header) {
    if (header == null) {
      return null;
    }
    try {
      return Duration.ofSeconds(Long.parseLong(header.trim()));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String snippet(HttpResponse<Buffer> res) {
    String s = res.body() == null ? "" : res.body().toString();
    return s.length() > 200 ? s.substring(0, 200) + "…" : s;
  }
}
