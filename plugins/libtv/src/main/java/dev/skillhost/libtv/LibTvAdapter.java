package dev.skillhost.libtv;

import dev.skillhost.api.ProviderException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.multipart.MultipartForm;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * One LibTV backend as the plugin speaks to it. The two backends share the session model but not
 * the wire: the Nexu gateway takes {@code X-API-KEY} and answers bare objects (errors
 * {@code {error:{user_message}}}); LibTV's OpenAPI takes a bearer key and answers
 * {@code {code, message, data}}. Subclasses say which; this class does the exchange and turns
 * every failure into a {@link ProviderException} the skill's error map can read.
 */
abstract class LibTvAdapter {

  /** The official clients' per-request timeouts: 30 s, 120 s for uploads. */
  static final long REQUEST_TIMEOUT_MS = 30_000;
  static final long UPLOAD_TIMEOUT_MS = 120_000;
  static final String USER_AGENT = "LibTVSkill/1.0";

  protected final WebClient client;
  protected final String baseUrl;
  protected final LibTvKey key;

  LibTvAdapter(WebClient client, String baseUrl, LibTvKey key) {
    this.client = client;
    this.baseUrl = baseUrl;
    this.key = key;
  }

  static LibTvAdapter of(WebClient client, LibTvSettings settings, LibTvKey key) {
    return key.mode() == LibTvKey.Mode.GATEWAY
        ? new LibTvGateway(client, settings.baseUrl(key.mode()), key)
        : new LibTvDirect(client, settings.baseUrl(key.mode()), key);
  }

  /** Creates a session, or sends a message into one: {@code {sessionId, projectUuid, projectUrl?}}. */
  abstract Future<JsonObject> session(JsonObject body);

  /** The session's messages after {@code afterSeq} (all of them when it is 0). */
  abstract Future<JsonArray> messages(String sessionId, long afterSeq);

  /** Uploads one file; answers its LibTV URL. */
  abstract Future<String> upload(String path, String filename, String mime);

  /** Binds the key to a new project; answers the project's uuid. */
  abstract Future<String> changeProject();

  /** Adds the backend's auth header to a request. */
  protected abstract HttpRequest<Buffer> authorize(HttpRequest<Buffer> request);

  /** The useful part of a 2xx answer, or a failure when the envelope says it failed. */
  protected abstract JsonObject unwrap(int status, JsonObject body);

  /** The error a non-2xx answer carries. */
  protected abstract ProviderException error(HttpResponse<Buffer> response, JsonObject body, Duration retryAfter);

  /** The official client's words when the backend cannot be reached. */
  protected abstract String unreachable();

  protected HttpRequest<Buffer> request(HttpMethod method, String path, long timeoutMs) {
    return authorize(client.requestAbs(method, baseUrl + path)
        .putHeader("User-Agent", USER_AGENT)
        .putHeader("Accept", "application/json")
        .timeout(timeoutMs));
  }

  protected Future<JsonObject> getJson(String path) {
    return exchange(request(HttpMethod.GET, path, REQUEST_TIMEOUT_MS).send(), false);
  }

  /**
   * Sends a JSON body. With {@code spending}, only a failure to connect counts as refused (nothing
   * reached the backend); anything after the request went out is unclear, for the host to reconcile.
   */
  protected Future<JsonObject> postJson(String path, JsonObject body, boolean spending) {
    return exchange(request(HttpMethod.POST, path, REQUEST_TIMEOUT_MS).sendJsonObject(body), spending);
  }

  protected Future<JsonObject> postForm(String path, MultipartForm form) {
    return exchange(request(HttpMethod.POST, path, UPLOAD_TIMEOUT_MS).sendMultipartForm(form), false);
  }

  private Future<JsonObject> exchange(Future<HttpResponse<Buffer>> sent, boolean spending) {
    return sent.recover(e -> Future.failedFuture(transport(e, spending))).compose(this::read);
  }

  private Future<JsonObject> read(HttpResponse<Buffer> response) {
    int status = response.statusCode();
    JsonObject body = parse(response.body());
    if (status < 200 || status >= 300) {
      return Future.failedFuture(error(response, body == null ? new JsonObject() : body, retryAfter(response)));
    }
    if (body == null) {
      // The backend did the work but its answer cannot be read: status 0, so a submit is reconciled.
      return Future.failedFuture(new ProviderException("bad_reply", 0,
          "LibTV answered HTTP " + status + " with a body that is not a JSON object"));
    }
    try {
      return Future.succeededFuture(unwrap(status, body));
    } catch (ProviderException e) {
      return Future.failedFuture(e);
    }
  }

  private ProviderException transport(Throwable e, boolean spending) {
    boolean neverSent = e instanceof ConnectException || e instanceof UnknownHostException
        || (e.getCause() instanceof ConnectException);
    String text = unreachable() + ": " + e.getMessage();
    if (neverSent) {
      return spending ? ProviderException.rejected("unreachable", text)
          : new ProviderException("unreachable", 0, text, null, e);
    }
    return new ProviderException("no_answer", 0, "No answer from LibTV (" + e.getClass().getSimpleName() + ": "
        + e.getMessage() + ")", null, e);
  }

  private static JsonObject parse(Buffer body) {
    if (body == null || body.length() == 0) return null;
    try {
      Object v = Json.decode(body);
      return v instanceof JsonObject o ? o : null;
    } catch (DecodeException e) {
      return null;
    }
  }

  private static Duration retryAfter(HttpResponse<Buffer> response) {
    String v = response.getHeader("Retry-After");
    if (v == null) return null;
    try {
      return Duration.ofSeconds(Math.max(0, Long.parseLong(v.trim())));
    } catch (NumberFormatException e) {
      return null; // an HTTP date: rare for these backends, and the skill's own delay applies
    }
  }

  /** A field of an answer that the flow cannot go on without. */
  static String required(JsonObject data, String field, String what) {
    Object v = data.getValue(field);
    if (!(v instanceof String s) || s.isBlank()) {
      throw new ProviderException("bad_reply", 0, "LibTV's " + what + " answer has no " + field);
    }
    return s;
  }

  /** Vert.x's decoder, kept apart so a bad body is a value, not an exception in the chain. */
  private static final class Json {
    static Object decode(Buffer b) {
      return io.vertx.core.json.Json.decodeValue(b);
    }
  }
}
