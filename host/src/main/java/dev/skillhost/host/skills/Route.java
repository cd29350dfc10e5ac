package dev.skillhost.host.skills;

import io.vertx.core.json.JsonObject;

/**
 * A routing rule: when the condition holds, the request goes to {@code to} with these parameters.
 *
 * @param when   the condition
 * @param to     operation name
 * @param params parameters this route sets (over the operation's defaults)
 * @param at     where the rule stands
 */
public record Route(Condition when, String to, JsonObject params, Position at) {

  public Route {
    params = params == null ? new JsonObject() : params.copy();
  }
}
