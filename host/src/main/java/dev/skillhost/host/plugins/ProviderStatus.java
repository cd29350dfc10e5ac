package dev.skillhost.host.plugins;

import dev.skillhost.api.ModelInfo;
import dev.skillhost.api.OperationInfo;
import dev.skillhost.api.ProviderInfo;
import dev.skillhost.api.RateBucket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@code GET /v1/providers} shows of one plugin: the version that is live, or why a jar was
 * refused.
 *
 * @param id       the plugin id, or null when a refused jar's manifest could not be read
 * @param state    {@link State#STARTED} when a version is live (even if a newer jar was refused),
 *                 {@link State#FAILED} when a jar was refused and no version of it is live
 * @param version  the live version, or the refused jar's version when none is live (may be null)
 * @param file     the jar file name: the live version's, or the refused jar's
 * @param loadedAt when the live version was loaded, else null
 * @param info     the live provider's info, else null
 * @param error    why jars were refused, e.g. {@code "sim-2.jar refused: ClassNotFoundException: dev.x.Y;
 *                 version 1.0.0 stays live"}, else null
 */
public record ProviderStatus(
    String id,
    State state,
    String version,
    String file,
    Instant loadedAt,
    ProviderInfo info,
    String error) {

  /** Whether a version of the plugin is live. */
  public enum State { STARTED, FAILED }

  /** The status as JSON with snake_case fields; {@code info} in full when present. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("id", id)
        .put("state", lower(state))
        .put("version", version)
        .put("file", file)
        .put("loaded_at", loadedAt == null ? null : loadedAt.toString());
    if (info != null) json.put("info", infoJson(info));
    if (error != null) json.put("error", error);
    return json;
  }

  private static JsonObject infoJson(ProviderInfo info) {
    JsonArray operations = new JsonArray();
    for (OperationInfo op : info.operations()) {
      operations.add(new JsonObject()
          .put("name", op.name())
          .put("description", op.description())
          .put("inputs", array(op.inputs()))
          .put("eta_ms", op.eta() == null ? null : op.eta().toMillis()));
    }
    JsonArray models = new JsonArray();
    for (ModelInfo model : info.models()) {
      models.add(new JsonObject()
          .put("id", model.id())
          .put("name", model.name())
          .put("operations", array(model.operations()))
          .put("constraints", model.constraints().copy()));
    }
    JsonArray buckets = new JsonArray();
    for (RateBucket bucket : info.rateBuckets()) {
      buckets.add(new JsonObject()
          .put("name", bucket.name())
          .put("permits", bucket.permits())
          .put("window_ms", bucket.window().toMillis())
          .put("calls", array(bucket.calls().stream().map(ProviderStatus::lower).sorted().toList())));
    }
    return new JsonObject()
        .put("id", info.id())
        .put("name", info.name())
        .put("description", info.description())
        .put("kind", lower(info.kind()))
        .put("streams", info.streams())
        .put("operations", operations)
        .put("models", models)
        .put("rate_buckets", buckets);
  }

  private static JsonArray array(List<?> values) {
    return new JsonArray(new ArrayList<>(values));
  }

  private static String lower(Enum<?> value) {
    return value == null ? null : value.name().toLowerCase(Locale.ROOT);
  }
}
