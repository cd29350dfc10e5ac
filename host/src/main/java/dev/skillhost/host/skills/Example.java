package dev.skillhost.host.skills;

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
 */
public record Example(String text, Map<String, Integer> attachments, String locale, String expect, Position at) {

  public static final String NONE = "none";
  public static final String UNSUPPORTED = "unsupported";

  public Example {
    attachments = Map.copyOf(attachments);
  }
}
