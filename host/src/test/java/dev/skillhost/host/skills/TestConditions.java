package dev.skillhost.host.skills;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Conditions for tests, without the CEL compiler: each carries a CEL-like source (so keyword
 * extraction sees what a manifest would show) and a plain Java test.
 */
public final class TestConditions {

  private TestConditions() {}

  public static Condition of(String source, Predicate<Map<String, Object>> test) {
    return of(source, test, List.of());
  }

  /** A condition whose {@code says} lists hold these keywords (what the router scores). */
  static Condition of(String source, Predicate<Map<String, Object>> test, List<String> keywords) {
    return new Condition() {
      @Override
      public boolean test(Map<String, Object> vars) {
        return test.test(vars);
      }

      @Override
      public String source() {
        return source;
      }

      @Override
      public List<String> keywords() {
        return keywords;
      }

      @Override
      public String toString() {
        return source;
      }
    };
  }

  /** {@code says([...])}: any keyword in the text, ignoring case (substring match is enough for tests). */
  public static Condition keywords(String... words) {
    return of(says(words), vars -> says(vars, words), List.of(words));
  }

  /** {@code has('image') && says([...])}. */
  public static Condition imageAnd(String... words) {
    return of("has('image') && " + says(words), vars -> count(vars, "image") > 0 && says(vars, words), List.of(words));
  }

  /** {@code estimate.credits > limit}, false when credits are unknown (as CEL errors evaluate). */
  public static Condition creditsOver(double limit) {
    return of("estimate.credits > " + limit, vars -> {
      Object credits = ((Map<?, ?>) vars.get("estimate")).get("credits");
      return credits instanceof Number n && n.doubleValue() > limit;
    });
  }

  private static String says(String... words) {
    return Arrays.stream(words).map(w -> "'" + w + "'").collect(Collectors.joining(", ", "says([", "])"));
  }

  private static boolean says(Map<String, Object> vars, String... words) {
    String text = ((String) vars.get("text")).toLowerCase(Locale.ROOT);
    return Arrays.stream(words).anyMatch(w -> text.contains(w.toLowerCase(Locale.ROOT)));
  }

  private static long count(Map<String, Object> vars, String kind) {
    return ((Number) ((Map<?, ?>) vars.get("attachments")).get(kind)).longValue();
  }
}
