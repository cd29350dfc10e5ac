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
 * The Nexu-managed Seedance gateway ({@code mgk_} keys): {@code X-API-KEY}, bare JSON answers,
 * errors {@code {"error":{"user_message":…}}} (nexu libtv_video.py {@code call_gateway} and its tests).
 */
final class LibTvGateway extends LibTvAdapter {

  LibTvGateway(WebClient client, String baseUrl, LibTvKey key) {
    super(client, baseUrl, key);
  }

  @Override
  Future<JsonObject> session(JsonObject body) {
    return postJson("/libtv/v1/session", body, body.containsKey("message"));
  }

  @Override
  Future<JsonArray> messages(String sessionId, long afterSeq) {
    String q = afterSeq > 0 ? "?afterSeq=" + afterSeq : "";
    return getJson("/libtv/v1/session/" + sessionId + q).map(LibTvGateway::messageList);
  }

  @Override
  Future<String> upload(String path, String filename, String mime) {
    return postForm("/libtv/v1/upload", MultipartForm.create().binaryFileUpload("file", filename, path, mime))
        .map(d -> required(d, "url", "upload"));
  }

  @Override
  Future<String> changeProject() {
    return postJson("/libtv/v1/session/change-project", new JsonObject(), false).map(d -> required(d, "projectUuid", "change-project"));
  }

  /** {@code {remaining_uses, max_uses, expires_at?}}: the trial key's uses, not credits. */
  Future<JsonObject> keyStatus() {
    return getJson("/api/v1/key/status").map(d -> {
      if (!(d.getValue("remaining_uses") instanceof Number) || !(d.getValue("max_uses") instanceof Number)) {
        throw new ProviderException("bad_reply", 0, "the gateway's key status has no remaining_uses/max_uses");
      }
      return d;
    });
  }

  /** The key's recent generations: {@code [{id, status, backend, created_at, completed_at, video_url, error_message}]}. */
  Future<JsonArray> tasks() {
    return getJson("/api/v1/tasks").map(d -> {
      if (!(d.getValue("tasks") instanceof JsonArray a)) {
        throw new ProviderException("bad_reply", 0, "the gateway's task list has no tasks");
      }
      return a;
    });
  }

  @Override
  protected HttpRequest<Buffer> authorize(HttpRequest<Buffer> request) {
    return request.putHeader("X-API-KEY", key.value());
  }

  @Override
  protected JsonObject unwrap(int status, JsonObject body) {
    return body;
  }

  @Override
  protected ProviderException error(HttpResponse<Buffer> response, JsonObject body, Duration retryAfter) {
    JsonObject error = body.getValue("error") instanceof JsonObject e ? e : new JsonObject();
    String text = error.getString("user_message");
    if (text == null || text.isBlank()) text = "Request failed (HTTP " + response.statusCode() + ")";
    return new ProviderException(null, response.statusCode(), text, retryAfter, null);
  }

  @Override
  protected String unreachable() {
    return "Cannot connect to gateway";
  }

  static JsonArray messageList(JsonObject data) {
    if (!(data.getValue("messages") instanceof JsonArray a)) {
      throw new ProviderException("bad_reply", 0, "LibTV's session answer has no messages list");
    }
    return a;
  }
}
