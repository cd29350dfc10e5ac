package dev.skillhost.host.skills;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The routes nearest to a request that none matched. A route's keywords are its condition's and
 * its hints' ({@link Route#keywords()}); a keyword scores
 * the share of its words (for Chinese and Japanese: its characters) that the text contains, common
 * filler words left out; a route scores its best keyword. Ties go by preference, then file order.
 */
final class Nearest {

  private static final Set<String> FILLER = Set.of(
      "a", "an", "the", "to", "of", "it", "its", "this", "that", "these", "me", "my", "i", "you", "your", "we", "our",
      "please", "make", "do", "get", "in", "on", "at", "for", "with", "from", "and", "or", "is", "are", "be", "was",
      "have", "has", "can", "could", "would", "will", "what", "how", "which", "there", "some", "one", "into",
      "的", "一", "个", "把", "我", "帮", "了", "张", "这", "给", "请", "吧", "么", "の", "を", "に", "て");
  private static final List<String> ATTACHMENT_KINDS = List.of("image", "video", "audio");

  private record Scored(Skill skill, Route route, double score, List<String> keywords, Set<String> hits) {}

  private Nearest() {}

  /** Up to {@code limit} routes, one per skill and operation, best first; if nothing scores, one per skill. */
  static List<RouteAnswer.Closest> rank(List<Skill> skills, RouteRequest request, Comparator<Skill> order, int limit) {
    Set<String> text = tokens(request.text());
    Map<String, Scored> best = new LinkedHashMap<>();
    for (Skill skill : skills) {
      for (Route route : skill.routes()) {
        Scored s = score(skill, route, text);
        best.merge(skill.id() + "\u0000" + route.to(), s, (a, b) -> b.score() > a.score() ? b : a);
      }
    }
    Comparator<Scored> byScore = Comparator.comparingDouble(Scored::score).reversed()
        .thenComparing(Scored::skill, order);
    List<Scored> sorted = best.values().stream().filter(s -> s.score() > 0).sorted(byScore).limit(limit).toList();
    if (sorted.isEmpty()) {
      sorted = skills.stream().filter(s -> !s.routes().isEmpty()).sorted(order).limit(limit)
          .map(s -> score(s, s.routes().get(0), text)).toList();
    }
    return sorted.stream().map(s -> closest(s, request)).toList();
  }

  /** Lower-case words (NFKC, as {@code says} compares), each CJK character a word of its own, filler left out. */
  static Set<String> tokens(String s) {
    Set<String> out = new HashSet<>();
    StringBuilder word = new StringBuilder();
    Normalizer.normalize(s, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT).codePoints().forEach(cp -> {
      boolean cjk = Keywords.isCjk(cp);
      if (!cjk && Character.isLetterOrDigit(cp)) {
        word.appendCodePoint(cp);
        return;
      }
      add(out, word.toString());
      word.setLength(0);
      if (cjk) {
        add(out, new String(Character.toChars(cp)));
      }
    });
    add(out, word.toString());
    return out;
  }

  private static Scored score(Skill skill, Route route, Set<String> text) {
    double best = 0;
    List<String> bestKeywords = new ArrayList<>();
    Set<String> hits = new HashSet<>();
    for (String keyword : route.keywords()) {
      Set<String> words = tokens(keyword);
      if (words.isEmpty()) {
        continue;
      }
      Set<String> common = new HashSet<>(words);
      common.retainAll(text);
      double score = (double) common.size() / words.size();
      if (score > best) {
        best = score;
        bestKeywords.clear();
        hits.clear();
      }
      if (score == best && score > 0 && bestKeywords.size() < 3) {
        bestKeywords.add(keyword);
        hits.addAll(common);
      }
    }
    return new Scored(skill, route, best, bestKeywords, hits);
  }

  private static RouteAnswer.Closest closest(Scored s, RouteRequest request) {
    String reason;
    if (s.score() == 0) {
      reason = "nothing in common with its keywords";
    } else if (s.score() < 1) {
      reason = "shares '" + String.join("', '", s.hits().stream().sorted().toList()) + "' with '"
          + s.keywords().get(0) + "'";
    } else {
      List<String> missing = missingAttachments(s.skill(), s.route().to(), request);
      reason = "says '" + s.keywords().get(0) + "' but " + (missing.isEmpty()
          ? "the rest of its condition does not hold: " + s.route().when().source()
          : "needs " + String.join(" and ", missing) + " attached");
    }
    return new RouteAnswer.Closest(s.skill().id(), s.route().to(), s.score(), s.keywords(), reason,
        example(s.skill(), s.route().to(), request.locale()));
  }

  private static List<String> missingAttachments(Skill skill, String operation, RouteRequest request) {
    Map<String, Boolean> inputs = skill.operation(operation).map(SkillOperation::inputs).orElse(Map.of());
    return ATTACHMENT_KINDS.stream()
        .filter(k -> Boolean.TRUE.equals(inputs.get(k)) && request.attachments().getOrDefault(k, 0) == 0)
        .map(k -> k.equals("image") ? "an image" : k.equals("video") ? "a video" : "an audio file")
        .toList();
  }

  private static String example(Skill skill, String operation, String locale) {
    String lang = Messages.language(locale);
    List<Example> routed = skill.examples().stream().filter(e -> e.expect().equals(operation)).toList();
    return routed.stream().filter(e -> e.locale() != null && Messages.language(e.locale()).equals(lang))
        .findFirst().or(() -> routed.stream().findFirst()).map(Example::text).orElse(null);
  }

  /** A one-letter Latin word ("s" of "what's") says nothing; a single CJK character may. */
  private static void add(Set<String> out, String word) {
    boolean meaningful = word.length() > 1 || (!word.isEmpty() && Keywords.isCjk(word.codePointAt(0)));
    if (meaningful && !FILLER.contains(word)) {
      out.add(word);
    }
  }
}
