package dev.skillhost.host.skills;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * What became of one manifest file, for {@code GET /v1/skills}.
 *
 * @param file      the manifest file
 * @param skill     the id of the skill it serves, or null when none of its versions ever loaded
 * @param version   the version live now, or null
 * @param refused   true when the last attempt was refused (errors, or an id another file serves);
 *                  the last good version, if any, stays live
 * @param problems  every problem of the last attempt, warnings included
 * @param checkedAt when the last attempt was made
 */
public record SkillStatus(String file, String skill, String version, boolean refused, List<ManifestProblem> problems,
    Instant checkedAt) {

  public SkillStatus {
    problems = List.copyOf(problems);
  }

  /** Whether a version of this manifest is serving. */
  public boolean live() {
    return version != null;
  }

  /** Wire form, snake_case. */
  public JsonObject toJson() {
    JsonArray p = new JsonArray();
    problems.forEach(x -> p.add(x.toJson()));
    return new JsonObject()
        .put("file", file)
        .put("skill", skill)
        .put("version", version)
        .put("live", live())
        .put("refused", refused)
        .put("problems", p)
        .put("checked_at", checkedAt.toString());
  }
}
