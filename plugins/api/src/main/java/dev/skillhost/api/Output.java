package dev.skillhost.api;

import io.vertx.core.json.JsonObject;

/**
 * One result of a task.
 *
 * @param kind image, video, audio or text
 * @param file host artifact id when the provider stored the bytes itself, else null
 * @param url  the backend's URL for the result when it lives upstream, else null
 * @param mime content type, or null if unknown
 * @param meta facts about the result; keys the host reads: {@code width}, {@code height},
 *             {@code duration_ms}; {@code text} (a textual result, e.g. an account summary);
 *             {@code link} (a page where the user opens or goes on with the result: an editor,
 *             a canvas); {@code headers} (request headers the backend's CDN needs to serve
 *             {@code url}); {@code cost} (what the task was charged, a number in the unit of the
 *             provider's estimates, when the backend says it). Others are kept and shown as they are.
 */
public record Output(String kind, String file, String url, String mime, JsonObject meta) {

  public Output {
    meta = meta == null ? new JsonObject() : meta.copy();
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("kind", kind);
    if (file != null) json.put("file", file);
    if (url != null) json.put("url", url);
    if (mime != null) json.put("mime", mime);
    if (!meta.isEmpty()) json.put("meta", meta.copy());
    return json;
  }
}
