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

  /** The message for an event of {@code type} moving {@code task} to {@code state}, or null. */
  String render(Task task, String type, TaskState state, JsonObject data) {
    Skill skill = skillOf(task);
    if (skill == null) {
      return null;
    }
    Map<String, Object> vars = base(task, skill);
    String template = switch (type) {
      case TaskEvent.PROGRESS -> {
        Double f = data.getDouble("fraction");
        vars.put("percent", f == null ? "" : Messages.percent(f));
        vars.put("message", data.getString("message", ""));
        yield "progress";
      }
      case TaskEvent.OUTPUT -> result(data, task, skill, vars);
      case TaskEvent.ERROR -> failed(data, vars);
      case TaskEvent.STATE -> switch (state) {
        case RUNNING -> submitted(task, skill, vars);
        case AWAITING_CONFIRMATION -> confirm(data, vars);
        case FAILED -> task.error() == null ? null : failed(task.error(), vars);
        case SUCCEEDED -> task.outputs().isEmpty() ? null : result(task.outputs().getJsonObject(0), task, skill, vars);
        default -> null;
      };
      default -> null;
    };
    return template == null ? null
        : Messages.render(skill, template, task.locale(), vars).map(r -> r.text()).orElse(null);
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
    vars.put("resolution", meta.containsKey("width") ? meta.getValue("width") + "×" + meta.getValue("height")
        : task.params().getValue("resolution", ""));
    vars.put("aspect_ratio", task.params().getValue("aspect_ratio", ""));
    Long ms = meta.getLong("duration_ms");
    vars.put("duration", ms == null ? task.params().getValue("duration", "") : String.format("%.1f s", ms / 1000.0));
    vars.put("cost", "");
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
}
