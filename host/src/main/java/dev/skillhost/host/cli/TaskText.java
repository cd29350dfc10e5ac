package dev.skillhost.host.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/** Tasks as text for people: one row in a list, a few lines for one task, a closing summary. */
final class TaskText {

  private TaskText() {}

  static final String HEADER = String.format("%-24s %-22s %-22s %5s  %s", "ID", "STATE", "SKILL/OPERATION", "DONE", "CREATED");

  static String row(JsonObject t) {
    return String.format("%-24s %-22s %-22s %5s  %s", t.getString("id"), t.getString("state"), what(t),
        progress(t), t.getString("created_at", ""));
  }

  static void details(PrintStream out, JsonObject t) {
    out.println(t.getString("id") + "  " + t.getString("state") + "  " + what(t) + "  " + progress(t));
    out.println("  created " + t.getString("created_at", "?") + ", updated " + t.getString("updated_at", "?"));
    JsonObject params = t.getJsonObject("params");
    if (params != null && !params.isEmpty()) {
      out.println("  params  " + params.encode());
    }
    JsonArray outputs = t.getJsonArray("outputs", new JsonArray());
    for (int i = 0; i < outputs.size(); i++) {
      JsonObject o = outputs.getJsonObject(i);
      out.println("  output  " + o.getString("kind", "file") + " " + o.getString("mime", "")
          + (o.getString("file") != null ? " /v1/files/" + o.getString("file") : " " + o.getString("url", "")));
    }
    if (t.getJsonObject("error") != null) {
      out.println("  error   " + why(t));
    }
    if ("awaiting_confirmation".equals(t.getString("state"))) {
      out.println("  waiting for you: skillhost confirm " + t.getString("id") + " (or cancel it)");
    }
  }

  /** The end of a followed task: its final message, then where each output was saved. */
  static void finished(PrintStream out, JsonObject task, List<Path> saved) {
    String state = task.getString("state");
    out.println("Task " + task.getString("id") + " " + state + ".");
    for (Path p : saved) {
      out.println("Saved " + p + " (" + Outputs.size(p) + ")");
    }
  }

  /** Why a task did not succeed, in the skill's words when it has them. */
  static String why(JsonObject task) {
    JsonObject error = task.getJsonObject("error");
    String id = task.getString("id");
    if (error == null) {
      return "Task " + id + " " + task.getString("state") + ".";
    }
    String message = error.getString("message", error.getString("code", "no reason given"));
    return "Task " + id + " " + task.getString("state") + ": " + message.replace('\n', ' ').strip();
  }

  private static String what(JsonObject t) {
    String who = t.getString("skill") != null ? t.getString("skill") : t.getString("provider", "?");
    return who + "/" + t.getString("operation", "?");
  }

  private static String progress(JsonObject t) {
    Object p = t.getValue("progress");
    return p instanceof Number n ? Math.round(n.doubleValue() * 100) + "%" : "";
  }
}
