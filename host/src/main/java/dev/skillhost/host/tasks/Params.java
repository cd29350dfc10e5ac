package dev.skillhost.host.tasks;

import dev.skillhost.host.skills.SkillOperation;
import dev.skillhost.host.tasks.TaskRejected.Reason;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** A task's parameters: the skill's defaults, then a route's, then the request's; checked against the skill's limits. */
final class Params {

  private Params() {}

  static JsonObject resolve(SkillOperation op, JsonObject routed, JsonObject requested) {
    JsonObject params = op == null ? new JsonObject() : op.defaults().copy();
    if (routed != null) {
      params.mergeIn(routed);
    }
    params.mergeIn(requested);
    if (op != null) {
      check(op, params);
    }
    return params;
  }

  private static void check(SkillOperation op, JsonObject params) {
    for (String name : op.limits().fieldNames()) {
      Object value = params.getValue(name);
      JsonObject limit = op.limits().getJsonObject(name);
      if (value == null || limit == null) {
        continue;
      }
      JsonArray allowed = limit.getJsonArray("enum");
      if (allowed != null && !allowed.contains(value)
          && !(value instanceof Number n && allowed.stream().anyMatch(a -> a instanceof Number m && m.doubleValue() == n.doubleValue()))) {
        throw invalid("'" + name + "' must be one of " + allowed.encode() + " for " + op.name() + ", not " + quote(value));
      }
      Number min = limit.getValue("min") instanceof Number m ? m : null;
      Number max = limit.getValue("max") instanceof Number m ? m : null;
      if (min != null || max != null) {
        if (!(value instanceof Number n)) {
          throw invalid("'" + name + "' must be a number for " + op.name() + ", not " + quote(value));
        }
        if ((min != null && n.doubleValue() < min.doubleValue()) || (max != null && n.doubleValue() > max.doubleValue())) {
          throw invalid("'" + name + "' must be between " + (min == null ? "-∞" : min) + " and "
              + (max == null ? "∞" : max) + " for " + op.name() + ", not " + value);
        }
      }
    }
  }

  private static String quote(Object v) {
    return v instanceof String ? "\"" + v + "\"" : String.valueOf(v);
  }

  private static TaskRejected invalid(String detail) {
    return new TaskRejected(Reason.INVALID_REQUEST, detail);
  }
}
