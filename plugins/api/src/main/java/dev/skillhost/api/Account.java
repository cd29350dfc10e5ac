package dev.skillhost.api;

import io.vertx.core.json.JsonObject;

/**
 * Account facts for the configured credentials.
 *
 * @param id      the upstream account or user id, or null
 * @param credits remaining credits, or null when unknown
 * @param details anything else the backend reports
 */
public record Account(String id, Double credits, JsonObject details) {

  public static final Account UNKNOWN = new Account(null, null, new JsonObject());

  public Account {
    details = details == null ? new JsonObject() : details.copy();
  }

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("credits", credits).put("details", details.copy());
  }
}
