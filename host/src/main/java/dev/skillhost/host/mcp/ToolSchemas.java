package dev.skillhost.host.mcp;

import dev.skillhost.host.skills.SkillOperation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeSet;

/** The JSON Schemas of the tools: fixed ones for the host's own tools, derived ones for each skill operation. */
final class ToolSchemas {

  private ToolSchemas() {}

  static final JsonArray STATES = new JsonArray().add("queued").add("submitting").add("running")
      .add("awaiting_confirmation").add("succeeded").add("failed").add("cancelled").add("unknown");

  /** What every task-returning tool answers in {@code structuredContent}. */
  static JsonObject task() {
    JsonObject output = object()
        .put("properties", new JsonObject()
            .put("uri", str("skillhost://tasks/{id}/outputs/{n}: read it with resources/read"))
            .put("kind", nullable("string"))
            .put("file", nullable("string"))
            .put("mime", nullable("string"))
            .put("url", nullable("string").put("description", "a signed link that works without a key until it expires"))
            .put("size", nullable("integer"))
            .put("width", nullable("integer"))
            .put("height", nullable("integer"))
            .put("duration_s", nullable("number")))
        .put("required", new JsonArray().add("uri"));
    return object()
        .put("properties", new JsonObject()
            .put("task_id", str("the task's id (also its MCP task id)"))
            .put("state", new JsonObject().put("type", "string").put("enum", STATES))
            .put("skill", nullable("string"))
            .put("provider", nullable("string"))
            .put("operation", nullable("string"))
            .put("params", new JsonObject().put("type", "object"))
            .put("progress", nullable("number").put("description", "0 to 1, when known"))
            .put("locale", nullable("string"))
            .put("message", nullable("string").put("description", "what to tell the user, in their language"))
            .put("eta", new JsonObject().put("type", "object"))
            .put("estimate", new JsonObject().put("type", "object").put("description", "the cost to confirm: credits, unit"))
            .put("outputs", new JsonObject().put("type", "array").put("items", output))
            .put("error", new JsonObject().put("type", "object"))
            .put("needs", new JsonObject().put("type", "object").put("description", "what must happen first: a sign-in"))
            .put("created_at", str(null))
            .put("updated_at", str(null)))
        .put("required", new JsonArray().add("task_id").add("state").add("outputs"));
  }

  static JsonObject route() {
    return object().put("properties", new JsonObject()
            .put("kind", new JsonObject().put("type", "string").put("enum", new JsonArray().add("route").add("unsupported").add("no_route").add("unclear")))
            .put("skill", nullable("string"))
            .put("provider", nullable("string"))
            .put("operation", nullable("string"))
            .put("params", new JsonObject().put("type", "object"))
            .put("message", nullable("string"))
            .put("question", nullable("string").put("description", "kind unclear: what to ask the user"))
            .put("ready", new JsonObject().put("type", "boolean"))
            .put("candidates", new JsonObject().put("type", "array")))
        .put("required", new JsonArray().add("kind"));
  }

  static JsonObject taskList() {
    return object().put("properties", new JsonObject()
            .put("tasks", new JsonObject().put("type", "array").put("items", task()))
            .put("next", nullable("string").put("description", "pass as cursor for the next page")))
        .put("required", new JsonArray().add("tasks"));
  }

  static JsonObject upload() {
    return object().put("properties", new JsonObject()
            .put("file", str("the upload id to pass as an input"))
            .put("mime", str(null))
            .put("size", new JsonObject().put("type", "integer")))
        .put("required", new JsonArray().add("file").add("mime").add("size"));
  }

  static JsonObject taskIdOnly(String what) {
    return closed().put("properties", new JsonObject().put("task_id", str(what)))
        .put("required", new JsonArray().add("task_id"));
  }

  /** Arguments every submitting tool takes besides its own. */
  static void submitting(JsonObject properties) {
    properties
        .put("locale", str("the user's language, e.g. en or zh-CN: messages come in it"))
        .put("wait_s", new JsonObject().put("type", "integer").put("minimum", 0).put("maximum", Tools.MAX_WAIT_S)
            .put("description", "wait up to this many seconds for the result (with progress); 0 answers at once"))
        .put("deadline_s", new JsonObject().put("type", "integer").put("minimum", 1)
            .put("description", "fail the task if it has not finished after this many seconds"))
        .put("idempotency_key", str("the same key again returns the same task instead of a new one (and a new spend)"));
  }

  /**
   * The input schema of one skill operation: {@code prompt}, one argument per input role, the
   * parameters its defaults and limits name (typed, with enum, minimum, maximum and default),
   * {@code params} for anything else the provider takes, and the submitting arguments.
   */
  static JsonObject operation(SkillOperation op) {
    JsonObject props = new JsonObject().put("prompt", str("what to make, in the user's words"));
    JsonArray required = new JsonArray();
    for (Map.Entry<String, Boolean> in : new java.util.TreeMap<>(op.inputs()).entrySet()) {
      if (in.getKey().equals("prompt")) {
        continue;
      }
      props.put(in.getKey(), new JsonObject().put("type", new JsonArray().add("string").add("array"))
          .put("items", new JsonObject().put("type", "string"))
          .put("description", "the " + in.getKey() + ": an upload id from the upload tool (or a list of them)"));
      if (Boolean.TRUE.equals(in.getValue())) {
        required.add(in.getKey());
      }
    }
    TreeSet<String> names = new TreeSet<>(op.defaults().fieldNames());
    names.addAll(op.limits().fieldNames());
    for (String name : names) {
      if (!props.containsKey(name)) {
        props.put(name, param(op.defaults().getValue(name), op.limits().getJsonObject(name)));
      }
    }
    props.put("params", new JsonObject().put("type", "object").put("description", "other parameters the provider takes"));
    submitting(props);
    JsonObject schema = closed().put("properties", props);
    return required.isEmpty() ? schema : schema.put("required", required);
  }

  private static JsonObject param(Object dflt, JsonObject limit) {
    JsonObject p = new JsonObject();
    if (limit != null && limit.getValue("enum") instanceof JsonArray values) {
      p.put("enum", values.copy());
    } else if (limit != null && (limit.containsKey("min") || limit.containsKey("max"))) {
      p.put("type", "number");
      if (limit.getValue("min") != null) p.put("minimum", limit.getValue("min"));
      if (limit.getValue("max") != null) p.put("maximum", limit.getValue("max"));
    } else if (dflt != null) {
      p.put("type", typeOf(dflt));
    }
    if (dflt != null) {
      p.put("default", dflt);
    }
    return p;
  }

  private static String typeOf(Object v) {
    if (v instanceof Boolean) return "boolean";
    if (v instanceof Integer || v instanceof Long) return "integer";
    if (v instanceof Number) return "number";
    if (v instanceof JsonArray) return "array";
    if (v instanceof JsonObject) return "object";
    return "string";
  }

  static JsonObject object() {
    return new JsonObject().put("type", "object");
  }

  static JsonObject closed() {
    return object().put("additionalProperties", false);
  }

  static JsonObject str(String description) {
    JsonObject s = new JsonObject().put("type", "string");
    return description == null ? s : s.put("description", description);
  }

  static JsonObject nullable(String type) {
    return new JsonObject().put("type", new JsonArray().add(type).add("null"));
  }
}
