package dev.skillhost.host.mcp;

import static dev.skillhost.host.mcp.ToolSchemas.closed;
import static dev.skillhost.host.mcp.ToolSchemas.str;

import dev.skillhost.host.plugins.PluginHost;
import dev.skillhost.host.skills.Skill;
import dev.skillhost.host.skills.SkillOperation;
import dev.skillhost.host.skills.SkillRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tools, generated from the live manifests and plugins: the host's own (route, generate,
 * task_status, task_wait, confirm, cancel, list_tasks, upload) and one per operation of every
 * skill whose provider is loaded ({@code <skill>_<operation>}). {@link #refresh()} rebuilds the
 * list when a manifest or plugin changed and says whether the tools differ.
 */
final class ToolCatalog {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ToolCatalog.class);

  /**
   * One tool.
   *
   * @param skill     the skill an operation tool runs, else null
   * @param operation its operation, else null
   */
  record Tool(String name, JsonObject definition, Arguments arguments, Skill skill, String operation) {
    boolean runsAsTask() {
      return "optional".equals(definition.getJsonObject("execution", new JsonObject()).getString("taskSupport"));
    }
  }

  private final Vertx vertx;
  private final SkillRegistry skills;
  private final PluginHost plugins;
  private Object seenSkills;
  private Object seenPlugins;
  private Future<Boolean> building;
  private Map<String, Tool> tools = Map.of();
  private JsonArray listed = new JsonArray();

  ToolCatalog(Vertx vertx, SkillRegistry skills, PluginHost plugins) {
    this.vertx = vertx;
    this.skills = skills;
    this.plugins = plugins;
  }

  Optional<Skill> skill(String id) {
    return skills.skill(id);
  }

  Optional<Tool> tool(String name) {
    return Optional.ofNullable(tools.get(name));
  }

  /** The tool definitions, as tools/list answers them. */
  JsonArray definitions() {
    return listed;
  }

  /**
   * Rebuilds the tools if a manifest or plugin was swapped since the last look (the registries
   * replace their snapshot lists on every change, so an identity check on the event loop is
   * enough to skip the work; the build, which compiles every input schema, runs on a worker).
   * Completes with true when the tool list now differs. Call on the API verticle's event loop.
   */
  Future<Boolean> refresh() {
    if (building != null) {
      return building;
    }
    Object s = skills.statuses();
    Object p = plugins.statuses();
    if (s == seenSkills && p == seenPlugins) {
      return Future.succeededFuture(false);
    }
    building = vertx.executeBlocking(this::build, false).map(next -> {
      seenSkills = s;
      seenPlugins = p;
      JsonArray defs = new JsonArray(next.values().stream().map(Tool::definition).toList());
      if (defs.equals(listed)) {
        return false;
      }
      tools = next;
      listed = defs;
      return true;
    }).eventually(() -> {
      building = null;
      return Future.succeededFuture();
    });
    return building;
  }

  private Map<String, Tool> build() {
    Map<String, Tool> out = new LinkedHashMap<>();
    for (JsonObject def : fixed()) {
      add(out, def, null, null);
    }
    List<Skill> live = new ArrayList<>(skills.skills());
    live.sort(Comparator.comparing(Skill::id));
    for (Skill skill : live) {
      if (plugins.provider(skill.provider()).isEmpty()) {
        continue;
      }
      for (SkillOperation op : skill.operations().values().stream().sorted(Comparator.comparing(SkillOperation::name)).toList()) {
        String name = (skill.id() + "_" + op.name()).replaceAll("[^A-Za-z0-9_-]", "_");
        String what = op.description() == null || op.description().isBlank() ? op.name() : op.description();
        JsonObject def = new JsonObject()
            .put("name", name)
            .put("title", skill.id() + " · " + op.name())
            .put("description", what + " (skill " + skill.id() + ", provider " + skill.provider() + "). "
                + "Answers at once with the task id and what to tell the user; follow it with task_wait, or call "
                + "it as a task." + (op.confirm() == null ? "" : " May ask to confirm the cost before spending."))
            .put("inputSchema", ToolSchemas.operation(op))
            .put("outputSchema", ToolSchemas.task())
            .put("execution", new JsonObject().put("taskSupport", "optional"))
            .put("annotations", new JsonObject().put("readOnlyHint", false).put("destructiveHint", false)
                .put("idempotentHint", false).put("openWorldHint", true));
        add(out, def, skill, op.name());
      }
    }
    return out;
  }

  private static void add(Map<String, Tool> out, JsonObject def, Skill skill, String op) {
    String name = def.getString("name");
    if (out.containsKey(name)) {
      return;
    }
    try {
      out.put(name, new Tool(name, def, new Arguments(def.getJsonObject("inputSchema")), skill, op));
    } catch (RuntimeException e) {
      // a manifest's limits that make no schema leave that one tool out, not the whole list
      LOG.warn("tool {} left out: its input schema does not compile: {}", name, e.toString());
    }
  }

  private static List<JsonObject> fixed() {
    JsonObject attachments = new JsonObject().put("type", "array").put("maxItems", 32)
        .put("items", new JsonObject().put("type", "string"))
        .put("description", "what the user attached: upload ids from the upload tool, or just their kinds (image, video, audio)");
    JsonObject route = closed().put("properties", new JsonObject()
            .put("text", str("the user's request, in their words and language").put("minLength", 1).put("maxLength", 4000))
            .put("attachments", attachments)
            .put("locale", str("the user's language, e.g. en or zh-CN")))
        .put("required", new JsonArray().add("text"));
    JsonObject genProps = new JsonObject()
        .put("text", str("the user's request, in their words and language").put("minLength", 1).put("maxLength", 4000))
        .put("attachments", new JsonObject().put("type", "array").put("maxItems", 32)
            .put("items", new JsonObject().put("anyOf", new JsonArray()
                .add(str("an upload id"))
                .add(closed().put("properties", new JsonObject().put("role", new JsonObject().put("enum",
                        new JsonArray().add("image").add("video").add("audio").add("mask").add("reference")))
                    .put("file", str("an upload id"))).put("required", new JsonArray().add("file")))))
            .put("description", "the user's files: upload ids from the upload tool (their role is told from their type)"))
        .put("skill", str("run on this skill instead of the one routing picks"))
        .put("params", new JsonObject().put("type", "object").put("description", "parameters over the route's"));
    ToolSchemas.submitting(genProps);
    JsonObject generate = closed().put("properties", genProps).put("required", new JsonArray().add("text"));
    JsonObject wait = closed().put("properties", new JsonObject()
            .put("task_id", str("the task to wait for"))
            .put("timeout_s", new JsonObject().put("type", "integer").put("minimum", 1).put("maximum", Tools.MAX_TASK_WAIT_S)
                .put("default", Tools.DEFAULT_TASK_WAIT_S)))
        .put("required", new JsonArray().add("task_id"));
    JsonObject list = closed().put("properties", new JsonObject()
        .put("state", new JsonObject().put("type", "array").put("items", new JsonObject().put("enum", ToolSchemas.STATES)))
        .put("provider", str(null))
        .put("limit", new JsonObject().put("type", "integer").put("minimum", 1).put("maximum", 100).put("default", 20))
        .put("cursor", str("the next value of the previous page")));
    JsonObject upload = closed().put("properties", new JsonObject()
        .put("url", str("an https URL to fetch (public addresses only)"))
        .put("data", str("the file's bytes, base64").put("contentEncoding", "base64"))
        .put("mime", str("its type, if known; the host sniffs it from the bytes"))
        .put("name", str("a file name, for people")))
        .put("oneOf", new JsonArray().add(new JsonObject().put("required", new JsonArray().add("url")))
            .add(new JsonObject().put("required", new JsonArray().add("data"))));
    return List.of(
        tool("route", "Where a request in words would go, without making anything: skill, operation, parameters, ETA, "
            + "cost estimate, whether it needs confirmation or a sign-in, and the candidates that lost.", route,
            ToolSchemas.route(), true, false),
        tool("generate", "Make an image or video from the user's words and files: routes the request to the best skill and "
            + "starts a task. Answers at once with the task id, the ETA and what to tell the user; then task_wait (or "
            + "call it as a task). If the cost must be confirmed, asks the user (elicitation) or answers "
            + "awaiting_confirmation: then call confirm.", generate, ToolSchemas.task(), false, true),
        tool("task_status", "A task as it stands now: state, progress, outputs, what to tell the user.",
            ToolSchemas.taskIdOnly("the task"), ToolSchemas.task(), true, false),
        tool("task_wait", "Wait (up to timeout_s) for a task to finish, with progress notifications; answers the task, "
            + "finished or not.", wait, ToolSchemas.task(), true, false),
        tool("confirm", "The user agrees to the cost of a task awaiting confirmation: it goes on and spends.",
            ToolSchemas.taskIdOnly("the task awaiting confirmation"), ToolSchemas.task(), false, false),
        tool("cancel", "Cancel a task that has not finished.", ToolSchemas.taskIdOnly("the task"), ToolSchemas.task(),
            false, false),
        tool("list_tasks", "The caller's tasks, newest first.", list, ToolSchemas.taskList(), true, false),
        tool("upload", "Store a file to use as an input: fetch it from a URL or take its bytes (base64). Answers its "
            + "upload id.", upload, ToolSchemas.upload(), false, false));
  }

  private static JsonObject tool(String name, String description, JsonObject input, JsonObject output,
      boolean readOnly, boolean asTask) {
    JsonObject def = new JsonObject().put("name", name).put("description", description)
        .put("inputSchema", input).put("outputSchema", output)
        .put("annotations", new JsonObject().put("readOnlyHint", readOnly).put("openWorldHint", !readOnly));
    if (asTask) {
      def.put("execution", new JsonObject().put("taskSupport", "optional"));
    }
    return def;
  }
}
