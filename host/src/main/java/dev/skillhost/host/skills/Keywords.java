package dev.skillhost.host.skills;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Keyword matching for {@code says()}: case-insensitive and width-insensitive (NFKC); a keyword
 * with Chinese, Japanese or Korean characters matches as a substring, since those languages do not
 * put spaces between words; any other keyword matches whole words, several words as a phrase.
 */
final class Keywords {

  private static final Pattern SPACES = Pattern.compile("\\s+");

  private final String text;

  private Keywords(String text) {
    this.text = text;
  }

  static Keywords of(String text) {
    return new Keywords(normalize(text == null ? "" : text));
  }

  boolean any(List<?> keywords) {
    for (Object k : keywords) {
      if (contains(String.valueOf(k))) {
        return true;
      }
    }
    return false;
  }

  boolean all(List<?> keywords) {
    for (Object k : keywords) {
      if (!contains(String.valueOf(k))) {
        return false;
      }
    }
    return true;
  }

  boolean contains(String keyword) {
    String k = normalize(keyword);
    if (k.isEmpty()) {
      return false;
    }
    if (hasCjk(k)) {
      return text.contains(k);
    }
    for (int i = text.indexOf(k); i >= 0; i = text.indexOf(k, i + 1)) {
      if (boundaryBefore(i) && boundaryAfter(i + k.length())) {
        return true;
      }
    }
    return false;
  }

  private boolean boundaryBefore(int i) {
    return i == 0 || !isWordChar(text.codePointBefore(i));
  }

  private boolean boundaryAfter(int i) {
    return i >= text.length() || !isWordChar(text.codePointAt(i));
  }

  /** A letter or digit of a space-separated script: "art" must not match inside "start". */
  private static boolean isWordChar(int cp) {
    return Character.isLetterOrDigit(cp) && !isCjk(cp);
  }

  private static boolean hasCjk(String s) {
    return s.codePoints().anyMatch(Keywords::isCjk);
  }

  static boolean isCjk(int cp) {
    Character.UnicodeScript script = Character.UnicodeScript.of(cp);
    return script == Character.UnicodeScript.HAN || script == Character.UnicodeScript.HIRAGANA
        || script == Character.UnicodeScript.KATAKANA || script == Character.UnicodeScript.HANGUL;
  }

  private static String normalize(String s) {
    String n = Normalizer.isNormalized(s, Normalizer.Form.NFKC) ? s : Normalizer.normalize(s, Normalizer.Form.NFKC);
    return SPACES.matcher(n.toLowerCase(Locale.ROOT).strip()).replaceAll(" ");
  }
}
