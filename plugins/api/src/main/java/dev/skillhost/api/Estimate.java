package dev.skillhost.api;

import io.vertx.core.json.JsonObject;

/**
 * What a job costs in the backend's own unit.
 *
 * @param credits   the amount, or null when the backend does not say
 * @param unit      e.g. {@code credits}
 * @param breakdown how it was reckoned (table row, multipliers)
 */
public record Estimate(Double credits, String unit, JsonObject breakdown) {

  public static final Estimate UNKNOWN = new Estimate(null, null, new JsonObject());

  public Estimate {
    breakdown = breakdown == null ? new JsonObject() : breakdown.copy();
  }

  public JsonObject toJson() {
    return new JsonObject().put("credits", credits).put("unit", unit).put("breakdown", breakdown.copy());
  }
}
