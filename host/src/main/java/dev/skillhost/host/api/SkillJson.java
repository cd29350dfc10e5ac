package dev.skillhost.host.api;

import dev.skillhost.host.skills.Condition;
import dev.skillhost.host.skills.ErrorRule;
import dev.skillhost.host.skills.Example;
import dev.skillhost.host.skills.Localized;
import dev.skillhost.host.skills.Position;
import dev.skillhost.host.skills.Route;
import dev.skillhost.host.skills.Skill;
import dev.skillhost.host.skills.SkillOperation;
import dev.skillhost.host.skills.Template;
import dev.skillhost.host.skills.Unsupported;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** A live skill as {@code GET /v1/skills/{id}} shows it: the manifest's meaning, with each rule's position. */
final class SkillJson {

  private SkillJson() {}

  static JsonObject of(Skill s) {
    JsonObject operations = new JsonObject();
    new TreeMap<>(s.operations()).forEach((name, op) -> operations.put(name, operation(op)));
    JsonObject templates = new JsonObject();
    new TreeMap<>(s.templates()).forEach((name, t) -> templates.put(name, localized(t)));
    return new JsonObject()
        .put("id", s.id())
        .put("version", s.version())
        .put("provider", s.provider())
        .put("description", s.description())
        .put("locales", new JsonArray(s.locales()))
        .put("requires", new JsonObject().put("secrets", new JsonArray(s.requires().secrets()))
            .put("login", s.requires().login()))
        .put("operations", operations)
        .put("routes", new JsonArray(s.routes().stream().map(SkillJson::route).toList()))
        .put("unsupported", new JsonArray(s.unsupported().stream().map(SkillJson::boundary).toList()))
        .put("templates", templates)
        .put("errors", new JsonArray(s.errors().stream().map(SkillJson::error).toList()))
        .put("outputs", new JsonArray(s.outputs()))
        .put("examples", new JsonArray(s.examples().stream().map(SkillJson::example).toList()))
        .put("at", at(s.at()));
  }

  private static JsonObject operation(SkillOperation op) {
    JsonObject inputs = new JsonObject();
    new TreeMap<>(op.inputs()).forEach((role, required) -> inputs.put(role, required ? "required" : "optional"));
    JsonObject eta = null;
    if (op.eta() != null) {
      JsonObject models = new JsonObject();
      new TreeMap<>(op.eta().models()).forEach((m, r) -> models.put(m, new JsonArray().add(r[0]).add(r[1])));
      eta = new JsonObject().put("default", new JsonArray().add(op.eta().low()).add(op.eta().high())).put("models", models);
    }
    return new JsonObject()
        .put("description", op.description())
        .put("inputs", inputs)
        .put("defaults", op.defaults())
        .put("limits", op.limits())
        .put("models", op.models())
        .put("eta", eta)
        .put("confirm", source(op.confirm()));
  }

  private static JsonObject route(Route r) {
    return new JsonObject().put("when", source(r.when())).put("to", r.to()).put("params", r.params()).put("at", at(r.at()));
  }

  private static JsonObject boundary(Unsupported u) {
    return new JsonObject().put("when", source(u.when())).put("message", localized(u.message())).put("at", at(u.at()));
  }

  private static JsonObject error(ErrorRule e) {
    JsonObject match = new JsonObject();
    if (e.code() != null) match.put("code", e.code());
    if (e.http() != 0) match.put("http", e.http());
    if (e.text() != null) match.put("text", e.text().pattern());
    ErrorRule.Retry retry = e.retry() == null ? ErrorRule.Retry.NEVER : e.retry();
    return new JsonObject()
        .put("match", match)
        .put("kind", wire(e.kind()))
        .put("action", wire(e.action()))
        .put("retry", new JsonObject().put("max", retry.max())
            .put("after", retry.obeyRetryAfter() ? "retry-after" : null)
            .put("delay_ms", retry.delay().toMillis()))
        .put("message", e.message() == null ? null : localized(e.message()))
        .put("at", at(e.at()));
  }

  private static JsonObject example(Example e) {
    return new JsonObject()
        .put("text", e.text())
        .put("attachments", new JsonObject(Map.copyOf(e.attachments())))
        .put("locale", e.locale())
        .put("expect", e.expect())
        .put("at", at(e.at()));
  }

  private static JsonObject localized(Localized l) {
    JsonObject out = new JsonObject();
    new TreeMap<String, Template>(l.byLocale()).forEach((locale, t) -> out.put(locale, t.source()));
    return out;
  }

  private static String source(Condition c) {
    return c == null ? null : c.source();
  }

  private static String wire(Enum<?> e) {
    return e == null ? null : e.name().toLowerCase(Locale.ROOT);
  }

  private static String at(Position p) {
    return p == null ? null : p.toString();
  }
}
