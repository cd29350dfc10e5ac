package dev.skillhost.host.skills;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What one skill makes of one request: a capability boundary that answers it, else the first
 * route whose condition holds, else nothing. Boundaries come first so that "a marketing video"
 * is answered as unsupported even though "video" alone would route.
 */
public final class SkillMatcher {

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

  /** A route or a boundary of one skill that matched (exactly one of the two is set). */
  public record Match(Skill skill, Route route, Unsupported unsupported) {
    public boolean isUnsupported() {
      return unsupported != null;
    }
  }

  private SkillMatcher() {}

  public static Optional<Match> match(Skill skill, Request request) {
    Map<String, Object> vars = variables(request);
    for (Unsupported u : skill.unsupported()) {
      if (u.when().test(vars)) {
        return Optional.of(new Match(skill, null, u));
      }
    }
    for (Route r : skill.routes()) {
      if (r.when().test(vars)) {
        return Optional.of(new Match(skill, r, null));
      }
    }
    return Optional.empty();
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

  /** Whether {@code example} gets the routing it expects from {@code skill}. */
  public static boolean satisfies(Skill skill, Example example) {
    Optional<Match> m = match(skill, new Request(example.text(), example.attachments(), example.locale()));
    return switch (example.expect()) {
      case Example.NONE -> m.isEmpty();
      case Example.UNSUPPORTED -> m.isPresent() && m.get().isUnsupported();
      default -> m.isPresent() && !m.get().isUnsupported() && m.get().route().to().equals(example.expect());
    };
  }
}
