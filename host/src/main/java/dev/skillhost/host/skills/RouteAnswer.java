package dev.skillhost.host.skills;

import dev.skillhost.api.Estimate;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What {@link Router#route} makes of a request: a route to one skill's operation, a capability
 * boundary's answer, or no match with the closest candidates. Each has its wire form (snake_case).
 */
public sealed interface RouteAnswer permits RouteAnswer.Routed, RouteAnswer.Boundary, RouteAnswer.NoMatch, RouteAnswer.Unclear {

  /** The locale the user asked for first. */
  String askedLocale();

  /** The answer as {@code POST /v1/route} shows it. */
  JsonObject toJson();

  /** A skill that also matched, and why it lost. {@code operation} is null for a boundary. */
  record Candidate(String skill, String operation, String reason) {
    public JsonObject toJson() {
      return new JsonObject().put("skill", skill).put("operation", operation).put("reason", reason);
    }
  }

  /** Expected time to a result in seconds, and in words in the answer's locale. */
  record Eta(int lowSeconds, int highSeconds, String text) {
    public JsonObject toJson() {
      return new JsonObject().put("low_s", lowSeconds).put("high_s", highSeconds).put("text", text);
    }
  }

  /**
   * Whether the task will wait for confirmation before anything is spent.
   *
   * @param needed    true or false when known; null when it cannot be told before the estimate
   * @param condition the operation's confirm condition, or null when it has none
   * @param reason    why {@code needed} is unknown, else null
   */
  record Confirm(Boolean needed, String condition, String reason) {
    public static final Confirm NEVER = new Confirm(false, null, null);

    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("needed", needed).put("condition", condition);
      return reason == null ? json : json.put("reason", reason);
    }
  }

  /**
   * The request goes to {@code skill}'s {@code operation}.
   *
   * @param params    the operation's defaults, then the route's parameters
   * @param eta       from the operation's ETA table for {@code params.model}, or null if it has none
   * @param estimate  the provider's estimate, or null when it was not asked (provider not ready) or failed
   * @param readiness whether the provider can serve now; the winner may be unready when no ready skill matched
   * @param message   the {@code submitted} template rendered with the ETA, or null if the skill has none
   * @param locale    the locale the answer is in
   * @param fit       how well the request fits the operation
   * @param words     the parameters read from the request's words (in {@code params} already)
   */
  record Routed(Skill skill, String operation, JsonObject params, Eta eta, Estimate estimate, Confirm confirm,
      Readiness readiness, Localized.Rendered message, String locale, String askedLocale, List<Candidate> candidates,
      SkillMatcher.Fit fit, WordParams.Reading words)
      implements RouteAnswer {

    public Routed {
      params = params.copy();
      candidates = List.copyOf(candidates);
      words = words == null ? WordParams.Reading.NONE : words;
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject()
          .put("kind", "route")
          .put("skill", skill.id())
          .put("provider", skill.provider())
          .put("operation", operation)
          .put("params", params.copy())
          .put("eta", eta == null ? null : eta.toJson())
          .put("estimate", estimate == null ? null : estimate.toJson())
          .put("confirm", confirm.toJson())
          .put("ready", readiness.ready())
          .put("needs", readiness.toJson())
          .put("message", message == null ? null : message.text())
          .mergeIn(locales(locale, askedLocale))
          .put("match", fit == null ? null : fitJson(fit))
          .put("from_words", new JsonArray(words.said().stream().map(WordParams.Said::toJson).toList()))
          .put("not_applied", new JsonArray(words.notApplied()))
          .put("candidates", new JsonArray(candidates.stream().map(Candidate::toJson).toList()));
    }
  }

  /**
   * One of the jobs an unclear request could mean.
   *
   * @param intent the job, shared across skills
   * @param title  a few words for it in the answer's locale
   * @param fit    how well it fits, for people
   */
  record Option(String skill, String operation, String intent, String title, String fit, Readiness readiness) {
    public JsonObject toJson() {
      return new JsonObject().put("skill", skill).put("operation", operation).put("intent", intent)
          .put("title", title).put("match", fit).put("ready", readiness.ready());
    }
  }

  /**
   * Different jobs fit the request equally well: rather than a confident wrong route, a question
   * the assistant can put to the user, and the options it chooses between.
   */
  record Unclear(String question, String locale, String askedLocale, List<Option> options, List<Candidate> candidates)
      implements RouteAnswer {

    public Unclear {
      options = List.copyOf(options);
      candidates = List.copyOf(candidates);
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject()
          .put("kind", "unclear")
          .put("question", question)
          .mergeIn(locales(locale, askedLocale))
          .put("options", new JsonArray(options.stream().map(Option::toJson).toList()))
          .put("candidates", new JsonArray(candidates.stream().map(Candidate::toJson).toList()));
    }
  }

  private static JsonObject fitJson(SkillMatcher.Fit fit) {
    return new JsonObject().put("score", fit.score()).put("words", new JsonArray(fit.matched()))
        .put("notes", new JsonArray(fit.notes()));
  }

  /** A capability boundary of {@code skill} answers the request; no task should be made. */
  record Boundary(Skill skill, Localized.Rendered message, String askedLocale, List<Candidate> candidates)
      implements RouteAnswer {

    public Boundary {
      candidates = List.copyOf(candidates);
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject()
          .put("kind", "unsupported")
          .put("skill", skill.id())
          .put("provider", skill.provider())
          .put("message", message.text())
          .mergeIn(locales(message.locale(), askedLocale))
          .put("candidates", new JsonArray(candidates.stream().map(Candidate::toJson).toList()));
    }
  }

  /** No skill routes the request and no boundary answers it. */
  record NoMatch(String askedLocale, List<Closest> closest, String question) implements RouteAnswer {

    public NoMatch {
      closest = List.copyOf(closest);
    }

    public NoMatch(String askedLocale, List<Closest> closest) {
      this(askedLocale, closest, null);
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject()
          .put("kind", "no_route")
          .put("question", question)
          .put("locale_asked", askedLocale)
          .put("candidates", new JsonArray(closest.stream().map(Closest::toJson).toList()));
    }
  }

  /**
   * A route that came near a request no skill matched.
   *
   * @param score    the share of a route keyword's words (or CJK characters) found in the text, 0..1
   * @param keywords the route keywords that scored best
   * @param reason   why it did not match, for people
   * @param example  a request from the skill's examples that does route there, or null
   */
  record Closest(String skill, String operation, double score, List<String> keywords, String reason, String example) {

    public Closest {
      keywords = List.copyOf(keywords);
    }

    public JsonObject toJson() {
      return new JsonObject()
          .put("skill", skill)
          .put("operation", operation)
          .put("score", Math.round(score * 100) / 100.0)
          .put("keywords", new JsonArray(keywords))
          .put("reason", reason)
          .put("example", example);
    }
  }

  private static JsonObject locales(String used, String asked) {
    return new JsonObject()
        .put("locale", used)
        .put("locale_asked", asked)
        .put("locale_fallback", !used.equalsIgnoreCase(asked));
  }
}
