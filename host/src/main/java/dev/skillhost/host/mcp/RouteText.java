package dev.skillhost.host.mcp;

import dev.skillhost.host.skills.Messages;
import dev.skillhost.host.skills.RouteAnswer;
import io.vertx.core.json.JsonObject;

/**
 * The chat text of the {@code route} tool, for the user in their language (English or Chinese).
 * It is a dry run, so a route is told as where the request would go, never as the skill's
 * "submitted" message the answer also carries; a request nothing serves, or an unclear one, reads
 * the router's question. The details stay in structuredContent for the agent.
 */
final class RouteText {

  private RouteText() {}

  static String of(RouteAnswer answer, JsonObject json, String locale) {
    boolean zh = Messages.language(locale).equals("zh");
    if (answer instanceof RouteAnswer.NoMatch none) {
      return (zh ? "没有技能能完成这个请求。" : "No skill serves this request.")
          + (none.question() == null ? "" : (zh ? "" : " ") + none.question());
    }
    if (answer instanceof RouteAnswer.Unclear unclear) {
      return unclear.question();
    }
    if (answer instanceof RouteAnswer.Routed) {
      return routed(json, zh);
    }
    String said = json.getString("message"); // unsupported, boundary: the skill's own words
    return said != null ? said : (zh ? "没有技能能完成这个请求。" : "No skill serves this request.");
  }

  private static String routed(JsonObject json, boolean zh) {
    String where = json.getString("skill") + " · " + json.getString("operation");
    JsonObject eta = json.getJsonObject("eta");
    JsonObject estimate = json.getJsonObject("estimate");
    Object credits = estimate == null ? null : estimate.getValue("credits");
    boolean confirm = Boolean.TRUE.equals(json.getJsonObject("confirm", new JsonObject()).getBoolean("needed"));
    StringBuilder s = new StringBuilder();
    if (zh) {
      s.append("这个请求会交给 ").append(where).append(eta == null ? "" : "," + eta.getString("text")).append("。");
      if (confirm) {
        s.append("花费前会先请你确认").append(credits == null ? "" : "(约 " + credits + " 积分)").append("。");
      }
      if (!json.getBoolean("ready", true)) {
        s.append("它现在还不能用。");
      }
      return s.toString();
    }
    s.append("This would go to ").append(where).append(eta == null ? "" : ", " + eta.getString("text")).append(".");
    if (confirm) {
      s.append(" It asks you to confirm the cost first").append(credits == null ? "" : " (about " + credits + " credits)")
          .append(".");
    }
    if (!json.getBoolean("ready", true)) {
      s.append(" It cannot run yet.");
    }
    return s.toString();
  }
}
