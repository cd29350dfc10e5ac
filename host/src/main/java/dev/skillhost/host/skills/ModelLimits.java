package dev.skillhost.host.skills;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Reads an operation's {@code models:} ({@code {<model>: {limits: {…}}}}) and checks what the
 * schema cannot: each model is one the operation offers, a model's limits only narrow the
 * operation's (a value the operation refuses would be refused anyway, so allowing it there is a
 * mistake), and the operation's defaults fit its default model. Part of {@link SkillReader}.
 */
final class ModelLimits {

  private static final String NARROW = "a model's limits narrow the operation's limits, never widen them";

  private final Problems problems;
  private final String at;
  private final JsonObject limits;
  private final JsonObject defaults;

  ModelLimits(Problems problems, String at, JsonObject limits, JsonObject defaults) {
    this.problems = problems;
    this.at = at;
    this.limits = limits;
    this.defaults = defaults;
  }

  JsonObject read(JsonObject models) {
    JsonArray offered = SkillReader.object(limits.getValue(SkillOperation.MODEL)).getJsonArray("enum");
    for (String model : models.fieldNames()) {
      String here = Positions.child(at + "/models", model);
      if (offered != null && !Limits.allows(offered, model)) {
        problems.errorAtKey(here, "model '" + model + "' is not one of this operation's models",
            "limits.model.enum lists " + join(offered) + "; add it there or fix the name");
      }
      JsonObject byParam = SkillReader.object(SkillReader.object(models.getValue(model)).getValue("limits"));
      for (String param : byParam.fieldNames()) {
        JsonObject l = SkillReader.object(byParam.getValue(param));
        if (l.getValue("min") instanceof Number min && l.getValue("max") instanceof Number max
            && min.doubleValue() > max.doubleValue()) {
          problems.error(Positions.child(here + "/limits", param), "min " + min + " is greater than max " + max, null);
        }
        narrows(Positions.child(here + "/limits", param), param,
            SkillReader.object(byParam.getValue(param)));
      }
      if (model.equals(defaults.getValue(SkillOperation.MODEL))) {
        fitsDefaults(model, byParam);
      }
    }
    return models;
  }

  /** Every value a model allows must be one the operation allows too. */
  private void narrows(String here, String param, JsonObject limit) {
    if (!(limits.getValue(param) instanceof JsonObject outer)) {
      return;
    }
    JsonArray values = limit.getJsonArray("enum");
    for (int i = 0; values != null && i < values.size(); i++) {
      String broken = Limits.broken(outer, values.getValue(i));
      if (broken != null) {
        problems.error(here + "/enum/" + i, Limits.quote(values.getValue(i)) + " is outside the operation's limits."
            + param + " (it " + broken + ")", NARROW);
      }
    }
  }

  /** A default the default model refuses would make every task that keeps the defaults fail. */
  private void fitsDefaults(String model, JsonObject byParam) {
    for (String param : byParam.fieldNames()) {
      Object value = defaults.getValue(param);
      if (value != null && byParam.getValue(param) instanceof JsonObject limit) {
        String broken = Limits.broken(limit, value);
        if (broken != null) {
          problems.error(Positions.child(at + "/defaults", param), "default " + param + " " + Limits.quote(value)
              + " is not allowed for the default model " + model + " (it " + broken + ")",
              "change the default or the models." + model + ".limits." + param);
        }
      }
    }
  }

  private static String join(JsonArray values) {
    StringBuilder out = new StringBuilder();
    values.forEach(v -> out.append(out.isEmpty() ? "" : ", ").append(v));
    return out.toString();
  }
}
