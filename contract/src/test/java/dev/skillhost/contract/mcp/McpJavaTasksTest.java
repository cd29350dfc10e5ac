package dev.skillhost.contract.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * MCP tasks (2025-11-25) and idempotency across sessions, in raw JSON-RPC (the Java SDK's client
 * has no tasks API): tools/call with {@code params.task} answers a CreateTaskResult whose taskId is
 * the Skillhost task id; tasks/get, tasks/list, tasks/result and tasks/cancel; any task of the key
 * is an MCP task, also after a host restart; a 2025-06-18 session gets no tasks capability.
 */
@Timeout(value = 40, timeUnit = TimeUnit.SECONDS)
class McpJavaTasksTest extends McpJavaTestBase {


  private static JsonObject toolAsTask(String tool, JsonObject args) {
    return new JsonObject().put("name", tool).put("arguments", args).put("task", new JsonObject().put("ttl", 60_000));
  }

  private static JsonObject result(JsonObject response) {
    assertThat(response.containsKey("result")).as(response.encodePrettily()).isTrue();
    return response.getJsonObject("result");
  }

  @Test
  void a_tool_call_as_a_task_is_the_skillhost_task_and_tasks_result_returns_its_tool_result(VertxTestContext ctx) {
    String key = f.host.key;
    f.initialize(key).compose(s -> f.rpc(key, s, 1, "tools/call",
                toolAsTask("sim_t2v", new JsonObject().put("prompt", "as a task").put("duration_ms", 800)))
            .compose(created -> {
              String id = result(created).getJsonObject("task").getString("taskId");
              return Future.all(List.of(
                      f.rpc(key, s, 2, "tasks/get", new JsonObject().put("taskId", id)),
                      f.rpc(key, s, 3, "tasks/list", new JsonObject())))
                  .compose(early -> f.rpc(key, s, 4, "tasks/result", new JsonObject().put("taskId", id))
                      .compose(res -> f.rpc(key, s, 5, "tasks/get", new JsonObject().put("taskId", id))
                          .compose(after -> f.rpc(key, s, 6, "tasks/cancel", new JsonObject().put("taskId", id))
                              .compose(late -> f.host.get("/v1/tasks/" + id).map(rest -> List.of(created,
                                  early.<JsonObject>resultAt(0), early.<JsonObject>resultAt(1), res, after, late,
                                  rest.bodyAsJsonObject()))))));
            }))
        .onComplete(ctx.succeeding(a -> ctx.verify(() -> {
          JsonObject task = result(a.get(0)).getJsonObject("task");
          String id = task.getString("taskId");
          assertThat(id).as("the Skillhost task id").isEqualTo(a.get(6).getString("id"));
          assertThat(task.getString("status")).isEqualTo("working");
          assertThat(task.getString("createdAt")).isNotBlank();
          assertThat(task.getLong("pollInterval")).isPositive();
          assertThat(result(a.get(1)).getString("status")).isIn("working", "completed");
          assertThat(result(a.get(2)).getJsonArray("tasks").stream().map(t -> ((JsonObject) t).getString("taskId")))
              .contains(id);
          JsonObject toolResult = result(a.get(3));
          assertThat(toolResult.getJsonObject("structuredContent").getString("state")).isEqualTo("succeeded");
          assertThat(toolResult.getJsonObject("structuredContent").getString("task_id")).isEqualTo(id);
          assertThat(toolResult.getValue("isError")).isNotEqualTo(true);
          assertThat(result(a.get(4)).getString("status")).isEqualTo("completed");
          assertThat(a.get(5).getJsonObject("error").getInteger("code")).as("a finished task cannot be cancelled")
              .isEqualTo(-32602);
          assertThat(f.statuses).allSatisfy(st -> assertThat(st).isLessThan(500));
          ctx.completeNow();
        })));
  }

  @Test
  void tasks_cancel_cancels_and_maps_the_states(VertxTestContext ctx) {
    String key = f.host.key;
    f.initialize(key).compose(s -> f.rpc(key, s, 1, "tools/call",
                toolAsTask("generate", new JsonObject().put("text", "a video of a cat").put("skill", "sim")
                    .put("params", new JsonObject().put("duration_ms", 3_600_000))))
            .compose(created -> f.rpc(key, s, 2, "tasks/cancel",
                new JsonObject().put("taskId", result(created).getJsonObject("task").getString("taskId"))))
            .compose(cancelled -> f.host.submit("t2v", new JsonObject().put("duration_ms", 3_600_000).put("cost", 500))
                .compose(pricey -> f.host.awaitState(pricey, "awaiting_confirmation"))
                .compose(pricey -> f.rpc(key, s, 3, "tasks/get", new JsonObject().put("taskId", pricey.getString("id"))))
                .map(pricey -> List.of(cancelled, pricey))))
        .onComplete(ctx.succeeding(a -> ctx.verify(() -> {
          assertThat(result(a.get(0)).getString("status")).isEqualTo("cancelled");
          assertThat(result(a.get(1)).getString("status")).as("a REST task of the key, awaiting confirmation")
              .isEqualTo("input_required");
          ctx.completeNow();
        })));
  }

  @Test
  void after_a_host_restart_a_new_session_reads_the_result_and_another_key_cannot(VertxTestContext ctx) {
    String key = f.host.key;
    f.host.submit("text2image", new JsonObject().put("duration_ms", 100))
        .compose(id -> f.host.awaitState(id, "succeeded").map(id))
        .compose(id -> f.host.stop().compose(v -> f.host.restart()).map(id))
        .compose(id -> f.initialize(key).compose(s -> f.rpc(key, s, 1, "tasks/result", new JsonObject().put("taskId", id)))
            .compose(mine -> f.initialize(f.host.otherKey).compose(s -> f.rpc(f.host.otherKey, s, 1, "tasks/get",
                new JsonObject().put("taskId", id)))
                .map(theirs -> List.of(mine, theirs))))
        .onComplete(ctx.succeeding(a -> ctx.verify(() -> {
          JsonObject sc = result(a.get(0)).getJsonObject("structuredContent");
          assertThat(sc.getString("state")).isEqualTo("succeeded");
          assertThat(sc.getJsonArray("outputs")).isNotEmpty();
          assertThat(a.get(1).containsKey("error")).as("another key's task: " + a.get(1).encode()).isTrue();
          ctx.completeNow();
        })));
  }

  @Test
  void an_idempotency_key_holds_across_sessions_and_over_rest(VertxTestContext ctx) {
    String key = f.host.key;
    JsonObject args = new JsonObject().put("prompt", "once").put("duration_ms", 3_600_000).put("idempotency_key", "mcp-once-1");
    f.initialize(key).compose(a -> f.callTool(key, a, 1, "sim_t2v", args))
        .compose(first -> f.initialize(key).compose(b -> f.callTool(key, b, 1, "sim_t2v", args))
            .compose(second -> f.host.request(HttpMethod.POST, "/v1/tasks", key).putHeader("Idempotency-Key", "mcp-once-1")
                .sendJsonObject(new JsonObject().put("provider", "sim").put("operation", "t2v")
                    .put("params", new JsonObject().put("prompt", "once").put("duration_ms", 3_600_000)))
                .map(rest -> List.of(first, second, new JsonObject().put("status", rest.statusCode())
                    .put("body", rest.bodyAsString())))))
        .onComplete(ctx.succeeding(a -> ctx.verify(() -> {
          String id = result(a.get(0)).getJsonObject("structuredContent").getString("task_id");
          assertThat(result(a.get(1)).getJsonObject("structuredContent").getString("task_id")).isEqualTo(id);
          assertThat(a.get(2).getString("body")).as("the same key over REST: " + a.get(2).encode()).contains(id);
          assertThat(f.host.simSubmits(id)).isLessThanOrEqualTo(1);
          ctx.completeNow();
        })));
  }

  @Test
  void a_2025_06_18_session_has_no_tasks_capability_and_params_task_runs_the_call_plainly(VertxTestContext ctx) {
    String key = f.host.key;
    JsonObject init = McpJavaFixture.request(0, "initialize", new JsonObject().put("protocolVersion", "2025-06-18")
        .put("capabilities", new JsonObject()).put("clientInfo", new JsonObject().put("name", "raw").put("version", "0")));
    f.post(key, null, init)
        .compose(answer -> f.initialize(key, "2025-06-18")
            .compose(s -> f.rpc(key, s, 1, "tools/call", toolAsTask("sim_t2v", new JsonObject().put("duration_ms", 1_000))))
            .map(call -> List.of(answer.response(0), call)))
        .onComplete(ctx.succeeding(a -> ctx.verify(() -> {
          JsonObject r = result(a.get(0));
          assertThat(r.getString("protocolVersion")).isEqualTo("2025-06-18");
          assertThat(r.getJsonObject("capabilities").containsKey("tasks")).isFalse();
          JsonObject call = result(a.get(1));
          assertThat(call.containsKey("task")).as(call.encode()).isFalse();
          assertThat(call.getJsonObject("structuredContent").getString("task_id")).isNotBlank();
          ctx.completeNow();
        })));
  }
}
