package dev.skillhost.host.tasks;

import dev.skillhost.host.skills.SkillOperation;
import dev.skillhost.host.tasks.TaskRejected.Reason;
import io.vertx.core.json.JsonObject;

/** A task's parameters: the skill's defaults, then a route's, then the request's; checked against the skill's limits (the operation's, then the model's). */
final class Params {

  private Params() {}

  static JsonObject resolve(SkillOperation op, JsonObject routed, JsonObject requested) {
    JsonObject params = op == null ? new JsonObject() : op.defaults().copy();
    if (routed != null) {
      params.mergeIn(routed);
    }
    params.mergeIn(requested);
    if (op != null) {
      check(op, params);
    }
    return params;
  }

  /**
   * Refuses parameters outside the operation's limits or the chosen model's, with a problem that
   * names the parameter, the model and what is allowed ({@code param}, {@code model}, {@code allowed}).
   */
  private static void check(SkillOperation op, JsonObject params) {
    SkillOperation.Violation v = op.violation(params);
    if (v != null) {
      JsonObject extensions = new JsonObject().put("operation", op.name()).put("param", v.param())
          .put("allowed", v.allowed()).put("value", v.value());
      if (v.model() != null) {
        extensions.put("model", v.model());
      }
      throw new TaskRejected(Reason.INVALID_REQUEST, v.message(), extensions);
    }
  }

  private static TaskRejected invalid(String detail) {
    return new TaskRejected(Reason.INVALID_REQUEST, detail);
  }
}
