package dev.skillhost.host.skills;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The meaning of one {@code limits:} entry ({@code {enum: [...]}} or {@code {min, max}}), shared by
 * the request check and the manifest lint so both read a limit the same way. Numbers compare by
 * value: {@code 5} and {@code 5.0} are the same duration.
 */
final class Limits {

  private Limits() {}

  /** Why {@code value} breaks {@code limit} (as "must be …"), or null when it is allowed. */
  static String broken(JsonObject limit, Object value) {
    JsonArray allowed = limit.getJsonArray("enum");
    if (allowed != null && !allows(allowed, value)) {
      return "must be one of " + allowed.encode();
    }
    Number min = limit.getValue("min") instanceof Number m ? m : null;
    Number max = limit.getValue("max") instanceof Number m ? m : null;
    if (min == null && max == null) {
      return null;
    }
    if (!(value instanceof Number n)) {
      return "must be a number";
    }
    if ((min != null && n.doubleValue() < min.doubleValue()) || (max != null && n.doubleValue() > max.doubleValue())) {
      return min == null ? "must be at most " + max : max == null ? "must be at least " + min
          : "must be between " + min + " and " + max;
    }
    return null;
  }

  static boolean allows(JsonArray allowed, Object value) {
    return allowed.contains(value)
        || (value instanceof Number n && allowed.stream().anyMatch(a -> a instanceof Number m && m.doubleValue() == n.doubleValue()));
  }

  static String quote(Object v) {
    return v instanceof String ? "\"" + v + "\"" : String.valueOf(v);
  }
}
