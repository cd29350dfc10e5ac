package dev.skillhost.host.api;

import static org.assertj.core.api.Assertions.assertThat;

import static dev.skillhost.host.testing.Problems.assertProblem;

import dev.skillhost.host.testing.HostTestBase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class TaskApiTest extends HostTestBase {


  @Test
  void runs_a_task_from_queued_to_succeeded_with_a_gapless_event_log(VertxTestContext ctx) {
    host.post("/v1/tasks", new JsonObject().put("provider", "sim").put("operation", "t2v")
            .put("params", new JsonObject().put("duration_ms", 300)))
        .compose(r -> {
          ctx.verify(() -> {
            assertThat(r.statusCode()).isEqualTo(202);
            assertThat(r.getHeader("Location")).startsWith("/v1/tasks/t_");
            assertThat(r.bodyAsJsonObject().getString("state")).isEqualTo("queued");
          });
          return host.awaitState(r.bodyAsJsonObject().getString("id"), "succeeded");
        })
        .compose(task -> {
          JsonObject output = task.getJsonArray("outputs").getJsonObject(0);
          ctx.verify(() -> {
            assertThat(task.getString("provider_version")).isEqualTo("1.0.0");
            assertThat(task.getDouble("progress")).isEqualTo(1.0);
            assertThat(output.getString("kind")).isEqualTo("video");
          });
          return Future.all(eventsJson(task.getString("id")), host.get("/v1/files/" + output.getString("file")));
        })
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          JsonArray events = all.resultAt(0);
          HttpResponse<Buffer> file = all.resultAt(1);
          List<String> states = events.stream().map(e -> ((JsonObject) e))
              .filter(e -> e.getString("type").equals("state")).map(e -> e.getString("state")).toList();
          assertThat(states).containsExactly("queued", "submitting", "running", "succeeded");
          for (int i = 0; i < events.size(); i++) {
            JsonObject e = events.getJsonObject(i);
            assertThat(e.getLong("seq")).isEqualTo(i + 1);
            assertThat(e.fieldNames()).contains("task", "seq", "type", "state", "at");
          }
          assertThat(events.stream().map(e -> ((JsonObject) e).getString("type"))).contains("progress", "output");
          assertThat(file.statusCode()).isEqualTo(200);
          assertThat(file.getHeader("Content-Type")).isEqualTo("image/gif");
          ctx.completeNow();
        })));
  }

  @Test
  void same_idempotency_key_and_body_give_the_same_task_and_another_body_is_refused(VertxTestContext ctx) {
    JsonObject body = new JsonObject().put("provider", "sim").put("operation", "text2image")
        .put("params", new JsonObject().put("duration_ms", 50).put("prompt", "a cat"));
    JsonObject reordered = new JsonObject().put("params", new JsonObject().put("prompt", "a cat").put("duration_ms", 50))
        .put("operation", "text2image").put("provider", "sim");
    send(body, "k-1")
        .compose(first -> send(reordered, "k-1").map(second -> List.of(first, second)))
        .compose(both -> send(body.copy().put("operation", "t2v"), "k-1").map(third -> {
          ctx.verify(() -> {
            assertThat(both.get(0).statusCode()).isEqualTo(202);
            assertThat(both.get(1).statusCode()).isEqualTo(202);
            assertThat(both.get(1).getHeader("Idempotent-Replayed")).isEqualTo("true");
            assertThat(both.get(1).bodyAsJsonObject().getString("id"))
                .isEqualTo(both.get(0).bodyAsJsonObject().getString("id"));
            assertProblem(third, 422, "idempotency-key-reused");
          });
          return both.get(0).bodyAsJsonObject().getString("id");
        }))
        .compose(id -> host.awaitState(id, "succeeded").map(id))
        .onComplete(ctx.succeeding(id -> ctx.verify(() -> {
          assertThat(host.simSubmits(id)).isEqualTo(1);
          ctx.completeNow();
        })));
  }

  @Test
  void cancels_a_running_task_and_refuses_to_cancel_it_twice(VertxTestContext ctx) {
    host.submit("t2v", new JsonObject().put("duration_ms", 20_000))
        .compose(id -> host.awaitState(id, "running"))
        .compose(t -> host.post("/v1/tasks/" + t.getString("id") + "/cancel", new JsonObject()))
        .compose(r -> {
          ctx.verify(() -> {
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.bodyAsJsonObject().getString("state")).isEqualTo("cancelled");
          });
          return host.post("/v1/tasks/" + r.bodyAsJsonObject().getString("id") + "/cancel", new JsonObject());
        })
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertProblem(r, 409, "wrong-state");
          ctx.completeNow();
        })));
  }

  @Test
  void a_task_past_its_deadline_fails_as_a_timeout(VertxTestContext ctx) {
    host.post("/v1/tasks", new JsonObject().put("provider", "sim").put("operation", "t2v").put("deadline_s", 1)
            .put("params", new JsonObject().put("duration_ms", 20_000)))
        .compose(r -> host.await(r.bodyAsJsonObject().getString("id"), t -> !t.getString("state").matches("queued|submitting|running")))
        .onComplete(ctx.succeeding(t -> ctx.verify(() -> {
          assertThat(t.getString("state")).isEqualTo("failed");
          assertThat(t.getJsonObject("error").getString("kind")).isEqualTo("timeout");
          assertThat(t.getJsonObject("error").getString("message")).contains("deadline of 1 s");
          ctx.completeNow();
        })));
  }

  @Test
  void an_upstream_failure_fails_the_task_with_the_backend_code(VertxTestContext ctx) {
    host.submit("t2v", new JsonObject().put("duration_ms", 200).put("fail", true).put("fail_code", "E42"))
        .compose(id -> host.awaitState(id, "failed"))
        .onComplete(ctx.succeeding(t -> ctx.verify(() -> {
          assertThat(t.getJsonObject("error").getString("code")).isEqualTo("E42");
          ctx.completeNow();
        })));
  }

  @Test
  void transient_poll_faults_are_retried_and_the_task_still_succeeds(VertxTestContext ctx) {
    // every look in the first 250 ms fails (503): a few faults, always fewer than the skill's 5 retries
    host.submit("text2image", new JsonObject().put("duration_ms", 300).put("flaky_ms", 250))
        .compose(id -> host.await(id, t -> t.getString("state").matches("succeeded|failed")))
        .onComplete(ctx.succeeding(t -> ctx.verify(() -> {
          assertThat(t.getString("state")).isEqualTo("succeeded");
          ctx.completeNow();
        })));
  }

  @Test
  void calls_without_a_valid_key_get_401_and_another_keys_task_is_404(VertxTestContext ctx) {
    host.submit("t2v", new JsonObject().put("duration_ms", 100))
        .compose(id -> Future.all(List.of(
            host.request(HttpMethod.GET, "/v1/tasks/" + id, null).send(),
            host.request(HttpMethod.GET, "/v1/tasks/" + id, "sk_wrong").send(),
            host.request(HttpMethod.GET, "/v1/tasks/" + id, host.otherKey).send(),
            host.request(HttpMethod.GET, "/v1/tasks/" + id + "/events", host.otherKey).putHeader("Accept", "application/json").send(),
            host.request(HttpMethod.POST, "/v1/tasks/" + id + "/cancel", host.otherKey).send(),
            host.request(HttpMethod.GET, "/v1/tasks", host.otherKey).send(),
            host.request(HttpMethod.GET, "/v1/health", null).send())))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          assertProblem(all.resultAt(0), 401, "unauthorized");
          assertThat(((HttpResponse<Buffer>) all.resultAt(0)).getHeader("WWW-Authenticate")).isEqualTo("Bearer");
          assertProblem(all.resultAt(1), 401, "unauthorized");
          assertProblem(all.resultAt(2), 404, "task-not-found");
          assertProblem(all.resultAt(3), 404, "task-not-found");
          assertProblem(all.resultAt(4), 404, "task-not-found");
          assertThat(((HttpResponse<Buffer>) all.resultAt(5)).bodyAsJsonObject().getJsonArray("tasks")).isEmpty();
          assertThat(((HttpResponse<Buffer>) all.resultAt(6)).statusCode()).isEqualTo(200);
          ctx.completeNow();
        })));
  }

  @Test
  void lists_tasks_newest_first_by_state_and_page(VertxTestContext ctx) {
    Future.all(List.of(host.submit("t2v", new JsonObject().put("duration_ms", 50)),
            host.submit("t2v", new JsonObject().put("duration_ms", 50)),
            host.submit("t2v", new JsonObject().put("duration_ms", 60_000))))
        .compose(ids -> host.awaitState(ids.resultAt(2), "running").map(ids))
        .compose(ids -> host.awaitState(ids.resultAt(0), "succeeded")
            .compose(v -> host.awaitState(ids.resultAt(1), "succeeded")).map(ids))
        .compose(ids -> Future.all(host.get("/v1/tasks?state=succeeded&limit=1"), host.get("/v1/tasks?state=running"),
            host.get("/v1/tasks?provider=nope")))
        .compose(all -> {
          JsonObject page1 = ((HttpResponse<Buffer>) all.resultAt(0)).bodyAsJsonObject();
          JsonObject running = ((HttpResponse<Buffer>) all.resultAt(1)).bodyAsJsonObject();
          ctx.verify(() -> {
            assertThat(page1.getJsonArray("tasks")).hasSize(1);
            assertThat(page1.getString("next")).isNotNull();
            assertThat(running.getJsonArray("tasks")).hasSize(1);
            assertThat(((HttpResponse<Buffer>) all.resultAt(2)).bodyAsJsonObject().getJsonArray("tasks")).isEmpty();
          });
          return host.get("/v1/tasks?state=succeeded&limit=1&cursor=" + page1.getString("next"))
              .map(r -> List.of(page1, r.bodyAsJsonObject()));
        })
        .onComplete(ctx.succeeding(pages -> ctx.verify(() -> {
          JsonObject page2 = pages.get(1);
          assertThat(page2.getJsonArray("tasks")).hasSize(1);
          assertThat(page2.getJsonArray("tasks").getJsonObject(0).getString("id"))
              .isNotEqualTo(pages.get(0).getJsonArray("tasks").getJsonObject(0).getString("id"));
          assertThat(page2.getString("next")).isNull();
          ctx.completeNow();
        })));
  }

  private Future<HttpResponse<Buffer>> send(JsonObject body, String key) {
    return host.request(HttpMethod.POST, "/v1/tasks", host.key).putHeader("Idempotency-Key", key).sendJsonObject(body);
  }

  private Future<JsonArray> eventsJson(String id) {
    return host.request(HttpMethod.GET, "/v1/tasks/" + id + "/events", host.key)
        .putHeader("Accept", "application/json").send().map(HttpResponse::bodyAsJsonArray);
  }

}
