package dev.skillhost.host.skills;

import java.util.List;
import java.util.Map;

/**
 * A request to route: what the user said, what they attached, and the locales they read.
 *
 * @param text        what the user said
 * @param attachments counts by kind ({@code image}, {@code video}, {@code audio})
 * @param locales     the user's locales, best first (a request's {@code locale}, or its
 *                    {@code Accept-Language}); {@link Messages#DEFAULT_LOCALE} when none is given
 */
public record RouteRequest(String text, Map<String, Integer> attachments, List<String> locales) {

  public RouteRequest {
    text = text == null ? "" : text;
    attachments = attachments == null ? Map.of() : Map.copyOf(attachments);
    locales = locales == null || locales.isEmpty() ? List.of(Messages.DEFAULT_LOCALE) : List.copyOf(locales);
  }

  /** A request in one locale ({@code null}: the default). */
  public static RouteRequest of(String text, Map<String, Integer> attachments, String locale) {
    return new RouteRequest(text, attachments, locale == null ? List.of() : List.of(locale));
  }

  /** The locale the user asked for first; conditions see this one. */
  public String locale() {
    return locales.get(0);
  }

  /** The request as skill conditions see it. */
  public SkillMatcher.Request forMatcher() {
    return new SkillMatcher.Request(text, attachments, locale());
  }
}
