package dev.skillhost.local;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/** Typed reads of a job's parameters; a wrong type or a value out of range names the parameter. */
final class Params {

  private final JsonObject json;

  Params(JsonObject json) {
    this.json = json == null ? new JsonObject() : json;
  }

  JsonObject json() {
    return json;
  }

  /** The user's own words, if the request carried them; empty string otherwise. */
  String prompt() {
    Object p = json.getValue("prompt");
    return p instanceof String s ? s : "";
  }

  Optional<String> text(String key) {
    Object v = json.getValue(key);
    if (v == null) return Optional.empty();
    if (v instanceof String s && !s.isBlank()) return Optional.of(s.trim());
    if (v instanceof Number n) return Optional.of(n.toString());
    throw Invalid.params(key + " must be a string, not " + v);
  }

  /** A number, also given as a string with a unit suffix such as {@code "5s"} or {@code "2x"}. */
  Optional<Double> number(String key) {
    Object v = json.getValue(key);
    if (v == null) return Optional.empty();
    if (v instanceof Number n && Double.isFinite(n.doubleValue())) return Optional.of(n.doubleValue());
    if (v instanceof String s) {
      String digits = s.trim().toLowerCase(java.util.Locale.ROOT).replaceAll("(s|sec|secs|seconds|x|fps)$", "").trim();
      try {
        return Optional.of(Double.parseDouble(digits));
      } catch (NumberFormatException e) {
        // fall through to the error below
      }
    }
    throw Invalid.params(key + " must be a number, not " + v);
  }

  double number(String key, double fallback, double min, double max) {
    double v = number(key).orElse(fallback);
    if (v < min || v > max) {
      throw Invalid.params(key + " must be between " + fmt(min) + " and " + fmt(max) + ", not " + fmt(v));
    }
    return v;
  }

  Optional<JsonArray> list(String key) {
    Object v = json.getValue(key);
    if (v == null) return Optional.empty();
    if (v instanceof JsonArray a) return Optional.of(a);
    throw Invalid.params(key + " must be a list, not " + v);
  }

  static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
