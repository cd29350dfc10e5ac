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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The transport's streams: answers resumed after a cut, the standalone stream, task and resource notifications. */
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class McpStreamsTest extends HostTestBase {

  private RawMcp mcp;

  @BeforeEach
  void connect(Vertx vertx, VertxTestContext ctx) {
    mcp = new RawMcp(vertx, host.port(), host.key);
    mcp.initialize(new JsonObject()).onComplete(ctx.succeedingThenComplete());
  }

  @AfterEach
  void disconnect(VertxTestContext ctx) {
    mcp.close().onComplete(ctx.succeedingThenComplete());
  }

  private static JsonObject call(String tool, JsonObject args) {
    return new JsonObject().put("name", tool).put("arguments", args);
  }

  private Future<String> simTask(long durationMs) {
    return mcp.call(1, "tools/call", call("generate", new JsonObject().put("text", "make a short video of a cat")
            .put("skill", "sim").put("params", new JsonObject().put("duration_ms", durationMs))))
        .map(r -> r.getJsonObject("structuredContent").getString("task_id"));
  }

  @Test
  void an_answer_stream_cut_after_a_progress_note_is_resumed_with_last_event_id_and_misses_nothing(Vertx vertx,
      VertxTestContext ctx) {
    simTask(2_000).compose(task -> mcp.post(RawMcp.request(2, "tools/call", call("task_wait",
            new JsonObject().put("task_id", task)).put("_meta", new JsonObject().put("progressToken", "p")))))
        .compose(first -> first.until(vertx, e -> "notifications/progress".equals(e.message().getString("method")))
            .compose(progress -> {
              first.cut();
              return mcp.get(progress.id()).compose(rest -> rest.until(vertx, e -> Integer.valueOf(2).equals(e.message().getValue("id")))
                  .map(answer -> {
                    ctx.verify(() -> {
                      assertThat(rest.status).isEqualTo(200);
                      long cutAt = Long.parseLong(progress.id().replaceFirst(".*-", ""));
                      List<Long> after = rest.events.stream().map(e -> Long.parseLong(e.id().replaceFirst(".*-", ""))).toList();
                      assertThat(after).as("only what came after the cut, in order").isSorted().allMatch(n -> n > cutAt);
                      assertThat(answer.message().getJsonObject("result").getJsonObject("structuredContent").getString("state"))
                          .isEqualTo("succeeded");
                    });
                    return answer;
                  }));
            }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void a_tool_called_as_a_task_answers_at_once_and_its_result_and_status_come_later(Vertx vertx, VertxTestContext ctx) {
    mcp.get(null).compose(standalone -> mcp.call(3, "tools/call", call("generate", new JsonObject()
                .put("text", "make a short video of a cat").put("skill", "sim")
                .put("params", new JsonObject().put("duration_ms", 800))).put("task", new JsonObject().put("ttl", 60_000)))
            .compose(created -> {
              JsonObject task = created.getJsonObject("task");
              ctx.verify(() -> {
                assertThat(task.getString("taskId")).startsWith("t_");
                assertThat(task.getString("status")).isEqualTo("working");
                assertThat(task.getLong("pollInterval")).isPositive();
              });
              String id = task.getString("taskId");
              return mcp.call(4, "tasks/get", new JsonObject().put("taskId", id))
                  .compose(got -> mcp.call(5, "tasks/result", new JsonObject().put("taskId", id)))
                  .compose(result -> standalone.until(vertx, e -> "notifications/tasks/status".equals(e.message().getString("method"))
                          && "completed".equals(e.message().getJsonObject("params").getString("status")))
                      .map(status -> {
                        ctx.verify(() -> {
                          assertThat(result.getJsonObject("structuredContent").getString("state")).isEqualTo("succeeded");
                          assertThat(result.getJsonObject("_meta").getJsonObject("io.modelcontextprotocol/related-task")
                              .getString("taskId")).isEqualTo(id);
                          assertThat(status.message().getJsonObject("params").getString("taskId")).isEqualTo(id);
                        });
                        return status;
                      }))
                  .compose(v -> mcp.call(6, "tasks/list", new JsonObject()))
                  .map(list -> {
                    ctx.verify(() -> assertThat(list.getJsonArray("tasks").stream()
                        .map(t -> ((JsonObject) t).getString("taskId"))).contains(id));
                    return list;
                  });
            }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void a_subscribed_task_resource_is_announced_when_it_changes_and_another_keys_task_is_no_resource(Vertx vertx,
      VertxTestContext ctx) {
    RawMcp other = new RawMcp(vertx, host.port(), host.otherKey);
    simTask(600).compose(task -> mcp.get(null).compose(standalone ->
            mcp.call(7, "resources/subscribe", new JsonObject().put("uri", "skillhost://tasks/" + task))
                .compose(v -> standalone.until(vertx, e -> "notifications/resources/updated".equals(e.message().getString("method"))))
                .compose(updated -> mcp.call(8, "resources/read", new JsonObject().put("uri", "skillhost://tasks/" + task)))
                .compose(read -> {
                  ctx.verify(() -> assertThat(read.getJsonArray("contents").getJsonObject(0).getString("mimeType"))
                      .isEqualTo("application/json"));
                  return other.initialize(new JsonObject())
                      .compose(i -> other.call(9, "resources/read", new JsonObject().put("uri", "skillhost://tasks/" + task)))
                      .transform(ar -> {
                        ctx.verify(() -> {
                          assertThat(ar.failed()).isTrue();
                          assertThat(ar.cause().getMessage()).contains("-32002").contains("no task");
                        });
                        return Future.succeededFuture();
                      });
                })))
        .eventually(other::close)
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void a_client_that_listed_resources_hears_when_a_finished_task_adds_one(Vertx vertx, VertxTestContext ctx) {
    mcp.get(null).compose(standalone -> mcp.call(10, "resources/list", new JsonObject())
            .compose(before -> simTask(300)
                .compose(task -> standalone.until(vertx, e -> "notifications/resources/list_changed".equals(e.message().getString("method")))
                    .compose(changed -> mcp.call(11, "resources/list", new JsonObject()))
                    .map(after -> {
                      ctx.verify(() -> {
                        assertThat(before.getJsonArray("resources")).isEmpty();
                        assertThat(after.getJsonArray("resources").stream().map(r -> ((JsonObject) r).getString("uri")))
                            .contains("skillhost://tasks/" + task + "/outputs/0");
                      });
                      return after;
                    }))))
        .onComplete(ctx.succeedingThenComplete());
  }
}
