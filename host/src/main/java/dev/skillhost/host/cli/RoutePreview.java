package dev.skillhost.host.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * Where a request in words would go ({@code POST /v1/route}), shown before anything is spent. With
 * {@code --skill} the preview is that skill's: the route's own answer when it agrees, else the
 * operation the skill matched among the candidates, with its manifest's defaults and ETA.
 */
record RoutePreview(JsonObject json) {

  static RoutePreview of(HostClient client, String text, List<String> uploads, String locale, String skill,
      Map<String, Object> params) {
    JsonObject body = new JsonObject().put("text", text).put("attachments", new JsonArray(uploads));
    if (locale != null) {
      body.put("locale", locale);
    }
    JsonObject route;
    try {
      route = client.post("/v1/route", body);
    } catch (CliException e) {
      if (skill == null || e.exitCode() != CliException.FAILED) {
        throw e;
      }
      route = new JsonObject().put("kind", "none").put("candidates", new JsonArray());
    }
    if (skill != null && !skill.equals(route.getString("skill"))) {
      route = forSkill(client, skill, route);
    } else if ("unsupported".equals(route.getString("kind"))) {
      throw new CliException(CliException.FAILED, route.getString("message", "No skill can do that."));
    }
    JsonObject merged = route.getJsonObject("params", new JsonObject()).copy();
    params.forEach(merged::put);
    return new RoutePreview(route.copy().put("params", merged));
  }

  private static JsonObject forSkill(HostClient client, String skill, JsonObject route) {
    JsonObject manifest = client.get("/v1/skills/" + skill);
    String operation = route.getJsonArray("candidates", new JsonArray()).stream()
        .map(c -> (JsonObject) c).filter(c -> skill.equals(c.getString("skill")) && c.getString("operation") != null)
        .map(c -> c.getString("operation")).findFirst().orElse(null);
    JsonObject preview = new JsonObject().put("kind", "route").put("skill", skill)
        .put("provider", manifest.getString("provider")).put("operation", operation)
        .put("estimate", null).put("confirm", new JsonObject().put("needed", null));
    JsonObject op = operation == null ? null
        : manifest.getJsonObject("operations", new JsonObject()).getJsonObject(operation);
    if (op != null) {
      preview.put("params", op.getJsonObject("defaults", new JsonObject()));
      JsonArray eta = op.getJsonObject("eta", new JsonObject()).getJsonArray("default");
      if (eta != null && eta.size() == 2) {
        preview.put("eta", new JsonObject().put("low_s", eta.getValue(0)).put("high_s", eta.getValue(1)));
      }
      if (op.getString("confirm") != null) {
        preview.getJsonObject("confirm").put("condition", op.getString("confirm"));
      }
    }
    return preview;
  }

  String skill() {
    return json.getString("skill");
  }

  String label() {
    String op = json.getString("operation");
    return skill() + (op == null ? "" : " " + op);
  }

  long etaHighS() {
    JsonObject eta = json.getJsonObject("eta");
    return eta == null || !(eta.getValue("high_s") instanceof Number n) ? 0 : n.longValue();
  }

  /** The credits the route's estimate names, or null when it names none. */
  Double credits() {
    JsonObject estimate = json.getJsonObject("estimate");
    return estimate != null && estimate.getValue("credits") instanceof Number n ? n.doubleValue() : null;
  }

  String unit() {
    JsonObject estimate = json.getJsonObject("estimate");
    return estimate == null ? null : estimate.getString("unit");
  }

  /** Ask before submitting: the skill says so, or the estimate spends credits. */
  boolean asksFirst() {
    JsonObject confirm = json.getJsonObject("confirm", new JsonObject());
    return Boolean.TRUE.equals(confirm.getValue("needed")) || (credits() != null && credits() > 0);
  }

  void print(PrintStream out) {
    JsonObject eta = json.getJsonObject("eta");
    JsonObject confirm = json.getJsonObject("confirm", new JsonObject());
    Object needed = confirm.getValue("needed");
    row(out, "skill", skill() + (json.getString("provider") == null ? "" : " (provider " + json.getString("provider") + ")"));
    row(out, "operation", json.getString("operation", "chosen by the skill when submitted"));
    row(out, "params", json.getJsonObject("params", new JsonObject()).encode());
    row(out, "eta", eta == null ? "unknown" : eta.getString("text", eta.getValue("low_s") + "–" + eta.getValue("high_s") + " s"));
    row(out, "estimate", credits() == null ? "none yet (the host asks if the spend needs confirming)"
        : Prompt.spend(credits(), unit()).replaceFirst("^Spend ", "").replace("?", ""));
    row(out, "confirm", Boolean.TRUE.equals(needed) ? "needed" : Boolean.FALSE.equals(needed) ? "not needed"
        : confirm.getString("condition") == null ? "not needed" : "when " + confirm.getString("condition"));
    JsonObject needs = json.getJsonObject("needs");
    if (Boolean.FALSE.equals(json.getValue("ready")) && needs != null) {
      row(out, "not ready", String.join("; ", needs.getJsonArray("reasons", new JsonArray()).stream().map(String::valueOf).toList()));
    }
  }

  private static void row(PrintStream out, String name, String value) {
    out.printf("  %-10s %s%n", name, value);
  }
}
