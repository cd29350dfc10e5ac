package dev.skillhost.nemovideo;

import dev.skillhost.api.ProviderContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Export through the Lambda render proxy (free: no credits). The client picks the id,
 * {@code render_<ms>}; a failed render is retried once under a new id (a reused id is an error).
 * The status answer changed layout between doc versions, so all three are read: top-level
 * {@code status} and {@code output.url} (v1.9), {@code data.status} and {@code data.outputUrl}
 * (v4.4), {@code data.output.url} (the CLI's client).
 */
final class NemoRenderer {

  /** One status read. */
  record Status(String status, int progress, String url, String error) {
    boolean completed() {
      return "completed".equals(status);
    }

    boolean failed() {
      return "failed".equals(status) || "error".equals(status);
    }
  }

  private final NemoApi api;

  NemoRenderer(NemoApi api) {
    this.api = api;
  }

  /** Submits a render of {@code draft}; answers the new render id. */
  Future<String> submit(ProviderContext ctx, NemoConfig cfg, String sid, JsonObject draft, String format, String quality,
      int attempt) {
    // ms plus the attempt, so a retry within the same millisecond still gets a new id
    String id = "render_" + (ctx.clock().millis() + attempt - 1);
    JsonObject body = new JsonObject().put("id", id).put("sessionId", sid).put("draft", draft)
        .put("output", new JsonObject().put("format", format).put("quality", quality));
    return api.post(ctx, cfg, "/api/render/proxy/lambda", body).map(id);
  }

  Future<Status> status(ProviderContext ctx, NemoConfig cfg, String renderId) {
    return api.get(ctx, cfg, "/api/render/proxy/lambda/" + renderId).map(NemoRenderer::read);
  }

  static Status read(JsonObject body) {
    JsonObject data = body.getValue("data") instanceof JsonObject d ? d : body;
    String status = data.getString("status", body.getString("status", "pending"));
    JsonObject output = data.getJsonObject("output", body.getJsonObject("output", new JsonObject()));
    String url = output.getString("url", data.getString("outputUrl", body.getString("outputUrl")));
    Object err = data.getValue("error", body.getValue("error"));
    Number progress = data.getValue("progress") instanceof Number n ? n : 0;
    return new Status(status.toLowerCase(java.util.Locale.ROOT), progress.intValue(), url, err == null ? null : String.valueOf(err));
  }

  /** The fallback download when a completed render names no URL. */
  static String downloadUrl(NemoConfig cfg, String renderId) {
    return cfg.apiUrl() + "/api/render/proxy/" + renderId + "/download";
  }
}
