package dev.skillhost.libtv;

import dev.skillhost.api.ProviderException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.multipart.MultipartForm;
import java.time.Duration;

/**
 * LibTV's own OpenAPI ({@code sk-libtv-} keys): {@code Authorization: Bearer}, answers
 * {@code {code, message, data}} with code 0 on success, errors {@code {code, message|msg}}
 * (libtv-labs/libtv-skills {@code _common.py}; nexu {@code call_direct_api}).
 */
final class LibTvDirect extends LibTvAdapter {

  /** The path nexu and the upstream README use. */
  static final String UPLOAD = "/openapi/file/upload";
  /** The path the upstream upload script uses, with the key repeated as form field accessKey. */
  static final String UPLOAD_FALLBACK = "/openapi/upload";

  LibTvDirect(WebClient client, String baseUrl, LibTvKey key) {
    super(client, baseUrl, key);
  }

  @Override
  Future<JsonObject> session(JsonObject body) {
    return postJson("/openapi/session", body, body.containsKey("message"));
  }

  @Override
  Future<JsonArray> messages(String sessionId, long afterSeq) {
    String q = afterSeq > 0 ? "?afterSeq=" + afterSeq : "";
    return getJson("/openapi/session/" + sessionId + q).map(LibTvGateway::messageList);
  }

  /**
   * Upstream disagrees with itself on the path; the newer agreement first, and the script's path
   * only when the first is not there (404/405), never after a real refusal.
   */
  @Override
  Future<String> upload(String path, String filename, String mime) {
    return postForm(UPLOAD, MultipartForm.create().binaryFileUpload("file", filename, path, mime))
        .recover(e -> e instanceof ProviderException pe && (pe.httpStatus() == 404 || pe.httpStatus() == 405)
            ? postForm(UPLOAD_FALLBACK, MultipartForm.create().attribute("accessKey", key.value())
                .binaryFileUpload("file", filename, path, mime))
            : Future.failedFuture(e))
        .map(d -> required(d, "url", "upload"));
  }

  @Override
  Future<String> changeProject() {
    return postJson("/openapi/session/change-project", new JsonObject(), false).map(d -> required(d, "projectUuid", "change-project"));
  }

  @Override
  protected HttpRequest<Buffer> authorize(HttpRequest<Buffer> request) {
    return request.bearerTokenAuthentication(key.value());
  }

  @Override
  protected JsonObject unwrap(int status, JsonObject body) {
    Object code = body.getValue("code");
    if (code != null && !"0".equals(String.valueOf(code))) {
      throw new ProviderException(String.valueOf(code), status, text(body, "LibTV refused the request"));
    }
    if (!(body.getValue("data") instanceof JsonObject data)) {
      throw new ProviderException("bad_reply", 0, "LibTV's answer has no data object");
    }
    return data;
  }

  @Override
  protected ProviderException error(HttpResponse<Buffer> response, JsonObject body, Duration retryAfter) {
    Object code = body.getValue("code");
    String text = text(body, "Request failed (HTTP " + response.statusCode() + ")");
    return new ProviderException(code == null ? null : String.valueOf(code), response.statusCode(), text, retryAfter, null);
  }

  @Override
  protected String unreachable() {
    return "Cannot connect to direct LibTV API";
  }

  private static String text(JsonObject body, String fallback) {
    String m = body.getValue("message") instanceof String s && !s.isBlank() ? s
        : body.getValue("msg") instanceof String s2 && !s2.isBlank() ? s2 : null;
    return m == null ? fallback : m;
  }
}
