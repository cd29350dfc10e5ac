package dev.skillhost.host.skills;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * User-facing text in the user's language: picking a locale, rendering a skill's templates along
 * the fallback chain, and the small formats templates are fed with (ETA, percent, duration).
 *
 * <p>The fallback chain for an asked tag such as {@code zh-TW}: the exact tag, then its language
 * ({@code zh}), then any other tag of that language the message has ({@code zh-CN}), then the
 * skill's first declared locale. Tags compare case-insensitively. Every method is pure and
 * thread-safe.
 */
public final class Messages {

  /** The locale assumed when a request names none. */
  public static final String DEFAULT_LOCALE = "en";
  private static final Pattern TAG = Pattern.compile("[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8}){0,4}");
  private static final Pattern QUALITY = Pattern.compile("q=(0(\\.\\d{0,3})?|1(\\.0{0,3})?)");
  private static final int MAX_ACCEPTED = 20;

  private Messages() {}

  /** Whether {@code s} has the shape of a BCP 47 language tag ({@code en}, {@code zh-TW}, {@code zh-Hant-HK}). */
  public static boolean isLanguageTag(String s) {
    return s != null && TAG.matcher(s).matches();
  }

  /** The primary language of a tag, lower case: {@code zh} for {@code zh-TW}. */
  public static String language(String tag) {
    int dash = tag.indexOf('-');
    return (dash < 0 ? tag : tag.substring(0, dash)).toLowerCase(Locale.ROOT);
  }

  /**
   * The tag of {@code available} that serves {@code asked}: the same tag, else the bare language,
   * else another tag of the same language; empty when the language is not there at all.
   */
  public static Optional<String> match(Collection<String> available, String asked) {
    if (asked == null || asked.isEmpty()) {
      return Optional.empty();
    }
    String lang = language(asked);
    Optional<String> exact = available.stream().filter(a -> a.equalsIgnoreCase(asked)).findFirst();
    if (exact.isPresent()) {
      return exact;
    }
    Optional<String> bare = available.stream().filter(a -> a.equalsIgnoreCase(lang)).findFirst();
    return bare.isPresent() ? bare : available.stream().filter(a -> language(a).equals(lang)).findFirst();
  }

  /**
   * The locale to answer in: the first of {@code preferred} (best first) that {@code available}
   * serves, else the first available (the skill's fallback of last resort), else {@link #DEFAULT_LOCALE}.
   */
  public static String pick(List<String> available, List<String> preferred) {
    for (String p : preferred) {
      Optional<String> m = match(available, p);
      if (m.isPresent()) {
        return m.get();
      }
    }
    return available.isEmpty() ? DEFAULT_LOCALE : available.get(0);
  }

  /**
   * The locale a message is rendered in for {@code asked}: along the fallback chain, then the first
   * of {@code skillLocales} the message has, then any it has. Empty only for a message with no text.
   */
  public static Optional<String> resolve(Localized message, List<String> skillLocales, String asked) {
    Set<String> have = message.byLocale().keySet();
    Optional<String> m = match(have, asked);
    if (m.isPresent()) {
      return m;
    }
    for (String fallback : skillLocales) {
      Optional<String> f = match(have, fallback);
      if (f.isPresent()) {
        return f;
      }
    }
    return have.stream().sorted().findFirst();
  }

  /** Renders {@code message} in the best locale for {@code asked} and says which it used. */
  public static Optional<Localized.Rendered> render(Localized message, List<String> skillLocales, String asked,
      Map<String, Object> vars) {
    return resolve(message, skillLocales, asked)
        .map(tag -> new Localized.Rendered(message.byLocale().get(tag).render(vars), tag));
  }

  /** Renders the skill's template {@code name} for {@code asked}; empty when the skill has no such template. */
  public static Optional<Localized.Rendered> render(Skill skill, String name, String asked, Map<String, Object> vars) {
    return skill.template(name).flatMap(t -> render(t, skill.locales(), asked, vars));
  }

  /** What a skill's {@code login} template is rendered with: the sign-in link and code ("" when none). */
  public static Map<String, Object> loginVariables(Skill skill, String url, String code) {
    Map<String, Object> vars = new java.util.HashMap<>();
    vars.put("skill", skill.id());
    vars.put("url", url);
    vars.put("code", code == null ? "" : code);
    return vars;
  }

  /**
   * The tags of an {@code Accept-Language} header, best first: ordered by q-value (equal values keep
   * the header's order), without {@code *}, {@code q=0} entries, malformed entries and repeats.
   */
  public static List<String> acceptLanguage(String header) {
    if (header == null || header.isBlank()) {
      return List.of();
    }
    record Weighted(String tag, double q, int index) {}
    List<Weighted> entries = new ArrayList<>();
    String[] items = header.split(",");
    for (int i = 0; i < items.length && entries.size() < MAX_ACCEPTED; i++) {
      String[] parts = items[i].split(";");
      String tag = parts[0].strip();
      double q = 1.0;
      boolean valid = isLanguageTag(tag);
      for (int p = 1; p < parts.length && valid; p++) {
        String param = parts[p].strip().toLowerCase(Locale.ROOT);
        if (QUALITY.matcher(param).matches()) {
          q = Double.parseDouble(param.substring(2));
        } else if (param.startsWith("q=")) {
          valid = false;
        }
      }
      if (valid && q > 0) {
        entries.add(new Weighted(tag, q, i));
      }
    }
    entries.sort(Comparator.comparingDouble(Weighted::q).reversed().thenComparingInt(Weighted::index));
    Set<String> seen = new LinkedHashSet<>();
    List<String> tags = new ArrayList<>();
    for (Weighted w : entries) {
      if (seen.add(w.tag().toLowerCase(Locale.ROOT))) {
        tags.add(w.tag());
      }
    }
    return List.copyOf(tags);
  }

  /**
   * How long to wait, for people: {@code about 3–5 min}, {@code about 30 s–1 min}, {@code 约 3–5 分钟}.
   * Bounds below a minute are in seconds, below an hour in whole minutes, else in whole hours; the
   * range is widened to whole units (low down, high up), never narrowed.
   */
  public static String eta(int lowSeconds, int highSeconds, String locale) {
    Units units = Units.of(locale);
    return units.about() + etaRange(lowSeconds, highSeconds, locale);
  }

  /**
   * The range alone, {@code 3–5 min} or {@code 3–5 分钟}: the {@code {{eta}}} of templates, which
   * bring their own "about" ({@code "About {{eta}}."}, {@code "预计 {{eta}}。"}).
   */
  public static String etaRange(int lowSeconds, int highSeconds, String locale) {
    int low = Math.max(0, Math.min(lowSeconds, highSeconds));
    int high = Math.max(0, Math.max(lowSeconds, highSeconds));
    return Units.of(locale).range(low, high);
  }

  /** Whole percent done for a fraction in 0..1, rounded down so that 100 means finished: {@code "42"}. */
  public static String percent(double fraction) {
    double f = Double.isNaN(fraction) ? 0 : Math.max(0, Math.min(1, fraction));
    return Integer.toString((int) Math.floor(f * 100 + 1e-9));
  }

  /** A media length for people: {@code 5 s}, {@code 1 min 30 s}, {@code 5 秒}, {@code 1 分 30 秒}. */
  public static String duration(double seconds, String locale) {
    return Units.of(locale).duration((long) Math.round(Math.max(0, seconds)));
  }
}
