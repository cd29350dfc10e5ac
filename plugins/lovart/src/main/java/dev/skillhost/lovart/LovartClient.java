package dev.skillhost.lovart;

import dev.skillhost.api.ProviderException;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.multipart.MultipartForm;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * One signed exchange with the Lovart gateway, and the official client's retry rules with one fix:
 * GETs are tried up to three times on HTTP 404 ("gateway route mismatch"), 429, 502, 503 and on
 * connection errors, 2 s then 4 s apart, <em>and</em> never sooner than {@code Retry-After} (the
 * official client ignores it). A Retry-After longer than {@link #MAX_INLINE_WAIT} is not waited out
 * here: the look fails with it, and the host's scheduler comes back then. POSTs are sent once.
 * Every attempt is signed afresh. The envelope {@code {code, message, data, details}} is unwrapped:
 * {@code code != 0} and HTTP errors leave as {@link ProviderException} with the body's code (or the
 * HTTP status when the body has none), the HTTP status, the text and Retry-After.
 */
final class LovartClient {

  /** Chrome-like, as the official client sends ("Cloudflare's bot management 403s a library's default"). */
  static final String USER_AGENT = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) LovartAgentSkill/1.0";
  static final int GET_ATTEMPTS = 3;
  static final Duration MAX_INLINE_WAIT = Duration.ofSeconds(10);
  static final long GET_TIMEOUT_MS = 15_000;
  static final long POST_TIMEOUT_MS = 60_000;

  private final WebClient web;
  private final LovartConfig config;
  private final LovartSigner signer;
  private final Vertx vertx;
  private final Clock clock;

  LovartClient(WebClient web, LovartConfig config, Vertx vertx, Clock clock) {
    this.web = web;
    this.config = config;
    this.signer = new LovartSigner(config.accessKey(), config.secretKey());
    this.vertx = vertx;
    this.clock = clock;
  }

  /** A signed GET with retries; answers the envelope's {@code data}. */
  Future<JsonObject> get(String endpoint, Map<String, String> query) {
    return get(endpoint, query, 0);
  }

  private Future<JsonObject> get(String endpoint, Map<String, String> query, int attempt) {
    HttpRequest<Buffer> req = request(HttpMethod.GET, endpoint).timeout(GET_TIMEOUT_MS);
    query.forEach(req::addQueryParam);
    return req.send().transform(ar -> {
      ProviderException failure = ar.succeeded() ? null : connectionFailure(ar.cause());
      if (ar.succeeded()) {
        try {
          return Future.succeededFuture(unwrap(ar.result()));
        } catch (ProviderException e) {
          failure = e;
        }
      }
      if (attempt + 1 >= GET_ATTEMPTS || !retryable(failure)) {
        return Future.failedFuture(failure);
      }
      long backoff = 2_000L * (attempt + 1);
      Duration after = failure.retryAfter();
      if (after != null && after.compareTo(MAX_INLINE_WAIT) > 0) {
        return Future.failedFuture(failure); // the host's scheduler waits this out, not a pending call
      }
      long wait = after == null ? backoff : Math.max(backoff, after.toMillis());
      return vertx.timer(wait).compose(v -> get(endpoint, query, attempt + 1));
    });
  }

  /** A signed JSON POST, sent exactly once, with its Idempotency-Key. */
  Future<JsonObject> post(String endpoint, JsonObject body, String idempotencyKey) {
    return request(HttpMethod.POST, endpoint).timeout(POST_TIMEOUT_MS)
        .putHeader("Content-Type", "application/json")
        .putHeader("Idempotency-Key", idempotencyKey)
        .sendBuffer(body.toBuffer())
        .transform(ar -> ar.succeeded() ? Future.succeededFuture(unwrap(ar.result()))
            : Future.failedFuture(connectionFailure(ar.cause())))
        .recover(e -> Future.failedFuture(e instanceof ProviderException ? e : failureOf(e)));
  }

  /** {@code POST /file/upload}: one multipart part named {@code file}; answers the CDN URL. */
  Future<String> upload(String file, String filename, String mime, String idempotencyKey) {
    MultipartForm form = MultipartForm.create().binaryFileUpload("file", filename, file,
        mime == null ? "application/octet-stream" : mime);
    return request(HttpMethod.POST, "/file/upload").timeout(POST_TIMEOUT_MS)
        .putHeader("Idempotency-Key", idempotencyKey)
        .sendMultipartForm(form)
        .transform(ar -> ar.succeeded() ? Future.succeededFuture(unwrap(ar.result()))
            : Future.failedFuture(connectionFailure(ar.cause())))
        .recover(e -> Future.failedFuture(e instanceof ProviderException ? e : failureOf(e)))
        .map(data -> {
          String url = data.getString("url");
          if (url == null || url.isBlank()) {
            throw new ProviderException("malformed", 200, "Lovart's upload answer has no url");
          }
          return url;
        });
  }

  /** The public tool catalog: unsigned, but with a browser user agent. */
  Future<JsonObject> catalog() {
    return web.requestAbs(HttpMethod.GET, config.baseUrl() + config.prefix() + "/tools/catalog")
        .timeout(GET_TIMEOUT_MS).putHeader("User-Agent", USER_AGENT).putHeader("Accept", "application/json")
        .send().transform(ar -> ar.succeeded() ? Future.succeededFuture(unwrap(ar.result()))
            : Future.failedFuture(connectionFailure(ar.cause())));
  }

  private HttpRequest<Buffer> request(HttpMethod method, String endpoint) {
    String path = config.prefix() + endpoint;
    HttpRequest<Buffer> req = web.requestAbs(method, config.baseUrl() + path);
    MultiMap headers = req.headers();
    signer.headers(method.name(), path, clock.millis() / 1000).forEach(headers::set);
    headers.set("User-Agent", USER_AGENT);
    return req;
  }

  static boolean retryable(ProviderException e) {
    int s = e.httpStatus();
    return s == 0 || s == 404 || s == 429 || s == 502 || s == 503;
  }

  /** The envelope's data, or the failure it (or the HTTP status) says. */
  static JsonObject unwrap(HttpResponse<Buffer> res) {
    int status = res.statusCode();
    Duration retryAfter = retryAfter(res.getHeader("Retry-After"));
    JsonObject body;
    try {
      String text = res.bodyAsString();
      body = text == null || !text.stripLeading().startsWith("{") ? null : new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      body = null;
    }
    if (status >= 400) {
      if (body == null) {
        String raw = res.bodyAsString();
        throw new ProviderException(String.valueOf(status), status,
            "HTTP " + status + ": " + (raw == null ? "" : raw.length() > 200 ? raw.substring(0, 200) : raw), retryAfter, null);
      }
      String code = body.getValue("code") == null ? String.valueOf(status) : String.valueOf(body.getValue("code"));
      throw new ProviderException(code, status, text(body, "HTTP " + status), retryAfter, null);
    }
    if (body == null) {
      throw new ProviderException("malformed", status, "Lovart answered with something that is not a JSON object",
          null, null);
    }
    Object code = body.getValue("code", 0);
    if (!(code instanceof Number n) || n.intValue() != 0) {
      throw new ProviderException(String.valueOf(code), status, text(body, "Unknown error"), retryAfter, null);
    }
    JsonObject data = body.getJsonObject("data");
    return data != null ? data : body;
  }

  private static String text(JsonObject body, String fallback) {
    String msg = body.getString("message", body.getString("error", fallback));
    String details = body.getString("details", "");
    return details.isEmpty() ? msg : msg + ": " + details;
  }

  static Duration retryAfter(String header) {
    if (header == null) {
      return null;
    }
    try {
      return Duration.ofSeconds(Math.max(0, Long.parseLong(header.trim())));
    } catch (NumberFormatException e) {
      return null; // an HTTP date: Lovart documents seconds only
    }
  }

  private static ProviderException connectionFailure(Throwable cause) {
    return cause instanceof ProviderException pe ? pe : failureOf(cause);
  }

  private static ProviderException failureOf(Throwable cause) {
    String text = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    return new ProviderException("connection", 0, "Connection to Lovart failed: " + text, null, cause);
  }
}
