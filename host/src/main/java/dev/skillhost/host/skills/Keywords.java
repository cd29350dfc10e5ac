package dev.skillhost.host.skills;

import java.text.Normalizer;
import java.util.ArrayList;
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
    return find(normalize(keyword), 0) >= 0;
  }

  /**
   * How much of the text {@code keywords} cover, as {@link Coverage}: each occurrence of each
   * keyword marks its characters, overlaps counted once, so a longer phrase covers more than a
   * word inside it and listing a synonym twice adds nothing.
   */
  Coverage coverage(List<String> keywords) {
    boolean[] covered = new boolean[text.length()];
    List<String> matched = new ArrayList<>();
    for (String keyword : keywords) {
      String k = normalize(keyword);
      boolean hit = false;
      for (int i = find(k, 0); i >= 0; i = find(k, i + 1)) {
        java.util.Arrays.fill(covered, i, Math.min(text.length(), i + length(k, i)), true);
        hit = true;
      }
      if (hit) {
        matched.add(keyword);
      }
    }
    return new Coverage(units(covered), List.copyOf(matched));
  }

  /**
   * Words covered: a run of letters or digits of a space-separated script counts 1, a CJK
   * character ½ (about two make a word).
   */
  private double units(boolean[] covered) {
    double units = 0;
    for (int i = 0; i < text.length(); i++) {
      if (!covered[i]) {
        continue;
      }
      int cp = text.charAt(i);
      if (isCjk(cp)) {
        units += 0.5;
      } else if (isWordChar(cp) && (i == 0 || !covered[i - 1] || !isWordChar(text.charAt(i - 1)))) {
        units += 1;
      }
    }
    return units;
  }

  /** The length of the occurrence of {@code k} at {@code i}: its own, or the slipped word's. */
  private int length(String k, int i) {
    if (text.startsWith(k, i)) {
      return k.length();
    }
    int end = i;
    while (end < text.length() && isWordChar(text.charAt(end))) end++;
    return end - i;
  }

  /** What a route's keywords cover of a request: the units covered and the keywords found. */
  record Coverage(double units, List<String> matched) {
    static final Coverage NONE = new Coverage(0, List.of());
  }

  /** The first whole-word (CJK: substring) occurrence of normalized {@code k} at or after {@code from}, or -1. */
  private int find(String k, int from) {
    if (k.isEmpty()) {
      return -1;
    }
    if (hasCjk(k)) {
      return text.indexOf(k, from);
    }
    for (int i = text.indexOf(k, from); i >= 0; i = text.indexOf(k, i + 1)) {
      if (boundaryBefore(i) && boundaryAfter(i + k.length())) {
        return i;
      }
    }
    return typo(k, from);
  }

  /**
   * A one-letter slip of a single long word: "vidoe", "animte", "backgroud" still say "video",
   * "animate", "background" (a letter more or less at the end makes another word: "animated"). Only for keywords of {@link #TYPO_MIN} letters or more, same first
   * letter, so short words never blur into each other ("loop" is not "look").
   */
  private int typo(String k, int from) {
    if (k.length() < TYPO_MIN || k.indexOf(' ') >= 0 || !k.chars().allMatch(c -> c < 128 && Character.isLetter(c))) {
      return -1;
    }
    int i = from;
    while (i < text.length()) {
      while (i < text.length() && !isWordChar(text.charAt(i))) i++;
      int start = i;
      while (i < text.length() && isWordChar(text.charAt(i))) i++;
      if (i - start >= TYPO_MIN && text.charAt(start) == k.charAt(0) && oneEdit(text.substring(start, i), k)) {
        return start;
      }
    }
    return -1;
  }

  static final int TYPO_MIN = 5;

  /** Whether {@code a} is {@code b} with one letter changed, added, dropped, or two neighbours swapped. */
  static boolean oneEdit(String a, String b) {
    if (a.equals(b) || Math.abs(a.length() - b.length()) > 1) {
      return false;
    }
    int i = 0;
    while (i < Math.min(a.length(), b.length()) && a.charAt(i) == b.charAt(i)) i++;
    if (a.length() == b.length()) {
      // a changed last letter is as often another word ("format", "formal") as a slip
      if (i < a.length() - 1 && a.substring(i + 1).equals(b.substring(i + 1))) return true; // substitution
      return i + 1 < a.length() && a.charAt(i) == b.charAt(i + 1) && a.charAt(i + 1) == b.charAt(i)
          && a.substring(i + 2).equals(b.substring(i + 2)); // transposition
    }
    String longer = a.length() > b.length() ? a : b;
    String shorter = a.length() > b.length() ? b : a;
    // one letter more or less inside the word; at its end it is another word ("animated", "videos")
    return i < shorter.length() && longer.substring(i + 1).equals(shorter.substring(i));
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

  static String normalize(String s) {
    String n = Normalizer.isNormalized(s, Normalizer.Form.NFKC) ? s : Normalizer.normalize(s, Normalizer.Form.NFKC);
    return SPACES.matcher(n.toLowerCase(Locale.ROOT).strip()).replaceAll(" ");
  }
}
