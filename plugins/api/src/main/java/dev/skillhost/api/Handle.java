package dev.skillhost.api;

import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * The durable JSON a provider returns from submit. The host stores it; with it any instance of the
 * provider, after a restart or a hot swap, can go on polling the same upstream task.
 *
 * @param id   the upstream id, for people and logs
 * @param data everything the provider needs to continue (ids, tokens, timestamps)
 * @param eta  the provider's own estimate of the time to a result, or null
 */
public record Handle(String id, JsonObject data, Duration eta) {

  public Handle {
    data = data == null ? new JsonObject() : data.copy();
  }

  public static Handle of(String id, JsonObject data) {
    return new Handle(id, data, null);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("id", id).put("data", data.copy());
    if (eta != null) {
      json.put("eta_ms", eta.toMillis());
    }
    return json;
  }

  public static Handle fromJson(JsonObject json) {
    Long eta = json.getLong("eta_ms");
    return new Handle(json.getString("id"), json.getJsonObject("data"), eta == null ? null : Duration.ofMillis(eta));
  }
}
