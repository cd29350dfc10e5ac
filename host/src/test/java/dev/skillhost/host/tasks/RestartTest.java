package dev.skillhost.host.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.host.store.Database;
import dev.skillhost.host.store.Task;
import dev.skillhost.host.store.TaskEvent;
import dev.skillhost.host.store.TaskState;
import dev.skillhost.host.store.TaskStore;
import dev.skillhost.host.testing.HostTestBase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A host stopped and started again on the same data finishes its tasks and never submits twice. */
@Timeout(value = 40, timeUnit = TimeUnit.SECONDS)
class RestartTest extends HostTestBase {


  @Test
  void running_tasks_resume_from_their_handles_after_a_restart_with_no_second_submit(VertxTestContext ctx) {
    Future.all(List.of(
            host.submit("t2v", new JsonObject().put("duration_ms", 2500)),
            host.submit("text2image", new JsonObject().put("duration_ms", 2500)),
            host.submit("t2v", new JsonObject().put("duration_ms", 2500))))
        .map(all -> all.<String>list())
        .compose(ids -> Future.all(ids.stream().map(id -> host.awaitState(id, "running")).toList()).map(ids))
        .compose(ids -> host.stop().compose(v -> host.restart()).map(ids))
        .compose(ids -> Future.all(ids.stream().map(id -> host.awaitState(id, "succeeded")).toList()).map(ids))
        .onComplete(ctx.succeeding(ids -> ctx.verify(() -> {
          for (String id : ids) {
            assertThat(host.simSubmits(id)).as(id).isEqualTo(1);
          }
          ctx.completeNow();
        })));
  }

  @Test
  void a_task_caught_mid_submit_becomes_unknown_and_is_reconciled_not_resent(VertxTestContext ctx) {
    // The sim records the submission, then takes 3 s to answer: the host stops in between,
    // as if it crashed after sending and before hearing back.
    host.submit("t2v", new JsonObject().put("duration_ms", 200).put("slow_submit_ms", 3000))
        .compose(id -> host.awaitState(id, "submitting").map(id))
        .compose(id -> host.stop().compose(v -> host.restart()).map(id))
        .compose(id -> host.awaitState(id, "succeeded").map(id))
        .compose(id -> host.request(io.vertx.core.http.HttpMethod.GET, "/v1/tasks/" + id + "/events", host.key)
            .putHeader("Accept", "application/json").send().map(r -> List.of(id, r.bodyAsJsonArray())))
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
          String id = (String) result.get(0);
          JsonArray events = (JsonArray) result.get(1);
          List<String> states = events.stream().map(e -> (JsonObject) e)
              .filter(e -> e.getString("type").equals("state")).map(e -> e.getString("state")).toList();
          assertThat(states).containsExactly("queued", "submitting", "unknown", "running", "succeeded");
          assertThat(host.simSubmits(id)).isEqualTo(1);
          ctx.completeNow();
        })));
  }

  @Test
  void a_task_the_backend_never_received_fails_plainly_after_a_crash(Vertx vertx, VertxTestContext ctx) {
    // A task left in `submitting` whose submission never reached the backend: written straight
    // into the store of a stopped host, as a crash just before the request left would leave it.
    long now = System.currentTimeMillis();
    Task orphan = new Task("t_orphan0000000000000", dev.skillhost.host.api.ApiKeys.ownerOf(host.key), "sim", "t2v",
        null, null, TaskState.SUBMITTING, 2, new JsonObject(), new JsonArray(), "en", null, new JsonArray(), null, -1,
        null, now, now, null, "h");
    host.stop()
        .compose(v -> vertx.executeBlocking(() -> Database.open(vertx, host.config().store().postgres()
            ? dev.skillhost.host.store.StoreUrl.parse(host.config().store().url())
            : dev.skillhost.host.store.StoreUrl.sqlite(dir.resolve("skillhost.db")))))
        .compose(db -> TaskStore.open(db)
            .compose(store -> store.create(orphan, new TaskEvent(orphan.id(), 1, TaskEvent.STATE, TaskState.QUEUED, now, new JsonObject()))
                .compose(c -> store.save(orphan, List.of(new TaskEvent(orphan.id(), 2, TaskEvent.STATE, TaskState.SUBMITTING, now, new JsonObject())))))
            .eventually(() -> vertx.executeBlocking(() -> {
              db.close();
              return null;
            })))
        .compose(v -> host.restart())
        .compose(v -> host.awaitState(orphan.id(), "failed"))
        .onComplete(ctx.succeeding(task -> ctx.verify(() -> {
          assertThat(task.getJsonObject("error").getString("code")).isEqualTo("not_submitted");
          assertThat(task.getJsonObject("error").getString("message")).contains("nothing was spent");
          assertThat(host.simSubmits(orphan.id())).isZero();
          ctx.completeNow();
        })));
  }
}
