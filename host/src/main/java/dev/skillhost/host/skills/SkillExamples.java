package dev.skillhost.host.skills;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs a manifest's {@code examples:} against its own routes and boundaries: the manifest's tests,
 * run at every load and by {@code skillhost skills test}.
 */
public final class SkillExamples {

  /**
   * One example's outcome.
   *
   * @param example the example
   * @param passed  whether it got the routing it expects
   * @param got     what it got: an operation name, {@code unsupported} or {@code none}
   * @param by      where the rule that took it stands, or null when nothing did
   */
  public record Outcome(Example example, boolean passed, String got, Position by) {

    /** Why it failed, worded for the author; empty when it passed. */
    public String failure() {
      if (passed) {
        return "";
      }
      String what = switch (got) {
        case Example.NONE -> "example routes nowhere";
        case Example.UNSUPPORTED -> "example is answered as unsupported";
        default -> "example routes to '" + got + "'";
      };
      String expected = switch (example.expect()) {
        case Example.NONE, Example.UNSUPPORTED -> example.expect();
        default -> "'" + example.expect() + "'";
      };
      return what + ", expected " + expected;
    }

    /** Which rule took it, for the hint. */
    public String hint() {
      if (by == null) {
        return "no route's condition holds for it";
      }
      return (got.equals(Example.UNSUPPORTED) ? "the unsupported rule" : "the route") + " at line " + by.line() + " took it";
    }
  }

  private SkillExamples() {}

  public static List<Outcome> run(Skill skill) {
    List<Outcome> out = new ArrayList<>();
    for (Example e : skill.examples()) {
      Optional<SkillMatcher.Match> m = SkillMatcher.match(skill, new SkillMatcher.Request(e.text(), e.attachments(), e.locale()));
      String got = m.map(x -> x.isUnsupported() ? Example.UNSUPPORTED : x.route().to()).orElse(Example.NONE);
      Position by = m.map(x -> x.isUnsupported() ? x.unsupported().at() : x.route().at()).orElse(null);
      out.add(new Outcome(e, SkillMatcher.satisfies(skill, e), got, by));
    }
    return out;
  }
}
