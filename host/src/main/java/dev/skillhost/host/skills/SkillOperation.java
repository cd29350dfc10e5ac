package dev.skillhost.host.skills;

import dev.skillhost.api.Estimate;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One operation a skill exposes.
 *
 * @param name        the provider's operation name
 * @param description one line for people
 * @param inputs      input role → whether it is required ({@code image: required})
 * @param defaults    parameters applied when the request does not set them
 * @param limits      per parameter: {@code {"enum":[…]}} or {@code {"min":…, "max":…}}
 * @param eta         how long it usually takes, in seconds, by model
 * @param confirm     CEL over {@code estimate}, {@code params}, {@code operation}: true → the task
 *                    waits for {@code POST /v1/tasks/{id}/confirm} before anything is spent; or null
 * @param models      per model (the {@code model} parameter): limits that hold for that model on
 *                    top of {@code limits}, as in the manifest, {@code {"<model>": {"limits": {…}}}}
 * @param intent      what the router needs of it: the intent it serves, its title, its words
 */
public record SkillOperation(
    String name, String description, Map<String, Boolean> inputs, JsonObject defaults, JsonObject limits,
    Eta eta, Condition confirm, JsonObject models, Intent intent) {

  /** The parameter that names the model a task runs on, which {@code models:} is keyed by. */
  public static final String MODEL = "model";

  public SkillOperation {
    inputs = Map.copyOf(inputs);
    defaults = defaults == null ? new JsonObject() : defaults.copy();
    limits = limits == null ? new JsonObject() : limits.copy();
    models = models == null ? new JsonObject() : models.copy();
    intent = intent == null ? Intent.of(name) : intent;
  }

  /** An operation without per-model limits or routing words. */
  public SkillOperation(String name, String description, Map<String, Boolean> inputs, JsonObject defaults,
      JsonObject limits, Eta eta, Condition confirm) {
    this(name, description, inputs, defaults, limits, eta, confirm, null, null);
  }

  /**
   * A parameter outside its limits.
   *
   * @param param   the parameter
   * @param model   the model whose limits it breaks, or null for the operation's own
   * @param allowed the limit broken ({@code {enum}} or {@code {min, max}})
   * @param value   the value given
   * @param message what is wrong and what is allowed, naming the operation (and model)
   */
  public record Violation(String param, String model, JsonObject allowed, Object value, String message) {}

  /** The limits {@code model} adds to the operation's (empty when it adds none). */
  public JsonObject limitsFor(String model) {
    return model != null && models.getValue(model) instanceof JsonObject m && m.getValue("limits") instanceof JsonObject l
        ? l : new JsonObject();
  }

  /**
   * The first parameter of {@code params} outside the operation's limits or, after those, outside
   * the limits of the model {@code params} names; null when every limit holds.
   */
  public Violation violation(JsonObject params) {
    Violation v = violation(params, limits, null);
    if (v == null && params.getValue(MODEL) instanceof String model) {
      v = violation(params, limitsFor(model), model);
    }
    return v;
  }

  private Violation violation(JsonObject params, JsonObject byParam, String model) {
    for (String param : byParam.fieldNames()) {
      Object value = params.getValue(param);
      if (value == null || !(byParam.getValue(param) instanceof JsonObject limit)) {
        continue;
      }
      String broken = Limits.broken(limit, value);
      if (broken != null) {
        return new Violation(param, model, limit, value, "'" + param + "' " + broken + " for " + name
            + (model == null ? "" : " with model " + model) + ", not " + Limits.quote(value));
      }
    }
    return null;
  }

  /**
   * How the router sees an operation.
   *
   * @param names the jobs it does, named alike across skills ({@code image_to_video}); the
   *              operation's name when the manifest does not say. Two skills' operations sharing a
   *              name are the same job done by different backends; a general operation (an agent
   *              that makes video from words or pictures) names several.
   * @param title a few words per locale for a question to the user ("animate the photo"), or null
   * @param words which parameters are read from the request's words, and how ({@link WordParams})
   */
  public record Intent(List<String> names, Localized title, JsonObject words) {
    public Intent {
      names = List.copyOf(names);
      words = words == null ? new JsonObject() : words.copy();
    }

    static Intent of(String name) {
      return new Intent(List.of(name), null, null);
    }

    /** Whether the two do a same job. */
    public boolean overlaps(Intent other) {
      return names.stream().anyMatch(other.names::contains);
    }
  }

  /** The defaults with {@code params} over them; a key {@code params} sets replaces its default whole. */
  public JsonObject withDefaults(JsonObject params) {
    JsonObject merged = defaults.copy();
    return params == null ? merged : merged.mergeIn(params.copy());
  }

  /**
   * Whether a job must wait for confirmation: the {@code confirm} condition over {@code operation},
   * {@code params} and {@code estimate} ({@code credits}, {@code unit}; an unknown one is left out,
   * so {@code has(estimate.credits)} tells). False when the operation has no confirm condition.
   */
  public boolean needsConfirmation(JsonObject params, Estimate estimate) {
    if (confirm == null) {
      return false;
    }
    Map<String, Object> cost = new HashMap<>();
    if (estimate != null && estimate.credits() != null) cost.put("credits", estimate.credits());
    if (estimate != null && estimate.unit() != null) cost.put("unit", estimate.unit());
    Map<String, Object> vars = new HashMap<>();
    vars.put("operation", name);
    vars.put("params", CelValues.of(params == null ? new JsonObject() : params));
    vars.put("estimate", cost);
    return confirm.test(vars);
  }

  /**
   * Expected time to a result, in seconds.
   *
   * @param low    usual lower bound
   * @param high   usual upper bound
   * @param models per-model overrides, each {@code [low, high]}
   */
  public record Eta(int low, int high, Map<String, int[]> models) {
    public Eta {
      models = Map.copyOf(models);
    }

    /** The range for {@code model}, or the default. */
    public int[] forModel(String model) {
      int[] m = model == null ? null : models.get(model);
      return m != null ? m : new int[] {low, high};
    }
  }
}
