package dev.skillhost.feishu;

import dev.skillhost.api.ProviderException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.multipart.MultipartForm;
import java.util.function.Function;

/**
 * The four Open API calls a delivery makes, each answering the envelope's {@code data} or failing
 * with a {@link ProviderException} (see {@link FeishuErrors}). Authenticated calls go through
 * {@link #authed}, which fetches the tenant token from the cache and, when the gateway says the
 * token is missing or no longer valid (99991661/99991663), drops it and tries once more with a
 * fresh one: the gateway refused the first request, so nothing was sent twice.
 */
final class FeishuApi {

  static final String TOKEN_PATH = "/open-apis/auth/v3/tenant_access_token/internal";
  static final String FILES_PATH = "/open-apis/im/v1/files";
  static final String IMAGES_PATH = "/open-apis/im/v1/images";
  static final String MESSAGES_PATH = "/open-apis/im/v1/messages";
  static final long CALL_TIMEOUT_MS = 60_000;
  static final long UPLOAD_TIMEOUT_MS = 300_000;

  private final WebClient web;
  private final FeishuTokenCache tokens;

  FeishuApi(WebClient web, FeishuTokenCache tokens) {
    this.web = web;
    this.tokens = tokens;
  }

  /** A new tenant access token and its lifetime in seconds; this endpoint answers without {@code data}. */
  Future<JsonObject> fetchToken(FeishuSettings s) {
    JsonObject body = new JsonObject().put("app_id", s.appId()).put("app_secret", s.appSecret());
    return web.postAbs(s.base() + TOKEN_PATH).timeout(CALL_TIMEOUT_MS)
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .sendBuffer(body.toBuffer())
        .recover(FeishuApi::network)
        .map(FeishuApi::envelope);
  }

  /** Uploads a file (mp4 for a media message, stream for anything else); answers its {@code file_key}. */
  Future<String> uploadFile(FeishuSettings s, Upload u) {
    return authed(s, token -> {
      MultipartForm form = MultipartForm.create()
          .attribute("file_type", u.fileType())
          .attribute("file_name", u.fileName());
      if (u.durationMs() != null) {
        form.attribute("duration", String.valueOf(u.durationMs()));
      }
      form.binaryFileUpload("file", u.fileName(), u.path(), u.mime());
      return web.postAbs(s.base() + FILES_PATH).timeout(UPLOAD_TIMEOUT_MS)
          .putHeader("Authorization", "Bearer " + token)
          .sendMultipartForm(form);
    }).map(data -> required(data, "file_key"));
  }

  /** Uploads an image for a message; answers its {@code image_key}. */
  Future<String> uploadImage(FeishuSettings s, Upload u) {
    return authed(s, token -> web.postAbs(s.base() + IMAGES_PATH).timeout(UPLOAD_TIMEOUT_MS)
        .putHeader("Authorization", "Bearer " + token)
        .sendMultipartForm(MultipartForm.create()
            .attribute("image_type", "message")
            .binaryFileUpload("image", u.fileName(), u.path(), u.mime())))
        .map(data -> required(data, "image_key"));
  }

  /**
   * Posts one message. {@code uuid} makes Feishu post it at most once per hour however often it is
   * sent, which is what lets the host re-deliver after a crash without a second message in the chat.
   */
  Future<JsonObject> sendMessage(FeishuSettings s, String receiveIdType, String receiveId, String msgType,
      JsonObject content, String uuid) {
    JsonObject body = new JsonObject().put("receive_id", receiveId).put("msg_type", msgType)
        .put("content", content.encode()).put("uuid", uuid);
    return authed(s, token -> web.postAbs(s.base() + MESSAGES_PATH).timeout(CALL_TIMEOUT_MS)
        .addQueryParam("receive_id_type", receiveIdType)
        .putHeader("Authorization", "Bearer " + token)
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .sendBuffer(body.toBuffer()));
  }

  private Future<JsonObject> authed(FeishuSettings s, Function<String, Future<HttpResponse<Buffer>>> call) {
    return attempt(s, call).recover(e -> {
      if (!FeishuErrors.tokenRefused(e)) {
        return Future.failedFuture(e);
      }
      return attempt(s, call);
    });
  }

  private Future<JsonObject> attempt(FeishuSettings s, Function<String, Future<HttpResponse<Buffer>>> call) {
    return tokens.token(s, this).compose(token -> call.apply(token)
        .recover(FeishuApi::network)
        .map(FeishuApi::data)
        .onFailure(e -> {
          if (FeishuErrors.tokenRefused(e)) {
            tokens.forget(s, token);
          }
        }));
  }

  private static JsonObject data(HttpResponse<Buffer> res) {
    JsonObject data = envelope(res).getJsonObject("data");
    return data == null ? new JsonObject() : data;
  }

  /** The whole answer when its {@code code} is 0, else the failure it stands for. */
  private static JsonObject envelope(HttpResponse<Buffer> res) {
    JsonObject json = parse(res.body());
    Object code = json == null ? null : json.getValue("code");
    String msg = json == null ? snippet(res.body()) : json.getString("msg");
    if (res.statusCode() == 200 && code != null && "0".equals(String.valueOf(code))) {
      return json;
    }
    if (res.statusCode() == 200 && json == null) {
      throw new ProviderException("malformed", 200, "Feishu answered something that is not JSON: " + msg);
    }
    throw FeishuErrors.of(res.statusCode(), code == null ? null : String.valueOf(code), msg, res.headers());
  }

  private static String required(JsonObject data, String field) {
    String v = data.getString(field);
    if (v == null || v.isBlank()) {
      throw new ProviderException("malformed", 200, "Feishu's answer has no " + field + ": " + data.encode());
    }
    return v;
  }

  private static JsonObject parse(Buffer body) {
    if (body == null || body.length() == 0) {
      return null;
    }
    try {
      return body.toJsonObject();
    } catch (DecodeException | ClassCastException e) {
      return null;
    }
  }

  private static String snippet(Buffer body) {
    String s = body == null ? "" : body.toString();
    return s.length() > 200 ? s.substring(0, 200) + "…" : s;
  }

  private static <T> Future<T> network(Throwable e) {
    if (e instanceof ProviderException) {
      return Future.failedFuture(e);
    }
    return Future.failedFuture(new ProviderException("network", 0, "no answer from Feishu: " + e.getMessage(), null, e));
  }

  /** A file to upload from the host's store. */
  record Upload(String path, String fileName, String mime, String fileType, Integer durationMs) {}
}
