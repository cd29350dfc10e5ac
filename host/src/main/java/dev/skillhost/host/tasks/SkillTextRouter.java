package dev.skillhost.host.tasks;

import dev.skillhost.host.skills.RouteAnswer;
import dev.skillhost.host.skills.RouteRequest;
import dev.skillhost.host.skills.Router;
import dev.skillhost.host.skills.Skill;
import dev.skillhost.host.skills.SkillMatcher;
import dev.skillhost.host.tasks.TaskRejected.Reason;
import io.vertx.core.Future;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Routes task requests given in words through the skills: across every skill with the
 * {@link Router} (readiness, preference), or within the one skill a request names.
 */
public final class SkillTextRouter implements TextRouter {

  private final Router router;
  private final SkillLookup skills;

  public SkillTextRouter(Router router, SkillLookup skills) {
    this.router = router;
    this.skills = skills;
  }

  @Override
  public Future<Routed> route(String text, String skillId, List<TaskRequest.InputRef> inputs, String locale) {
    Map<String, Integer> attachments = new HashMap<>();
    for (TaskRequest.InputRef in : inputs) {
      attachments.merge(in.role(), 1, Integer::sum);
    }
    if (skillId != null) {
      Skill skill = skills.byId(skillId).orElseThrow(() -> new TaskRejected(Reason.UNKNOWN_SKILL,
          "No skill '" + skillId + "' is loaded; GET /v1/skills lists them."));
      return Future.succeededFuture(within(skill, new SkillMatcher.Request(text, attachments, locale)));
    }
    return router.route(RouteRequest.of(text, attachments, locale)).map(SkillTextRouter::routed);
  }

  private static Routed within(Skill skill, SkillMatcher.Request request) {
    SkillMatcher.Match m = SkillMatcher.match(skill, request).orElseThrow(() -> new TaskRejected(Reason.NO_ROUTE,
        "Skill '" + skill.id() + "' has no operation for this request; name one with 'operation'."));
    if (m.isUnsupported()) {
      throw new TaskRejected(Reason.UNSUPPORTED, unsupported(skill, m, request.locale()));
    }
    return new Routed(skill.id(), skill.provider(), m.route().to(), m.route().params());
  }

  private static Routed routed(RouteAnswer answer) {
    if (answer instanceof RouteAnswer.Routed r) {
      if (!r.readiness().ready()) {
        throw new TaskRejected(Reason.NOT_READY, "Skill '" + r.skill().id() + "' serves this request ("
            + r.operation() + ") but is not ready: " + String.join("; ", r.readiness().reasons()) + ".");
      }
      return new Routed(r.skill().id(), r.skill().provider(), r.operation(), r.params());
    }
    if (answer instanceof RouteAnswer.Boundary b) {
      throw new TaskRejected(Reason.UNSUPPORTED, b.message().text());
    }
    if (answer instanceof RouteAnswer.Unclear u) {
      throw new TaskRejected(Reason.UNCLEAR, u.question() + " (" + u.options().stream()
          .map(o -> o.skill() + "/" + o.operation()).collect(Collectors.joining(", "))
          + "; name a skill and operation, or say more.)");
    }
    RouteAnswer.NoMatch none = (RouteAnswer.NoMatch) answer;
    String closest = none.closest().stream().limit(3)
        .map(c -> c.skill() + "/" + c.operation()).collect(Collectors.joining(", "));
    throw new TaskRejected(Reason.NO_ROUTE, "No skill serves this request"
        + (closest.isEmpty() ? "." : "; the closest are " + closest + ". POST /v1/route says why."));
  }

  private static String unsupported(Skill skill, SkillMatcher.Match m, String locale) {
    return dev.skillhost.host.skills.Messages.render(m.unsupported().message(), skill.locales(), locale, Map.of())
        .map(r -> r.text()).orElse("Skill '" + skill.id() + "' does not offer this.");
  }
}
