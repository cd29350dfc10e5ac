package dev.skillhost.host.api;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Request bodies as JSON objects, with errors a person can act on. */
final class Json {

  private Json() {}

  static JsonObject object(RoutingContext ctx) {
    String text = ctx.body().asString();
    if (text == null || text.isBlank()) {
      throw ApiException.badRequest("The request needs a JSON object body.");
    }
    Object value;
    try {
      value = io.vertx.core.json.Json.decodeValue(text);
    } catch (DecodeException e) {
      throw new ApiException(400, "invalid-json", "Malformed JSON", "The request body is not valid JSON: "
          + e.getMessage().lines().findFirst().orElse(""));
    }
    if (!(value instanceof JsonObject object)) {
      throw ApiException.badRequest("The request body must be a JSON object, not " + describe(value) + ".");
    }
    return object;
  }

  private static String describe(Object value) {
    return value == null ? "null" : value instanceof io.vertx.core.json.JsonArray ? "a list" : "a " + value.getClass().getSimpleName().toLowerCase();
  }
}
