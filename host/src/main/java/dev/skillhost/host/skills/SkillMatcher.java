package dev.skillhost.host.skills;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one skill makes of one request: a capability boundary that answers it, else its best route,
 * else nothing. Boundaries come first so that "a marketing video" is answered as unsupported even
 * though "video" alone would route.
 *
 * <p>Every route whose condition holds is scored ({@link Fit}); the best wins, an earlier route
 * among equal scores (the manifest's order says which of two equally good routes the author meant).
 */
public final class SkillMatcher {

  /** What an attached kind the operation takes adds; one it cannot use subtracts twice as much. */
  static final double ATTACHMENT_USED = 1;
  static final double ATTACHMENT_UNUSED = -2;
  static final double INPUT_MISSING = -1;

  /**
   * A request as conditions see it.
   *
   * @param text        what the user said
   * @param attachments counts by kind (image, video, audio)
   * @param locale      e.g. {@code zh-CN}
   */
  public record Request(String text, Map<String, Integer> attachments, String locale) {
    public Request {
      text = text == null ? "" : text;
      attachments = Map.copyOf(attachments);
      locale = locale == null ? "en" : locale;
    }
  }

  /**
   * How well a route fits a request: the words its keywords cover (a word 1, a CJK character ½,
   * overlaps once), plus {@link #ATTACHMENT_USED} for each attached kind the operation takes,
   * {@link #ATTACHMENT_UNUSED} for each it cannot use, {@link #INPUT_MISSING} for each required
   * input not attached.
   *
   * @param score   the sum; higher is better
   * @param words   the words part of it
   * @param matched the keywords found in the text
   * @param notes   what counted against it, for people ("does not take a video")
   */
  public record Fit(double score, double words, List<String> matched, List<String> notes) {
    public Fit {
      matched = List.copyOf(matched);
      notes = List.copyOf(notes);
    }

    /** The score as people read it: "2.5 (words: animate, video; needs an image)". */
    public String explain() {
      List<String> parts = new ArrayList<>();
      if (!matched.isEmpty()) parts.add("words: " + String.join(", ", matched));
      parts.addAll(notes);
      return fmt(score) + (parts.isEmpty() ? "" : " (" + String.join("; ", parts) + ")");
    }

    static String fmt(double d) {
      return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
  }

  /** A route or a boundary of one skill that matched (exactly one of the two is set); {@code fit} for a route. */
  public record Match(Skill skill, Route route, Unsupported unsupported, Fit fit) {
    public boolean isUnsupported() {
      return unsupported != null;
    }
  }

  private SkillMatcher() {}

  public static Optional<Match> match(Skill skill, Request request) {
    Map<String, Object> vars = variables(request);
    for (Unsupported u : skill.unsupported()) {
      if (u.when().test(vars)) {
        return Optional.of(new Match(skill, null, u, null));
      }
    }
    Keywords words = Keywords.of(request.text());
    Match best = null;
    for (Route r : skill.routes()) {
      if (r.when().test(vars)) {
        Fit fit = fit(skill, r, words, request.attachments());
        if (best == null || fit.score() > best.fit().score()) {
          best = new Match(skill, r, null, fit);
        }
      }
    }
    return Optional.ofNullable(best);
  }

  static Fit fit(Skill skill, Route route, Keywords words, Map<String, Integer> attachments) {
    Keywords.Coverage covered = words.coverage(route.keywords());
    double score = covered.units();
    List<String> notes = new ArrayList<>();
    Map<String, Boolean> inputs = skill.operation(route.to()).map(SkillOperation::inputs).orElse(Map.of());
    for (Map.Entry<String, Integer> a : attachments.entrySet()) {
      if (a.getValue() <= 0) continue;
      if (inputs.containsKey(a.getKey())) {
        score += ATTACHMENT_USED;
      } else {
        score += ATTACHMENT_UNUSED;
        notes.add("does not take " + article(a.getKey()));
      }
    }
    for (Map.Entry<String, Boolean> in : inputs.entrySet()) {
      if (in.getValue() && attachments.getOrDefault(in.getKey(), 0) <= 0 && isMedia(in.getKey())) {
        score += INPUT_MISSING;
        notes.add("needs " + article(in.getKey()));
      }
    }
    return new Fit(score, covered.units(), covered.matched(), notes);
  }

  private static boolean isMedia(String role) {
    return role.equals("image") || role.equals("video") || role.equals("audio");
  }

  private static String article(String kind) {
    return (kind.startsWith("a") || kind.startsWith("i") ? "an " : "a ") + kind;
  }

  /** The route-scope variables for a request (see {@link ConditionCompiler}). */
  public static Map<String, Object> variables(Request request) {
    Map<String, Object> vars = new HashMap<>();
    vars.put("text", request.text());
    vars.put("locale", request.locale());
    Map<String, Object> attachments = new HashMap<>();
    for (String kind : new String[] {"image", "video", "audio"}) {
      attachments.put(kind, (long) request.attachments().getOrDefault(kind, 0));
    }
    vars.put("attachments", attachments);
    vars.put("params", Map.of());
    return vars;
  }

  /**
   * Whether {@code example} gets the routing it expects from {@code skill}, and, when it names
   * {@code params}, whether the operation reads them from its words (when it routes to its own operation).
   */
  public static boolean satisfies(Skill skill, Example example) {
    Optional<Match> m = match(skill, new Request(example.text(), example.attachments(), example.locale()));
    return switch (example.expect()) {
      case Example.NONE -> m.isEmpty();
      case Example.UNSUPPORTED -> m.isPresent() && m.get().isUnsupported();
      default -> m.isPresent() && !m.get().isUnsupported() && m.get().route().to().equals(example.expect())
          && (example.params().isEmpty() || RoutingExamples.contains(words(m.get(), example.text()), example.params()));
    };
  }

  /** The parameters the matched route's operation reads from {@code text}, under the route's own. */
  static io.vertx.core.json.JsonObject words(Match m, String text) {
    return m.skill().operation(m.route().to())
        .map(op -> WordParams.standard().read(text, op, op.intent().words()).params().mergeIn(m.route().params()))
        .orElse(m.route().params());
  }
}
