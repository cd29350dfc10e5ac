package dev.skillhost.lovart;

import dev.skillhost.api.Job;
import dev.skillhost.api.ProviderException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/**
 * A task's parameters as the body of {@code POST /chat}: {@code prompt}, {@code project_id},
 * {@code thread_id} (to continue a conversation), {@code attachments} (URLs), {@code mode}
 * ({@code fast} or {@code thinking}, locked to a thread by its first message) and
 * {@code tool_config} ({@code prefer_models} → {@code prefer_tool_categories}, {@code include_tools},
 * {@code exclude_tools}). Lovart has no size, ratio or duration fields: those stay in the prompt.
 */
final class LovartChat {

  static final Set<String> MODES = Set.of("fast", "thinking");
  static final Set<String> ACCOUNT_MODES = Set.of("fast", "unlimited");

  private LovartChat() {}

  /** Checks what can be checked before sending; a bad parameter spends nothing. */
  static void check(Job job) {
    JsonObject p = job.params();
    if (p.getValue("prompt") == null || p.getValue("prompt").toString().isBlank()) {
      throw ProviderException.rejected("invalid_params", "prompt is required: say what Lovart should make");
    }
    String mode = string(p, "mode");
    if (mode != null && !MODES.contains(mode)) {
      throw ProviderException.rejected("invalid_params", "mode must be fast or thinking, not " + mode);
    }
    String account = string(p, "account_mode");
    if (account != null && !ACCOUNT_MODES.contains(account)) {
      throw ProviderException.rejected("invalid_params", "account_mode must be fast or unlimited, not " + account);
    }
    preferModels(p);
    tools(p, "include_tools");
    tools(p, "exclude_tools");
  }

  static String threadId(Job job) {
    return string(job.params(), "thread_id");
  }

  static JsonObject body(Job job, String projectId, List<String> uploaded) {
    JsonObject p = job.params();
    JsonObject body = new JsonObject().put("prompt", p.getValue("prompt").toString()).put("project_id", projectId);
    JsonArray attachments = new JsonArray();
    uploaded.forEach(attachments::add);
    Object given = p.getValue("attachments");
    if (given instanceof JsonArray a) {
      a.forEach(u -> attachments.add(String.valueOf(u)));
    } else if (given instanceof String s && !s.isBlank()) {
      for (String u : s.split(",")) attachments.add(u.strip());
    }
    if (!attachments.isEmpty()) body.put("attachments", attachments);
    String thread = threadId(job);
    if (thread != null) body.put("thread_id", thread);
    String mode = string(p, "mode");
    if (mode != null) body.put("mode", mode);
    JsonObject tc = new JsonObject();
    JsonObject prefer = preferModels(p);
    if (prefer != null && !prefer.isEmpty()) tc.put("prefer_tool_categories", prefer);
    JsonArray include = tools(p, "include_tools");
    if (include != null && !include.isEmpty()) tc.put("include_tools", include);
    JsonArray exclude = tools(p, "exclude_tools");
    if (exclude != null && !exclude.isEmpty()) tc.put("exclude_tools", exclude);
    if (!tc.isEmpty()) body.put("tool_config", tc);
    return body;
  }

  /** {@code {"IMAGE": ["generate_image_midjourney"]}}, as JSON or as the CLI's JSON text. */
  static JsonObject preferModels(JsonObject p) {
    Object v = p.getValue("prefer_models");
    try {
      if (v == null) return null;
      if (v instanceof JsonObject o) return o;
      if (v instanceof String s && !s.isBlank()) return new JsonObject(s);
    } catch (DecodeException e) {
      // answered below
    }
    throw ProviderException.rejected("invalid_params",
        "prefer_models must map a category to tool names, e.g. {\"IMAGE\": [\"generate_image_midjourney\"]}");
  }

  static JsonArray tools(JsonObject p, String name) {
    Object v = p.getValue(name);
    if (v == null) return null;
    if (v instanceof JsonArray a) return a;
    if (v instanceof String s) {
      JsonArray a = new JsonArray();
      for (String t : s.split(",")) if (!t.isBlank()) a.add(t.strip());
      return a;
    }
    throw ProviderException.rejected("invalid_params", name + " must be a list of tool names");
  }

  static String string(JsonObject p, String name) {
    Object v = p.getValue(name);
    return v == null || v.toString().isBlank() ? null : v.toString();
  }
}
