package dev.skillhost.host.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.host.testing.HostTestBase;
import dev.skillhost.host.testing.RawMcp;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The parts of the 2025-11-25 tasks spec a client meets after the CreateTaskResult: the call's
 * progress token stays valid for the task's lifetime, a tool without task support refuses a task
 * with -32601, and an input_required task asks through tasks/result with the related-task id. And
 * a 2025-06-18 client, which has no tasks, follows a task with task_wait and progress.
 */
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class McpTaskProgressTest extends HostTestBase {

  private RawMcp mcp;

  @AfterEach
  void disconnect(VertxTestContext ctx) {
    (mcp == null ? Future.<Void>succeededFuture() : mcp.close()).onComplete(ctx.succeedingThenComplete());
  }

  private static JsonObject t2v(JsonObject args) {
    return new JsonObject().put("name", "sim_t2v").put("arguments", args);
  }

  private static String relatedTask(JsonObject message) {
    return message.getJsonObject("params").getJsonObject("_meta", new JsonObject())
        .getJsonObject(TaskViews.RELATED_TASK, new JsonObject()).getString("taskId");
  }

  @Test
  void a_task_augmented_call_gets_progress_under_its_token_until_the_task_ends(Vertx vertx, VertxTestContext ctx) {
    mcp = new RawMcp(vertx, host.port(), host.key);
    mcp.initialize(new JsonObject()).compose(i -> mcp.get(null)).compose(standalone -> mcp.call(1, "tools/call",
            t2v(new JsonObject().put("duration_ms", 1_500)).put("task", new JsonObject())
                .put("_meta", new JsonObject().put("progressToken", "tp")))
        .compose(created -> {
          String id = created.getJsonObject("task").getString("taskId");
          return standalone.until(vertx, e -> "notifications/tasks/status".equals(e.message().getString("method"))
                  && "completed".equals(e.message().getJsonObject("params").getString("status")))
              .map(done -> {
                List<RawMcp.Event> events = standalone.events;
                List<JsonObject> progress = RawMcp.notifications(standalone, "notifications/progress");
                ctx.verify(() -> {
                  assertThat(progress).as("progress after the CreateTaskResult").isNotEmpty();
                  assertThat(progress).allSatisfy(p -> {
                    assertThat(p.getJsonObject("params").getString("progressToken")).isEqualTo("tp");
                    assertThat(relatedTask(p)).as("related-task meta").isEqualTo(id);
                  });
                  List<Double> values = progress.stream().map(p -> p.getJsonObject("params").getDouble("progress")).toList();
                  assertThat(values).as("strictly growing").doesNotHaveDuplicates().isSorted();
                  assertThat(values.get(values.size() - 1)).as(events.toString()).isEqualTo(1.0);
                  int lastProgress = events.indexOf(events.stream().filter(e -> progress.get(progress.size() - 1) == e.message())
                      .findFirst().orElseThrow());
                  assertThat(lastProgress).as("no progress after the task ended").isLessThan(events.indexOf(done));
                });
                return done;
              });
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void a_task_on_a_tool_without_task_support_is_method_not_found(Vertx vertx, VertxTestContext ctx) {
    mcp = new RawMcp(vertx, host.port(), host.key);
    mcp.initialize(new JsonObject())
        .compose(i -> mcp.call(1, "tools/call", new JsonObject().put("name", "list_tasks").put("arguments", new JsonObject())
            .put("task", new JsonObject())))
        .onComplete(ctx.failing(e -> ctx.verify(() -> {
          JsonObject error = new JsonObject(e.getMessage());
          assertThat(error.getInteger("code")).isEqualTo(-32601);
          assertThat(error.getString("message")).contains("list_tasks");
          ctx.completeNow();
        })));
  }

  @Test
  void tasks_result_on_an_input_required_task_asks_with_the_related_task_and_goes_on(Vertx vertx, VertxTestContext ctx) {
    mcp = new RawMcp(vertx, host.port(), host.key);
    JsonObject form = new JsonObject().put("elicitation", new JsonObject().put("form", new JsonObject()));
    mcp.initialize(form)
        .compose(i -> mcp.call(1, "tools/call", t2v(new JsonObject().put("duration_ms", 300)
            .put("params", new JsonObject().put("cost", 150))).put("task", new JsonObject())))
        .compose(created -> {
          String id = created.getJsonObject("task").getString("taskId");
          return mcp.post(RawMcp.request(2, "tasks/result", new JsonObject().put("taskId", id)))
              .compose(s -> s.until(vertx, e -> "elicitation/create".equals(e.message().getString("method")))
                  .compose(ask -> {
                    ctx.verify(() -> {
                      assertThat(relatedTask(ask.message())).isEqualTo(id);
                      assertThat(ask.message().getJsonObject("params").getString("message")).contains("150");
                    });
                    return mcp.post(new JsonObject().put("jsonrpc", "2.0").put("id", ask.message().getValue("id"))
                        .put("result", new JsonObject().put("action", "accept").put("content", new JsonObject())));
                  })
                  .compose(ack -> s.until(vertx, e -> Integer.valueOf(2).equals(e.message().getValue("id")))))
              .map(answer -> {
                JsonObject result = answer.message().getJsonObject("result");
                ctx.verify(() -> {
                  assertThat(result.getJsonObject("structuredContent").getString("state")).isEqualTo("succeeded");
                  assertThat(result.getJsonObject("_meta").getJsonObject(TaskViews.RELATED_TASK).getString("taskId"))
                      .isEqualTo(id);
                });
                return answer;
              });
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void a_2025_06_18_session_follows_a_task_with_task_wait_and_progress(Vertx vertx, VertxTestContext ctx) {
    mcp = new RawMcp(vertx, host.port(), host.key);
    mcp.protocol = "2025-06-18";
    mcp.initialize(new JsonObject())
        .compose(init -> {
          ctx.verify(() -> assertThat(init.getString("protocolVersion")).isEqualTo("2025-06-18"));
          return mcp.call(1, "tools/call", t2v(new JsonObject().put("duration_ms", 1_500)));
        })
        .compose(created -> mcp.post(RawMcp.request(2, "tools/call", new JsonObject().put("name", "task_wait")
            .put("arguments", new JsonObject().put("task_id", created.getJsonObject("structuredContent").getString("task_id")))
            .put("_meta", new JsonObject().put("progressToken", 7)))))
        .compose(s -> s.until(vertx, e -> Integer.valueOf(2).equals(e.message().getValue("id"))).map(answer -> {
          List<JsonObject> progress = RawMcp.notifications(s, "notifications/progress");
          ctx.verify(() -> {
            assertThat(progress).isNotEmpty();
            assertThat(progress).allSatisfy(p -> assertThat(p.getJsonObject("params").getInteger("progressToken")).isEqualTo(7));
            assertThat(s.events).as("no priming event before 2025-11-25").allSatisfy(e -> assertThat(e.message()).isNotNull());
            assertThat(answer.message().getJsonObject("result").getJsonObject("structuredContent").getString("state"))
                .isEqualTo("succeeded");
          });
          return answer;
        }))
        .onComplete(ctx.succeedingThenComplete());
  }
}
