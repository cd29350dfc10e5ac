package dev.skillhost.host.api;

import static dev.skillhost.host.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.host.testing.HostTestBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code Prefer: wait=N} on task creation: the finished task when it ends in time, else 202 as usual. */
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class SyncWaitTest extends HostTestBase {

  private static JsonObject simTask(long durationMs) {
    return new JsonObject().put("provider", "sim").put("operation", "text2image")
        .put("params", new JsonObject().put("duration_ms", durationMs));
  }

  @Test
  void a_task_that_ends_within_the_wait_is_answered_finished_with_200(VertxTestContext ctx) {
    host.request(HttpMethod.POST, "/v1/tasks", host.key).putHeader("Prefer", "wait=10").sendJsonObject(simTask(200))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
          assertThat(r.getHeader("Preference-Applied")).isEqualTo("wait=10");
          assertThat(r.getHeader("Location")).startsWith("/v1/tasks/t_");
          JsonObject task = r.bodyAsJsonObject();
          assertThat(task.getString("state")).isEqualTo("succeeded");
          assertThat(task.getJsonArray("outputs")).hasSize(1);
          ctx.completeNow();
        })));
  }

  @Test
  void a_task_still_running_when_the_wait_is_over_is_answered_202_as_it_stands(VertxTestContext ctx) {
    long start = System.nanoTime();
    host.request(HttpMethod.POST, "/v1/tasks", host.key).putHeader("Prefer", "respond-async, wait=1").sendJsonObject(simTask(20_000))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          long waitedMs = (System.nanoTime() - start) / 1_000_000;
          assertThat(r.statusCode()).isEqualTo(202);
          assertThat(r.bodyAsJsonObject().getString("state")).isEqualTo("running");
          assertThat(waitedMs).as("it waited for the preference").isGreaterThanOrEqualTo(900);
          ctx.completeNow();
        })));
  }

  @Test
  void a_failure_within_the_wait_is_answered_with_the_failed_task(VertxTestContext ctx) {
    JsonObject failing = simTask(100);
    failing.getJsonObject("params").put("fail", true);
    host.request(HttpMethod.POST, "/v1/tasks", host.key).putHeader("Prefer", "wait=10").sendJsonObject(failing)
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r.statusCode()).isEqualTo(200);
          assertThat(r.bodyAsJsonObject().getString("state")).isEqualTo("failed");
          assertThat(r.bodyAsJsonObject().getJsonObject("error")).isNotNull();
          ctx.completeNow();
        })));
  }

  @Test
  void a_wait_that_is_not_a_number_is_a_problem_and_creates_nothing(VertxTestContext ctx) {
    host.request(HttpMethod.POST, "/v1/tasks", host.key).putHeader("Prefer", "wait=soon").sendJsonObject(simTask(100))
        .compose(r -> {
          ctx.verify(() -> assertProblem(r, 400, "bad-request"));
          return host.get("/v1/tasks");
        })
        .onComplete(ctx.succeeding(list -> ctx.verify(() -> {
          assertThat(list.bodyAsJsonObject().getJsonArray("tasks")).isEmpty();
          ctx.completeNow();
        })));
  }

  @Test
  void waits_longer_than_a_minute_are_capped_and_no_preference_answers_at_once() {
    assertThat(TaskRoutes.preferredWait("wait=600")).isEqualTo(60);
    assertThat(TaskRoutes.preferredWait(null)).isZero();
    assertThat(TaskRoutes.preferredWait("respond-async")).isZero();
    assertThat(TaskRoutes.preferredWait("handling=lenient, Wait=5")).isEqualTo(5);
  }
}
