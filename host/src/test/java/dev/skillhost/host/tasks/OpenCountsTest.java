package dev.skillhost.host.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.host.metrics.HostMetrics.TaskCount;
import dev.skillhost.host.testing.TestHost;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The open-tasks gauge is counted from the tasks the engine looks after, not by scanning the
 * store: it must still count each unfinished task once, by state, provider and skill, and drop a
 * task once it has finished. Task ids are time-ordered, so the store's indexes grow at their end.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class OpenCountsTest {

  @TempDir Path dir;
  private TestHost host;

  @AfterEach
  void stop(VertxTestContext ctx) {
    (host == null ? Future.<Void>succeededFuture() : host.close()).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void counts_unfinished_tasks_by_state_provider_and_skill_and_forgets_finished_ones(Vertx vertx, VertxTestContext ctx) {
    JsonObject slow = new JsonObject().put("duration_ms", 60_000);
    String[] ids = new String[2];
    TestHost.start(vertx, dir)
        .compose(h -> {
          host = h;
          return h.submit("t2v", slow);
        })
        .compose(id -> {
          ids[0] = id;
          return host.submit("t2v", slow);
        })
        .compose(id -> {
          ids[1] = id;
          return Future.all(host.awaitState(ids[0], "running"), host.awaitState(ids[1], "running"));
        })
        .compose(v -> host.host().engine().openCounts())
        .compose(before -> {
          ctx.verify(() -> assertThat(before).containsExactly(new TaskCount("running", "sim", "sim", 2)));
          return host.post("/v1/tasks/" + ids[0] + "/cancel", new JsonObject());
        })
        .compose(cancelled -> host.awaitState(ids[0], "cancelled"))
        .compose(v -> host.host().engine().openCounts())
        .onComplete(ctx.succeeding(after -> ctx.verify(() -> {
          assertThat(after).containsExactly(new TaskCount("running", "sim", "sim", 1));
          ctx.completeNow();
        })));
  }

  @Test
  void task_ids_sort_in_the_order_they_were_made_and_keep_their_form() {
    List<String> ids = List.of(TaskEngineVerticle.newId(1_700_000_000_000L), TaskEngineVerticle.newId(1_700_000_000_001L),
        TaskEngineVerticle.newId(1_700_000_001_000L), TaskEngineVerticle.newId(4_102_444_800_000L));
    assertThat(ids).isSorted().allMatch(id -> id.matches("t_[0-9a-hjkmnp-tv-z]{20}"));
    assertThat(TaskEngineVerticle.newId(1_700_000_000_000L)).isNotEqualTo(ids.get(0)); // the tail is random
  }
}
