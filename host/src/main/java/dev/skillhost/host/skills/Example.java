package dev.skillhost.host.skills;

import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * A request in a manifest's {@code examples:} and the routing it must get.
 *
 * @param text        what the user says
 * @param attachments counts by kind
 * @param locale      the request's locale
 * @param expect      the operation this skill must route it to; {@code none} when it must not route to
 *                    this skill; {@code unsupported} when an unsupported rule must answer it
 * @param at          where the example stands
 * @param routesTo    what the router must make of it across every skill ({@code skill.operation},
 *                    {@code unsupported}, {@code unclear}, {@code none}), or null when not said
 * @param params      parameters the route must read from the words, or empty
 */
public record Example(String text, Map<String, Integer> attachments, String locale, String expect, Position at,
    String routesTo, JsonObject params) {

  public static final String NONE = "none";
  public static final String UNSUPPORTED = "unsupported";
  public static final String UNCLEAR = "unclear";

  public Example {
    attachments = Map.copyOf(attachments);
    params = params == null ? new JsonObject() : params.copy();
  }

  public Example(String text, Map<String, Integer> attachments, String locale, String expect, Position at) {
    this(text, attachments, locale, expect, at, null, null);
  }
}
