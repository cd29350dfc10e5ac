package dev.skillhost.contract.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.host.testing.TestHost;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host's MCP server (/mcp) as an MCP client sees it: the official TypeScript SDK
 * ({@code @modelcontextprotocol/sdk}, pinned in src/test/node/mcp/package-lock.json) run by node
 * against a real host with the sim and local plugin jars. Each test runs one scenario of
 * scenario.mjs and asserts on the observations it prints.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class McpTypeScriptClientTest {

  static final Duration SCENARIO_TIMEOUT = Duration.ofSeconds(45);
  static final Path PHOTO = Path.of("..", "samples", "photo.png");

  @TempDir
  Path dir;
  TestHost host;

  @BeforeAll
  static void installSdk() throws Exception {
    NodeScenario.install();
  }

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    TestHost.start(vertx, dir.resolve("host"), Map.of(), List.of("local"))
        .onComplete(ctx.succeeding(h -> {
          host = h;
          ctx.completeNow();
        }));
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    (host == null ? Future.<Void>succeededFuture() : host.close()).onComplete(ctx.succeedingThenComplete());
  }

  private Future<NodeScenario> scenario(Vertx vertx, String name, Map<String, String> extra) {
    Map<String, String> env = NodeScenario.env(host);
    env.putAll(extra);
    return vertx.executeBlocking(() -> NodeScenario.run(name, env, SCENARIO_TIMEOUT));
  }

  @Test
  void routes_generates_and_waits_with_progress_then_reads_the_output_resource(Vertx vertx, VertxTestContext ctx) {
    scenario(vertx, "basic", Map.of()).onComplete(ctx.succeeding(s -> ctx.verify(() -> {
      s.succeeded();
      JsonObject init = s.obs("initialize");
      assertThat(init.getString("protocol_version")).isEqualTo("2025-11-25");
      assertThat(init.getBoolean("session")).as("Mcp-Session-Id assigned").isTrue();
      JsonObject caps = init.getJsonObject("capabilities");
      assertThat(caps.getJsonObject("tools").getBoolean("listChanged")).isTrue();
      assertThat(caps.getJsonObject("resources").getBoolean("subscribe")).isTrue();
      assertThat(caps.getJsonObject("tasks").getJsonObject("requests").getJsonObject("tools").getJsonObject("call")).isNotNull();

      JsonObject tools = s.obs("tools");
      assertThat(tools.getJsonArray("names").getList()).contains("route", "generate", "task_status", "task_wait", "confirm",
          "cancel", "list_tasks", "upload", "sim_t2v", "sim_text2image", "sim_i2v", "local_i2v");
      assertThat(tools.getJsonObject("task_support").getString("generate")).isEqualTo("optional");
      assertThat(tools.getJsonObject("task_support").getString("sim_t2v")).isEqualTo("optional");
      assertThat(tools.getJsonArray("output_schema").getList()).contains("route", "generate", "task_wait", "upload", "sim_t2v");
      assertThat(tools.getJsonObject("sim_t2v").getJsonObject("properties").fieldNames()).contains("prompt", "duration_ms", "params");

      JsonObject route = s.obs("route");
      assertThat(route.getString("kind")).isEqualTo("route");
      assertThat(route.getString("operation")).isEqualTo("t2v");

      JsonObject created = s.obs("generate");
      String id = created.getString("task_id");
      assertThat(id).startsWith("t_");
      assertThat(created.getString("state")).isIn("queued", "submitting", "running");
      assertThat(created.getString("skill")).isEqualTo("sim");

      JsonArray progress = s.obs("progress").getJsonArray("notifications");
      assertThat(progress).isNotEmpty(); // increasing: checked by the scenario
      for (Object p : progress) {
        JsonObject n = (JsonObject) p;
        assertThat(n.getDouble("progress")).isBetween(0.0, 1.0);
        assertThat(n.getDouble("total")).isEqualTo(1.0);
      }
      JsonObject done = s.obs("wait");
      assertThat(done.getString("state")).isEqualTo("succeeded");
      JsonObject output = done.getJsonArray("outputs").getJsonObject(0);
      assertThat(output.getString("uri")).matches("skillhost://tasks/" + id + "/outputs/\\d+");
      assertThat(output.getString("mime")).isEqualTo("image/gif");
      assertThat(output.getString("url")).startsWith("http://");

      JsonObject resource = s.obs("resource");
      assertThat(resource.getString("mime")).isEqualTo("image/gif");
      assertThat(resource.getString("magic")).isEqualTo("GIF89a");
      assertThat(resource.getLong("size")).isEqualTo(output.getLong("size"));
      assertThat(s.obs("task_resource").getString("state")).isEqualTo("succeeded");
      assertThat(s.obs("templates").getJsonArray("uris")).hasSizeGreaterThanOrEqualTo(2);
      assertThat(s.obs("list_tasks").getJsonArray("ids").getList()).contains(id);
      assertThat(s.obs("resource_updates").getJsonArray("uris").getList()).contains("skillhost://tasks/" + id);
      assertThat(s.obs("client_errors").getJsonArray("errors")).isEmpty();
      ctx.completeNow();
    })));
  }

  @Test
  void uploads_a_png_as_base64_and_animates_it_into_a_real_mp4(Vertx vertx, VertxTestContext ctx) {
    Path mp4 = dir.resolve("out.mp4");
    scenario(vertx, "upload_i2v", Map.of("SKILLHOST_PHOTO", PHOTO.toAbsolutePath().toString(), "SKILLHOST_OUT", mp4.toString()))
        .onComplete(ctx.succeeding(s -> ctx.verify(() -> {
          s.succeeded();
          JsonObject up = s.obs("upload");
          assertThat(up.getString("mime")).isEqualTo("image/png");
          assertThat(up.getLong("size")).isEqualTo(up.getLong("expected_size"));
          JsonObject made = s.obs("local_i2v");
          assertThat(made.getString("skill")).isEqualTo("local");
          assertThat(made.getString("operation")).isEqualTo("i2v");
          JsonObject done = s.obs("wait");
          assertThat(done.getString("state")).isEqualTo("succeeded");
          assertThat(done.getJsonArray("outputs").getJsonObject(0).getString("mime")).isEqualTo("video/mp4");
          JsonObject resource = s.obs("resource");
          assertThat(resource.getString("mime")).isEqualTo("video/mp4");
          assertThat(resource.getString("box")).isEqualTo("ftyp");
          assertThat(resource.getInteger("link_status")).as("signed link").isEqualTo(200);
          assertThat(resource.getBoolean("link_same_bytes")).as("signed link serves the resource's bytes").isTrue();
          JsonObject stream = ffprobe(mp4);
          assertThat(stream.getString("codec_name")).isEqualTo("h264");
          assertThat(stream.getInteger("width")).isPositive();
          assertThat(Double.parseDouble(stream.getString("duration"))).isCloseTo(1.0, Offset.offset(0.1));
          JsonObject described = done.getJsonArray("outputs").getJsonObject(0);
          assertThat(described.getInteger("width")).as("output width as ffprobe reads it").isEqualTo(stream.getInteger("width"));
          assertThat(described.getInteger("height")).isEqualTo(stream.getInteger("height"));
          assertThat(described.getDouble("duration_s")).isCloseTo(1.0, Offset.offset(0.1));
          assertThat(described.getLong("size")).isEqualTo(resource.getLong("size"));

          JsonObject worded = s.obs("generate_attachment");
          assertThat(worded.getString("state")).isEqualTo("succeeded");
          assertThat(worded.getString("operation")).isEqualTo("i2v");
          assertThat(s.obs("client_errors").getJsonArray("errors")).isEmpty();
          ctx.completeNow();
        })));
  }

  @Test
  void task_augmented_call_is_an_mcp_task_polled_to_its_result(Vertx vertx, VertxTestContext ctx) {
    scenario(vertx, "task_augmented", Map.of()).onComplete(ctx.succeeding(s -> ctx.verify(() -> {
      s.succeeded();
      List<JsonObject> messages = s.obs("stream").getJsonArray("messages").stream().map(JsonObject.class::cast).toList();
      assertThat(messages).extracting(m -> m.getString("type")).startsWith("taskCreated").contains("taskStatus").endsWith("result");
      JsonObject created = messages.get(0);
      String id = created.getString("task_id");
      assertThat(id).startsWith("t_");
      assertThat(created.getString("status")).isEqualTo("working");
      assertThat(created.getValue("ttl")).as("contract: ttl null").isNull();
      JsonObject result = messages.get(messages.size() - 1);
      assertThat(result.getBoolean("is_error")).isFalse();
      assertThat(result.getJsonObject("structured").getString("task_id")).isEqualTo(id);
      assertThat(result.getJsonObject("structured").getString("state")).isEqualTo("succeeded");
      assertThat(result.getJsonArray("content_types").getList()).contains("text", "resource_link");
      assertThat(messages.get(messages.size() - 2).getString("status")).isEqualTo("completed");

      List<Double> progress = s.obs("task_progress").getJsonArray("values").stream().map(v -> ((Number) v).doubleValue()).toList();
      assertThat(progress).as("progress under the call's token after the CreateTaskResult").isNotEmpty()
          .isSorted().doesNotHaveDuplicates();
      assertThat(progress.get(progress.size() - 1)).isEqualTo(1.0);

      JsonObject listed = s.obs("tasks_list");
      assertThat(listed.getJsonArray("ids").getList()).contains(id);
      assertThat(listed.getJsonObject("statuses").getString(id)).isEqualTo("completed");
      JsonObject op = s.obs("operation_stream");
      assertThat(op.getJsonArray("types").getList()).startsWith("taskCreated").endsWith("result");
      assertThat(op.getJsonObject("result").getString("operation")).isEqualTo("t2v");
      assertThat(op.getJsonObject("result").getString("state")).isEqualTo("succeeded");
      assertThat(s.obs("client_errors").getJsonArray("errors")).isEmpty();
      ctx.completeNow();
    })));
  }

  @Test
  void cancel_tool_and_tasks_cancel_end_a_long_task(Vertx vertx, VertxTestContext ctx) {
    scenario(vertx, "cancel", Map.of()).onComplete(ctx.succeeding(s -> ctx.verify(() -> {
      s.succeeded();
      assertThat(s.obs("generate").getString("state")).isIn("queued", "submitting", "running");
      assertThat(s.obs("cancel").getString("state")).isEqualTo("cancelled");
      assertThat(s.obs("status").getString("state")).isEqualTo("cancelled");
      assertThat(s.obs("task_created").getString("status")).isEqualTo("working");
      assertThat(s.obs("tasks_cancel").getString("status")).isEqualTo("cancelled");
      assertThat(s.obs("tasks_get").getString("status")).isEqualTo("cancelled");
      assertThat(s.obs("status2").getString("state")).isEqualTo("cancelled");
      assertThat(s.obs("client_errors").getJsonArray("errors")).isEmpty();
      ctx.completeNow();
    })));
  }

  @Test
  void unknown_tool_is_a_protocol_error_and_another_keys_task_is_never_shown(Vertx vertx, VertxTestContext ctx) {
    scenario(vertx, "errors", Map.of()).onComplete(ctx.succeeding(s -> ctx.verify(() -> {
      s.succeeded();
      assertThat(s.obs("unknown_tool").getJsonObject("error")).as("JSON-RPC error").isNotNull();
      assertThat(s.obs("unknown_tool").getJsonObject("error").getInteger("code")).isEqualTo(-32602);
      JsonObject missing = s.obs("missing_argument");
      assertThat(missing.getBoolean("is_error")).isTrue();
      assertThat(missing.getString("text")).as("names the argument").contains("text");
      assertThat(s.obs("unknown_task").getBoolean("is_error")).isTrue();
      JsonObject theirs = s.obs("other_key_status");
      assertThat(theirs.getBoolean("is_error")).isTrue();
      assertThat(theirs.getBoolean("leaked")).isFalse();
      assertThat(s.obs("other_key_cancel").getBoolean("is_error")).isTrue();
      assertThat(s.obs("other_key_tasks_get").getJsonObject("error")).as("tasks/get of another key's task").isNotNull();
      assertThat(s.obs("other_key_resource").getJsonObject("error")).as("resources/read of another key's task").isNotNull();
      assertThat(s.obs("still_mine").getString("state")).isNotEqualTo("cancelled");
      assertThat(s.obs("bad_key").getJsonObject("error")).isNotNull();
      assertThat(s.obs("bad_key").getJsonObject("error").getInteger("code")).isEqualTo(401);
      assertThat(s.obs("client_errors").getJsonArray("errors")).isEmpty();
      ctx.completeNow();
    })));
  }

  @Test
  void a_stream_cut_mid_call_is_resumed_by_the_sdk_with_last_event_id(Vertx vertx, VertxTestContext ctx) {
    CuttingProxy.start(vertx, host.port(), "notifications/progress").compose(proxy -> scenario(vertx, "resume_cut",
                Map.of("SKILLHOST_MCP_URL", "http://127.0.0.1:" + proxy.port() + "/mcp"))
            .map(s -> List.of(s, proxy.cut()))
            .eventually(proxy::close))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          NodeScenario s = ((NodeScenario) r.get(0)).succeeded();
          assertThat((Boolean) r.get(1)).as("the proxy dropped task_wait's stream").isTrue();
          JsonObject resumed = s.obs("resumed");
          assertThat(resumed.getString("state")).isEqualTo("succeeded");
          List<Double> progress = resumed.getJsonArray("progress").stream().map(v -> ((Number) v).doubleValue()).toList();
          assertThat(progress).as("progress from before and after the cut, none twice").hasSizeGreaterThan(1)
              .isSorted().doesNotHaveDuplicates();
          assertThat(s.obs("client_errors").getJsonArray("errors")).as("only the cut itself")
              .isNotEmpty().allSatisfy(e -> assertThat((String) e).contains("SSE stream disconnected"));
          ctx.completeNow();
        })));
  }

  @Test
  void task_made_before_a_restart_is_finished_in_a_new_session(Vertx vertx, VertxTestContext ctx) {
    scenario(vertx, "resume_create", Map.of())
        .compose(first -> {
          String id = first.succeeded().obs("task_created").getString("task_id");
          return host.stop().compose(v -> host.restart())
              .compose(v -> scenario(vertx, "resume_finish", Map.of("SKILLHOST_TASK_ID", id)))
              .map(second -> List.of(first, second));
        })
        .onComplete(ctx.succeeding(both -> ctx.verify(() -> {
          NodeScenario first = both.get(0);
          NodeScenario second = both.get(1).succeeded();
          String id = first.obs("task_created").getString("task_id");
          assertThat(first.obs("task_created").getString("status")).isEqualTo("working");
          assertThat(second.obs("tasks_get").getString("task_id")).isEqualTo(id);
          assertThat(second.obs("tasks_get").getString("status")).isIn("working", "completed");
          JsonObject result = second.obs("tasks_result");
          assertThat(result.getBoolean("is_error")).isFalse();
          assertThat(result.getJsonObject("structured").getString("task_id")).isEqualTo(id);
          assertThat(result.getJsonObject("structured").getString("state")).isEqualTo("succeeded");
          assertThat(second.obs("status").getString("state")).isEqualTo("succeeded");
          assertThat(host.simSubmits(id)).as("submitted once across the restart").isEqualTo(1);
          ctx.completeNow();
        })));
  }

  /** The first video stream of an MP4, as Debian's ffprobe reads it. */
  static JsonObject ffprobe(Path file) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("ffprobe", "-v", "error", "-select_streams", "v:0",
        "-show_entries", "stream=codec_name,width,height,duration", "-of", "json", file.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("ffprobe: " + out).isZero();
    assertThat(Files.size(file)).isPositive();
    return new JsonObject(out).getJsonArray("streams").getJsonObject(0);
  }
}
