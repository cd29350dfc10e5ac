package dev.skillhost.host.skills;

import java.util.Map;

/**
 * A message in several locales. Rendering picks the best locale along the fallback chain
 * ({@code zh-TW → zh → the skill's first locale}) and says which it used.
 */
public record Localized(Map<String, Template> byLocale) {

  public Localized {
    byLocale = Map.copyOf(byLocale);
  }

  /** A rendered message and the locale it was rendered in. */
  public record Rendered(String text, String locale) {}
}
