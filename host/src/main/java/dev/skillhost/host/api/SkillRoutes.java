package dev.skillhost.host.api;

import dev.skillhost.host.skills.Skill;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code GET /v1/skills}: every skill file's status (live version, problems, a refused edit);
 * {@code GET /v1/skills/{id}}: one live skill in full, as the host reads it ({@link SkillJson}).
 */
final class SkillRoutes {

  private final Supplier<List<JsonObject>> statuses;
  private final Function<String, Optional<Skill>> skills;

  /**
   * @param statuses one status document per skill file (the registry's {@code SkillStatus.toJson()})
   * @param skills   the live skill by id
   */
  SkillRoutes(Supplier<List<JsonObject>> statuses, Function<String, Optional<Skill>> skills) {
    this.statuses = statuses;
    this.skills = skills;
  }

  void mount(Router router) {
    router.get("/v1/skills").handler(ctx -> ctx.json(new JsonObject().put("skills", new JsonArray(statuses.get()))));
    router.get("/v1/skills/:id").handler(this::skill);
  }

  private void skill(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    Skill skill = skills.apply(id).orElseThrow(() -> new ApiException(404, "skill-not-found", "Not found",
        "No skill '" + clip(id) + "' is live; GET /v1/skills lists every skill file and why one may be refused."));
    ctx.json(SkillJson.of(skill));
  }

  private static String clip(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "…" : s;
  }
}
