package dev.skillhost.host.tasks;

import dev.skillhost.host.skills.Messages;
import dev.skillhost.host.skills.Skill;
import dev.skillhost.host.skills.SkillOperation;
import dev.skillhost.host.store.Task;
import dev.skillhost.host.store.TaskEvent;
import dev.skillhost.host.store.TaskState;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * The user-facing message each event carries, rendered from the task's skill templates in the
 * task's locale: submitted (with ETA), progress, confirm (with cost), result (image or video),
 * failed (the error map's words). Events no template speaks for carry none.
 */
final class TaskMessages {

  private final SkillLookup skills;
  private final java.util.function.Supplier<String> publicBase;
  private final java.util.function.Function<String, String> fileLink;

  /** @param publicBase the host's base URL, so result links work outside the host ("http://127.0.0.1:8080") */
  TaskMessages(SkillLookup skills, java.util.function.Supplier<String> publicBase) {
    this(skills, publicBase, id -> "/v1/files/" + id);
  }

  /** @param fileLink the path of a link to a stored file that works without a key (signed, short-lived) */
  TaskMessages(SkillLookup skills, java.util.function.Supplier<String> publicBase,
      java.util.function.Function<String, String> fileLink) {
    this.skills = skills;
    this.publicBase = publicBase;
    this.fileLink = fileLink;
  }

  Skill skillOf(Task task) {
    return task.skill() == null ? null : skills.byId(task.skill()).orElse(null);
  }

  /** A template of the task's skill and the variables it is rendered with. */
  record Message(String template, Map<String, Object> vars) {}

  /** The message for an event of {@code type} moving {@code task} to {@code state}, or null. */
  String render(Task task, String type, TaskState state, JsonObject data) {
    Skill skill = skillOf(task);
    Message m = skill == null ? null : message(task, skill, type, state, data);
    return m == null ? null
        : Messages.render(skill, m.template(), task.locale(), m.vars()).map(r -> r.text()).orElse(null);
  }

  /**
   * Which template of {@code skill} speaks for the event, and with what variables; null when none
   * does. A result or a failure is told once, by the final state event (the one channels deliver):
   * the output and error events of the same change carry the facts, not a second copy of the words.
   */
  Message message(Task task, Skill skill, String type, TaskState state, JsonObject data) {
    Map<String, Object> vars = base(task, skill);
    String template = switch (type) {
      case TaskEvent.PROGRESS -> {
        Double f = data.getDouble("fraction");
        vars.put("percent", f == null ? "" : Messages.percent(f));
        vars.put("message", data.getString("message", ""));
        yield "progress";
      }
      case TaskEvent.STATE -> switch (state) {
        case QUEUED -> data.getValue("fallback") instanceof JsonObject moved ? fallback(moved, vars) : null;
        case RUNNING -> submitted(task, skill, vars);
        case AWAITING_CONFIRMATION -> confirm(data, vars);
        case FAILED -> task.error() == null ? null : failed(task.error(), vars);
        case SUCCEEDED -> task.outputs().isEmpty() ? null : result(task.outputs().getJsonObject(0), task, skill, vars);
        default -> null;
      };
      default -> null;
    };
    return template == null ? null : new Message(template, vars);
  }

  private Map<String, Object> base(Task task, Skill skill) {
    Map<String, Object> vars = new HashMap<>();
    vars.put("task", task.id());
    vars.put("skill", skill.id());
    vars.put("operation", task.operation());
    vars.put("model", task.params().getValue("model", ""));
    return vars;
  }

  private static String submitted(Task task, Skill skill, Map<String, Object> vars) {
    SkillOperation op = skill.operation(task.operation()).orElse(null);
    if (op != null && op.eta() != null) {
      int[] eta = op.eta().forModel(task.params().getString("model"));
      vars.put("eta_low", eta[0]);
      vars.put("eta_high", eta[1]);
      vars.put("eta", Messages.etaRange(eta[0], eta[1], task.locale()));
    }
    return "submitted";
  }

  /** Said by the skill the task moved to: from which skill, and why it refused (in the user's words). */
  private static String fallback(JsonObject moved, Map<String, Object> vars) {
    vars.put("from", moved.getString("from", ""));
    vars.put("to", moved.getString("to", ""));
    vars.put("reason", moved.getString("reason", ""));
    vars.put("kind", moved.getString("kind", ""));
    return "fallback";
  }

  private static String confirm(JsonObject data, Map<String, Object> vars) {
    // a failed estimate leaves "cost": null, which getJsonObject's default does not cover
    JsonObject cost = data.getValue("cost") instanceof JsonObject c ? c : new JsonObject();
    vars.put("cost", cost.getValue("credits") == null ? "" : cost.getValue("credits"));
    vars.put("unit", cost.getString("unit", "credits"));
    return "confirm";
  }

  private static String failed(JsonObject error, Map<String, Object> vars) {
    vars.put("reason", error.getString("message", ""));
    vars.put("kind", error.getString("kind", ""));
    vars.put("action", error.getString("action", ""));
    vars.put("code", error.getValue("code", ""));
    return "failed";
  }

  private String result(JsonObject output, Task task, Skill skill, Map<String, Object> vars) {
    JsonObject meta = output.getJsonObject("meta", new JsonObject());
    String file = output.getString("file");
    vars.put("url", file != null ? publicBase.get() + fileLink.apply(file) : output.getString("url", ""));
    vars.put("width", meta.getValue("width", ""));
    vars.put("height", meta.getValue("height", ""));
    vars.put("resolution", resolution(task.params().getValue("resolution"), meta));
    vars.put("aspect_ratio", aspectRatio(task.params().getValue("aspect_ratio"), meta));
    Long ms = meta.getLong("duration_ms");
    vars.put("duration", ms == null ? task.params().getValue("duration", "") : String.format("%.1f s", ms / 1000.0));
    vars.put("cost", meta.getValue("cost") instanceof Number n ? number(n) : "");
    vars.put("link", meta.getValue("link", ""));
    vars.put("text", meta.getValue("text", ""));
    // result.<kind> when the skill says it; an image's and a video's message are the defaults, and
    // no message at all beats calling a text or a 3D model "an image"
    String kind = output.getString("kind", "");
    String own = "result." + kind;
    if (skill.template(own).isPresent()) {
      return own;
    }
    return switch (kind) {
      case "video" -> "result.video";
      case "image" -> "result.image";
      default -> null;
    };
  }

  /**
   * The resolution the user chose ({@code 2K}, {@code 720p}), with the file's own size when it was
   * read ({@code 2K (2048×2048)}); the size alone when the task named none.
   */
  static String resolution(Object asked, JsonObject meta) {
    String size = meta.getValue("width") instanceof Number w && meta.getValue("height") instanceof Number h
        ? w + "×" + h : "";
    String tier = asked == null ? "" : asked instanceof Number n ? n + "p" : asked.toString();
    return tier.isEmpty() ? size : size.isEmpty() ? tier : tier + " (" + size + ")";
  }

  /** A count of credits for people: {@code 40}, {@code 12.5}. */
  static String number(Number n) {
    double d = n.doubleValue();
    return d == Math.rint(d) && !Double.isInfinite(d) ? Long.toString((long) d) : Double.toString(d);
  }

  private static final int[][] RATIOS = {{1, 1}, {16, 9}, {9, 16}, {4, 3}, {3, 4}, {3, 2}, {2, 3}, {21, 9}, {9, 21},
      {5, 4}, {4, 5}};

  /**
   * The aspect ratio the user chose ({@code 16:9}), else the file's own from its size: the usual
   * ratio within 2% of it ({@code 1278×720 → 16:9}), else its reduced fraction; "" when neither is
   * known. Extends, character replaces and edits take the input's shape, so they name none.
   */
  static String aspectRatio(Object asked, JsonObject meta) {
    if (asked != null && !asked.toString().isBlank()) {
      return asked.toString();
    }
    if (!(meta.getValue("width") instanceof Number w && meta.getValue("height") instanceof Number h)
        || w.longValue() <= 0 || h.longValue() <= 0) {
      return "";
    }
    double actual = w.doubleValue() / h.doubleValue();
    for (int[] r : RATIOS) {
      if (Math.abs(actual / ((double) r[0] / r[1]) - 1) <= 0.02) {
        return r[0] + ":" + r[1];
      }
    }
    long a = w.longValue();
    long b = h.longValue();
    long g = java.math.BigInteger.valueOf(a).gcd(java.math.BigInteger.valueOf(b)).longValue();
    return a / g + ":" + b / g;
  }
}
