package dev.skillhost.contract.mcp;

import static dev.skillhost.contract.mcp.McpJavaFixture.call;
import static dev.skillhost.contract.mcp.McpJavaFixture.structured;
import static dev.skillhost.contract.mcp.McpJavaFixture.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The host's MCP server driven by the official MCP Java SDK client (Streamable HTTP) against a
 * real host with the sim plugin: the handshake, the tool list, routing, tasks followed with
 * progress, outputs read as resources, cancel, tools/list_changed after a manifest edit and the
 * answers to bad input. The SDK client checks every structuredContent against the tool's
 * outputSchema, so each successful call here is also a schema check.
 */
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class McpJavaClientTest extends McpJavaTestBase {

  static final List<String> FIXED_TOOLS = List.of("route", "generate", "task_status", "task_wait", "confirm", "cancel",
      "list_tasks", "upload");


  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void initialize_negotiates_the_newest_protocol_and_announces_the_capabilities(VertxTestContext ctx) {
    McpSyncClient latest = f.open();
    McpSyncClient older = f.spec(f.host.key, "2025-06-18").build();
    try (older) {
      McpSchema.InitializeResult old = older.initialize();
      ctx.verify(() -> {
        McpSchema.InitializeResult init = latest.getCurrentInitializationResult();
        assertThat(init.protocolVersion()).isEqualTo(McpJavaFixture.LATEST);
        assertThat(init.serverInfo().name()).isNotBlank();
        assertThat(init.capabilities().tools().listChanged()).isTrue();
        assertThat(init.capabilities().resources().subscribe()).isTrue();
        assertThat(init.capabilities().resources().listChanged()).isTrue();
        assertThat(init.capabilities().logging()).isNotNull();
        assertThat(old.protocolVersion()).as("a client that knows only 2025-06-18 gets it").isEqualTo("2025-06-18");
      });
    }
    ctx.completeNow();
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void tools_list_has_the_fixed_tools_and_one_per_skill_operation_each_with_both_schemas(VertxTestContext ctx) {
    McpSyncClient c = f.open();
    Map<String, McpSchema.Tool> tools = c.listTools().tools().stream()
        .collect(Collectors.toMap(McpSchema.Tool::name, Function.identity()));
    ctx.verify(() -> {
      assertThat(tools).containsKeys(FIXED_TOOLS.toArray(String[]::new));
      assertThat(tools).containsKeys("sim_t2v", "sim_text2image", "sim_i2v");
      tools.values().forEach(t -> {
        assertThat(t.inputSchema()).as(t.name() + " inputSchema").containsEntry("type", "object");
        assertThat(t.outputSchema()).as(t.name() + " outputSchema").isNotNull().containsEntry("type", "object");
        assertThat(t.description()).as(t.name() + " description").isNotBlank();
      });
      JsonObject t2v = JsonObject.mapFrom(tools.get("sim_t2v").inputSchema());
      assertThat(t2v.getJsonObject("properties").fieldNames())
          .contains("prompt", "duration_ms", "params", "locale", "wait_s", "deadline_s", "idempotency_key");
      assertThat(t2v.getJsonObject("properties").getJsonObject("duration_ms").getNumber("maximum").longValue())
          .as("limits of the manifest").isEqualTo(3_600_000L);
      JsonObject i2v = JsonObject.mapFrom(tools.get("sim_i2v").inputSchema());
      assertThat(i2v.getJsonArray("required", new JsonArray()).getList()).as("the manifest requires an image").contains("image");
      JsonObject generate = JsonObject.mapFrom(tools.get("generate").inputSchema());
      assertThat(generate.getJsonArray("required").getList()).contains("text");
      assertThat(JsonObject.mapFrom(tools.get("route").inputSchema()).getJsonArray("required").getList()).contains("text");
    });
    ctx.completeNow();
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void route_answers_what_v1_route_answers_and_makes_no_task(VertxTestContext ctx) {
    McpSyncClient c = f.open();
    JsonObject words = new JsonObject().put("text", "make a short video of a cat").put("locale", "en");
    McpSchema.CallToolResult video = call(c, "route", words.getMap());
    McpSchema.CallToolResult model = call(c, "route", Map.of("text", "make me a 3d model of a chair", "locale", "en"));
    JsonObject rest = f.host.post("/v1/route", words).map(r -> r.bodyAsJsonObject()).await();
    JsonObject rest3d = f.host.post("/v1/route", new JsonObject().put("text", "make me a 3d model of a chair").put("locale", "en"))
        .map(r -> r.bodyAsJsonObject()).await();
    McpSchema.CallToolResult tasks = call(c, "list_tasks", Map.of());
    ctx.verify(() -> {
      JsonObject r = structured(video);
      assertThat(video.isError()).isNotEqualTo(Boolean.TRUE);
      assertThat(r.getString("kind")).as(r.encodePrettily()).isEqualTo("route");
      assertThat(r.getString("skill")).as("where POST /v1/route sends the same words").isEqualTo(rest.getString("skill"));
      assertThat(r.getString("operation")).isEqualTo("t2v").isEqualTo(rest.getString("operation"));
      assertThat(r.getString("provider")).isEqualTo(rest.getString("provider"));
      assertThat(r.getJsonObject("eta").getString("text")).isNotBlank();
      assertThat(text(video)).isNotBlank();
      JsonObject u = structured(model);
      assertThat(u.getString("kind")).as(u.encodePrettily()).isEqualTo(rest3d.getString("kind"));
      assertThat(u.getString("skill")).isEqualTo(rest3d.getString("skill"));
      assertThat(u.getString("message")).isEqualTo(rest3d.getString("message"));
      assertThat(structured(tasks).getJsonArray("tasks")).as("route makes no task").isEmpty();
    });
    ctx.completeNow();
  }

  @Test
  void generate_answers_at_once_with_a_task_id_and_the_skill_submitted_message(VertxTestContext ctx) {
    McpSyncClient c = f.open();
    long t0 = System.nanoTime();
    McpSchema.CallToolResult r = call(c, "generate", Map.of("text", "make a short video of a cat", "skill", "sim",
        "locale", "en", "params", Map.of("duration_ms", 600_000)));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    McpSchema.CallToolResult zh = call(c, "sim_t2v", Map.of("prompt", "小猫", "duration_ms", 600_000, "locale", "zh-CN"));
    McpSchema.CallToolResult listed = call(c, "list_tasks", Map.of("state", List.of("queued", "submitting", "running")));
    ctx.verify(() -> {
      JsonObject t = structured(r);
      assertThat(r.isError()).as(t.encodePrettily()).isNotEqualTo(Boolean.TRUE);
      assertThat(t.getString("task_id")).isNotBlank();
      assertThat(t.getString("state")).isIn("queued", "submitting", "running");
      assertThat(t.getString("skill")).isEqualTo("sim");
      assertThat(t.getString("operation")).isEqualTo("t2v");
      assertThat(t.getString("provider")).isEqualTo("sim");
      assertThat(t.getJsonArray("outputs")).isEmpty();
      assertThat(text(r)).startsWith("Submitted to the simulator. About ");
      assertThat(t.getString("message")).isEqualTo(text(r));
      assertThat(ms).as("answered without waiting for the task").isLessThan(5_000);
      JsonObject z = structured(zh);
      assertThat(z.getString("operation")).isEqualTo("t2v");
      assertThat(text(zh)).as("the caller's locale").startsWith("已提交到模拟器");
      List<String> ids = structured(listed).getJsonArray("tasks").stream()
          .map(o -> ((JsonObject) o).getString("task_id")).toList();
      assertThat(ids).containsExactlyInAnyOrder(t.getString("task_id"), z.getString("task_id"));
    });
    ctx.completeNow();
  }

  @Test
  void task_wait_sends_progress_and_the_output_reads_as_a_resource(VertxTestContext ctx) {
    List<McpSchema.ProgressNotification> progress = new CopyOnWriteArrayList<>();
    McpSyncClient c = f.open(s -> s.progressConsumer(progress::add));
    String id = structured(call(c, "sim_t2v", Map.of("prompt", "a cat", "duration_ms", 1_500))).getString("task_id");
    McpSchema.CallToolResult done = c.callTool(McpSchema.CallToolRequest.builder().name("task_wait")
        .arguments(Map.of("task_id", id, "timeout_s", 30)).progressToken("wait-1").build());
    JsonObject t = structured(done);
    JsonObject out = t.getJsonArray("outputs").getJsonObject(0);
    McpSchema.ReadResourceResult read = c.readResource(new McpSchema.ReadResourceRequest(out.getString("uri")));
    McpSchema.ReadResourceResult task = c.readResource(new McpSchema.ReadResourceRequest("skillhost://tasks/" + id));
    ctx.verify(() -> {
      assertThat(t.getString("state")).as(t.encodePrettily()).isEqualTo("succeeded");
      assertThat(t.getDouble("progress")).isEqualTo(1.0);
      assertThat(progress).as("notifications/progress for the token").isNotEmpty();
      assertThat(progress).allSatisfy(p -> {
        assertThat(p.progressToken()).isEqualTo("wait-1");
        assertThat(p.progress()).isBetween(0.0, 1.0);
        assertThat(p.total()).isEqualTo(1.0);
        assertThat(p.message()).isNotBlank();
      });
      List<Double> values = progress.stream().map(McpSchema.ProgressNotification::progress).toList();
      assertThat(values).as("progress only grows").isSorted();
      assertThat(out.getString("uri")).isEqualTo("skillhost://tasks/" + id + "/outputs/0");
      assertThat(out.getString("url")).startsWith("http://127.0.0.1:");
      assertThat(done.content()).anySatisfy(item -> assertThat(item).isInstanceOfSatisfying(McpSchema.ResourceLink.class,
          link -> assertThat(link.uri()).isEqualTo(out.getString("uri"))));
      assertThat(read.contents()).hasSize(1);
      McpSchema.BlobResourceContents blob = (McpSchema.BlobResourceContents) read.contents().get(0);
      assertThat(blob.uri()).isEqualTo(out.getString("uri"));
      assertThat(blob.mimeType()).isEqualTo(out.getString("mime"));
      assertThat(Base64.getDecoder().decode(blob.blob())).isNotEmpty();
      McpSchema.TextResourceContents json = (McpSchema.TextResourceContents) task.contents().get(0);
      assertThat(new JsonObject(json.text()).getString("state")).isEqualTo("succeeded");
      assertThat(out.getLong("size")).as("outputs[].size: " + out.encodePrettily())
          .isEqualTo(Base64.getDecoder().decode(blob.blob()).length);
    });
    ctx.completeNow();
  }

  @Test
  void upload_then_an_operation_tool_with_the_file_runs_and_private_urls_are_refused(VertxTestContext ctx) throws Exception {
    McpSyncClient c = f.open();
    String png = Base64.getEncoder().encodeToString(Files.readAllBytes(Path.of("..", "samples", "photo.png")));
    JsonObject file = structured(call(c, "upload", Map.of("data", png, "mime", "image/png", "name", "photo.png")));
    McpSchema.CallToolResult i2v = call(c, "sim_i2v", Map.of("image", file.getString("file"), "duration_ms", 200, "wait_s", 20));
    McpSchema.CallToolResult noImage = call(c, "sim_i2v", Map.of("duration_ms", 200));
    McpSchema.CallToolResult ssrf = call(c, "upload", Map.of("url", f.baseUrl() + "/v1/providers"));
    ctx.verify(() -> {
      assertThat(file.getString("mime")).isEqualTo("image/png");
      assertThat(file.getLong("size")).isEqualTo(Files.size(Path.of("..", "samples", "photo.png")));
      JsonObject t = structured(i2v);
      assertThat(t.getString("state")).as(t.encodePrettily()).isEqualTo("succeeded");
      assertThat(t.getJsonArray("outputs")).isNotEmpty();
      assertThat(noImage.isError()).as("the manifest requires an image").isTrue();
      assertThat(text(noImage)).contains("image");
      assertThat(ssrf.isError()).as("a loopback URL is refused").isTrue();
    });
    ctx.completeNow();
  }

  @Test
  void cancel_ends_a_running_task(VertxTestContext ctx) {
    McpSyncClient c = f.open();
    String id = structured(call(c, "sim_t2v", Map.of("prompt", "a long one", "duration_ms", 3_600_000))).getString("task_id");
    JsonObject cancelled = structured(call(c, "cancel", Map.of("task_id", id)));
    JsonObject waited = structured(call(c, "task_wait", Map.of("task_id", id, "timeout_s", 20)));
    JsonObject again = structured(call(c, "task_status", Map.of("task_id", id)));
    ctx.verify(() -> {
      assertThat(cancelled.getString("task_id")).isEqualTo(id);
      assertThat(cancelled.getString("state")).as(cancelled.encodePrettily()).isIn("cancelled", "running", "queued", "submitting");
      assertThat(waited.getString("state")).isEqualTo("cancelled");
      assertThat(again.getString("state")).isEqualTo("cancelled");
    });
    ctx.completeNow();
  }

  @Test
  void a_manifest_edit_sends_tools_list_changed_and_the_new_list_shows_it(VertxTestContext ctx) throws Exception {
    CompletableFuture<List<McpSchema.Tool>> changed = new CompletableFuture<>();
    McpSyncClient c = f.open(s -> s.toolsChangeConsumer(changed::complete));
    // the SDK opens its GET stream right after initialize; a first call makes sure it had the time
    assertThat(c.listTools().tools()).isNotEmpty();
    Thread.sleep(500);
    Path sim = f.skills.resolve("sim.yaml");
    String yaml = Files.readString(sim);
    // t2v's limits: the line before its per-model limits
    String edited = yaml.replaceFirst("limits: \\{duration_ms: \\{min: 0, max: 3600000}}\n    # sim-short",
        "limits: {duration_ms: {min: 0, max: 60000}}\n    # sim-short");
    assertThat(edited).isNotEqualTo(yaml);
    Files.writeString(sim, edited);
    List<McpSchema.Tool> pushed = changed.get(20, TimeUnit.SECONDS);
    List<McpSchema.Tool> listed = c.listTools().tools();
    ctx.verify(() -> {
      for (List<McpSchema.Tool> tools : List.of(pushed, listed)) {
        McpSchema.Tool t2v = tools.stream().filter(t -> t.name().equals("sim_t2v")).findFirst().orElseThrow();
        assertThat(JsonObject.mapFrom(t2v.inputSchema()).getJsonObject("properties").getJsonObject("duration_ms")
            .getNumber("maximum").longValue()).isEqualTo(60_000L);
      }
    });
    ctx.completeNow();
  }

  @Test
  void bad_input_answers_errors_that_name_what_was_wrong(VertxTestContext ctx) {
    McpSyncClient c = f.open();
    String other = f.host.submit("t2v", new JsonObject().put("duration_ms", 3_600_000)).await();
    McpSchema.CallToolResult wrongType = call(c, "sim_t2v", Map.of("prompt", "x", "duration_ms", "soon"));
    McpSchema.CallToolResult notText = call(c, "generate", Map.of("text", 42));
    McpSchema.CallToolResult noText = call(c, "generate", Map.of());
    McpSchema.CallToolResult badTimeout = call(c, "task_wait", Map.of("task_id", other, "timeout_s", 1_000));
    McpSchema.CallToolResult unknown = call(c, "task_status", Map.of("task_id", "no-such-task"));
    ctx.verify(() -> {
      assertThatThrownBy(() -> call(c, "no_such_tool", Map.of()))
          .isInstanceOfSatisfying(McpError.class, e -> assertThat(e.getJsonRpcError().code()).isEqualTo(-32602));
      assertThat(wrongType.isError()).isTrue();
      assertThat(text(wrongType)).contains("duration_ms");
      assertThat(notText.isError()).isTrue();
      assertThat(text(notText)).contains("text");
      assertThat(noText.isError()).isTrue();
      assertThat(text(noText)).contains("text");
      assertThat(badTimeout.isError()).isTrue();
      assertThat(text(badTimeout)).contains("timeout_s");
      assertThat(unknown.isError()).isTrue();
      assertThat(text(unknown)).isNotBlank();
    });
    ctx.completeNow();
  }

  @Test
  void another_keys_task_is_not_seen_nor_touched(VertxTestContext ctx) {
    McpSyncClient mine = f.open();
    String theirs = f.host.request(io.vertx.core.http.HttpMethod.POST, "/v1/tasks", f.host.otherKey)
        .sendJsonObject(new JsonObject().put("provider", "sim").put("operation", "t2v")
            .put("params", new JsonObject().put("duration_ms", 3_600_000)))
        .map(r -> r.bodyAsJsonObject().getString("id")).await();
    McpSchema.CallToolResult status = call(mine, "task_status", Map.of("task_id", theirs));
    McpSchema.CallToolResult cancel = call(mine, "cancel", Map.of("task_id", theirs));
    McpSchema.CallToolResult listed = call(mine, "list_tasks", Map.of());
    JsonObject after = f.host.request(io.vertx.core.http.HttpMethod.GET, "/v1/tasks/" + theirs, f.host.otherKey).send()
        .map(r -> r.bodyAsJsonObject()).await();
    ctx.verify(() -> {
      assertThat(status.isError()).isTrue();
      assertThat(text(status)).isNotBlank();
      assertThat(cancel.isError()).isTrue();
      assertThat(structured(listed).getJsonArray("tasks")).isEmpty();
      assertThat(after.getString("state")).as("their task goes on").isNotEqualTo("cancelled");
      assertThatThrownBy(() -> mine.readResource(new McpSchema.ReadResourceRequest("skillhost://tasks/" + theirs)))
          .isInstanceOf(McpError.class);
    });
    ctx.completeNow();
  }
}
