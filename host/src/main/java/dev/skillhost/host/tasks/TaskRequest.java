package dev.skillhost.host.tasks;

import dev.skillhost.host.tasks.TaskRejected.Reason;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A client's request for a task, checked field by field so a mistake gets a message naming it.
 * Either names what to run ({@code provider} or {@code skill}, and {@code operation}) or says it
 * in words ({@code text}), which the host routes.
 *
 * @param provider  provider id, or null
 * @param operation operation name, or null when {@code text} is to be routed
 * @param skill     skill id, or null
 * @param text      the user's request in words, or null
 * @param locale    language tag, or null when the request did not say (the API then uses Accept-Language)
 * @param deadlineS seconds until the task fails as timed out, or null for none
 */
public record TaskRequest(String provider, String operation, String skill, String text, JsonObject params,
    List<InputRef> inputs, String locale, Integer deadlineS) {

  public static final String DEFAULT_LOCALE = "en";
  public static final int MAX_DEADLINE_S = 7 * 24 * 3600;
  private static final Set<String> FIELDS =
      Set.of("provider", "operation", "skill", "text", "params", "inputs", "locale", "deadline_s");
  private static final Set<String> ROLES = Set.of("image", "video", "audio", "mask", "reference");

  /**
   * One input: an uploaded file in a role.
   *
   * @param role image, video, audio, mask or reference
   * @param file upload id
   */
  public record InputRef(String role, String file) {}

  /** Reads and checks a request body. */
  public static TaskRequest parse(JsonObject body) {
    if (body == null) {
      throw invalid("send a JSON object: {\"provider\": …, \"operation\": …, \"params\": {…}}");
    }
    for (String key : body.fieldNames()) {
      if (!FIELDS.contains(key)) {
        throw invalid("unknown field '" + key + "'; a task takes " + String.join(", ", new java.util.TreeSet<>(FIELDS)));
      }
    }
    String provider = optionalString(body, "provider");
    String operation = optionalString(body, "operation");
    String skill = optionalString(body, "skill");
    String text = optionalString(body, "text");
    if (text == null) {
      if (operation == null) {
        throw invalid("'operation' is required (or say what you want in 'text' and the host will route it)");
      }
      if (provider == null && skill == null) {
        throw invalid("'provider' or 'skill' is required with 'operation' (or say what you want in 'text')");
      }
    }
    Object params = body.getValue("params");
    if (params != null && !(params instanceof JsonObject)) {
      throw invalid("'params' must be an object");
    }
    Object locale = body.getValue("locale");
    if (locale != null && !(locale instanceof String s && s.matches("[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*"))) {
      throw invalid("'locale' must be a language tag such as \"en\" or \"zh-CN\"");
    }
    Object deadline = body.getValue("deadline_s");
    if (deadline != null && !(deadline instanceof Integer || deadline instanceof Long)) {
      throw invalid("'deadline_s' must be a whole number of seconds");
    }
    Integer deadlineS = deadline == null ? null : ((Number) deadline).intValue();
    if (deadlineS != null && (deadlineS <= 0 || deadlineS > MAX_DEADLINE_S)) {
      throw invalid("'deadline_s' must be between 1 and " + MAX_DEADLINE_S);
    }
    return new TaskRequest(provider, operation, skill, text, params == null ? new JsonObject() : (JsonObject) params,
        inputs(body.getValue("inputs")), (String) locale, deadlineS);
  }

  private static List<InputRef> inputs(Object value) {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray array)) {
      throw invalid("'inputs' must be a list of {\"role\": …, \"file\": …}");
    }
    List<InputRef> inputs = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof JsonObject in)) {
        throw invalid("inputs[" + i + "] must be an object {\"role\": …, \"file\": …}");
      }
      String role = requiredString(in, "role", "inputs[" + i + "].role");
      if (!ROLES.contains(role)) {
        throw invalid("inputs[" + i + "].role '" + role + "' is not one of image, video, audio, mask, reference");
      }
      inputs.add(new InputRef(role, requiredString(in, "file", "inputs[" + i + "].file")));
    }
    return List.copyOf(inputs);
  }

  private static String optionalString(JsonObject json, String key) {
    return json.getValue(key) == null ? null : requiredString(json, key, "'" + key + "'");
  }

  /** The same request with its locale settled. */
  public TaskRequest withLocale(String next) {
    return new TaskRequest(provider, operation, skill, text, params, inputs, next, deadlineS);
  }

  private static String requiredString(JsonObject json, String key, String name) {
    Object v = json.getValue(key);
    if (v == null) {
      throw invalid(name + " is required");
    }
    if (!(v instanceof String s) || s.isBlank()) {
      throw invalid(name + " must be a non-empty string");
    }
    return s;
  }

  private static TaskRejected invalid(String detail) {
    return new TaskRejected(Reason.INVALID_REQUEST, detail);
  }

  /** A hash of the request that ignores key order, to tell an idempotent replay from a reused key. */
  public String hash() {
    JsonObject canonical = new JsonObject()
        .put("provider", provider).put("operation", operation).put("skill", skill).put("text", text)
        .put("params", params)
        .put("inputs", new JsonArray(inputs.stream().map(i -> new JsonObject().put("role", i.role()).put("file", i.file())).toList()))
        .put("locale", locale).put("deadline_s", deadlineS);
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(String.valueOf(sorted(canonical)).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Object sorted(Object value) {
    if (value instanceof JsonObject o) {
      Map<String, Object> m = new TreeMap<>();
      o.forEach(e -> m.put(e.getKey(), sorted(e.getValue())));
      return m;
    }
    if (value instanceof JsonArray a) {
      return a.stream().map(TaskRequest::sorted).toList();
    }
    return value;
  }
}
