package dev.skillhost.host.skills;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One rule of a skill's {@code rewrite:} list: a provider's own text (its progress and reply
 * messages) is searched for {@code pattern}, and what matched is replaced, in the task's locale,
 * or dropped. The seeds keep such rules as prose ("GUI translation": never show "click Export",
 * say "say 'export'"); here they are data the host applies before users see the text.
 *
 * @param pattern  searched case-insensitively
 * @param replace  replacement by locale ({@code $1} refers to a group); {@code "*"} when the
 *                 manifest gave one text for every locale; empty when the rule drops
 * @param locales  the locales the rule applies to; empty means every locale
 * @param at       where the rule stands
 */
public record Rewrite(Pattern pattern, Map<String, String> replace, List<String> locales, Position at) {

  /** The key of a replacement that holds for every locale. */
  public static final String ANY = "*";

  public Rewrite {
    replace = Map.copyOf(replace);
    locales = List.copyOf(locales);
  }

  public boolean drops() {
    return replace.isEmpty();
  }

  /**
   * Applies {@code rules} in order to {@code text} for a task in {@code locale}; answers null when
   * nothing is left to show (a message made only of dropped text).
   */
  public static String apply(List<Rewrite> rules, List<String> skillLocales, String locale, String text) {
    if (text == null || rules.isEmpty()) {
      return text;
    }
    String out = text;
    boolean changed = false;
    for (Rewrite rule : rules) {
      if (!rule.locales.isEmpty() && Messages.match(rule.locales, locale).isEmpty()) {
        continue;
      }
      Matcher m = rule.pattern.matcher(out);
      if (!m.find()) {
        continue;
      }
      out = m.replaceAll(rule.drops() ? "" : rule.replacement(skillLocales, locale));
      changed = true;
    }
    if (!changed) {
      return text;
    }
    // what a dropped match leaves behind: doubled spaces, trailing blanks, runs of empty lines
    out = out.replaceAll("[ \\t]{2,}", " ").replaceAll("[ \\t]+\\n", "\n").replaceAll("\\n{3,}", "\n\n").strip();
    return out.isEmpty() ? null : out;
  }

  /** The replacement for {@code locale}: its own, else the skill's first locale's, else the one for all. */
  private String replacement(List<String> skillLocales, String locale) {
    if (replace.containsKey(ANY)) {
      return replace.get(ANY);
    }
    String tag = Messages.match(replace.keySet(), locale)
        .orElseGet(() -> skillLocales.stream().filter(replace::containsKey).findFirst()
            .orElse(replace.keySet().iterator().next()));
    return replace.get(tag);
  }
}
