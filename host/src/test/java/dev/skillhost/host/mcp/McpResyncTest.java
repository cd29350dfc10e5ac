package dev.skillhost.host.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.host.store.Database;
import dev.skillhost.host.store.Task;
import dev.skillhost.host.store.TaskEvent;
import dev.skillhost.host.store.TaskState;
import dev.skillhost.host.store.TaskStore;
import dev.skillhost.host.tasks.TaskEvents;
import dev.skillhost.host.testing.HostTestBase;
import dev.skillhost.host.testing.RawMcp;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An MCP {@code task_wait} on a task whose ending event never came live (another node's, lost
 * while the cluster's LISTEN connection was down): the resync that follows the reconnect makes the
 * wait read the task and answer, instead of running into its timeout.
 */
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class McpResyncTest extends HostTestBase {

  @Test
  void a_wait_whose_ending_event_was_lost_answers_on_the_resync(Vertx vertx, VertxTestContext ctx) {
    RawMcp mcp = new RawMcp(vertx, host.port(), host.key);
    Database file = Database.open(vertx, host.dataDir.resolve("skillhost.db"));
    TaskStore[] store = new TaskStore[1];
    Task[] other = new Task[1];
    long[] started = new long[1];
    mcp.initialize(new JsonObject())
        .compose(v -> host.submit("t2v", new JsonObject().put("duration_ms", 50)))
        .compose(local -> TaskStore.open(file).compose(s -> {
          store[0] = s;
          return s.get(local);
        }))
        .compose(local -> {
          // written by "another node": this host's engine never runs it, its bus never hears of it
          other[0] = new Task("t_0000000000remotewait", local.orElseThrow().owner(), "sim", "t2v", null, null,
              TaskState.RUNNING, 1, new JsonObject(), new JsonArray(), "en", null, new JsonArray(), null, -1, null,
              1L, 1L, null, null, null);
          return store[0].create(other[0], new TaskEvent(other[0].id(), 1, TaskEvent.STATE, TaskState.RUNNING, 1,
              new JsonObject()));
        })
        .compose(v -> {
          started[0] = System.nanoTime();
          Future<JsonObject> waited = mcp.call(2, "tools/call", new JsonObject().put("name", "task_wait")
              .put("arguments", new JsonObject().put("task_id", other[0].id()).put("timeout_s", 25)));
          vertx.setTimer(500, t -> store[0].save(other[0].withState(TaskState.SUCCEEDED, 2, 2), List.of(
                  new TaskEvent(other[0].id(), 2, TaskEvent.STATE, TaskState.SUCCEEDED, 2,
                      new JsonObject().put("from", "running"))))
              .onSuccess(x -> vertx.eventBus().publish(TaskEvents.resyncAddress(), "n_test")));
          return waited;
        })
        .eventually(() -> vertx.executeBlocking(() -> {
          file.close();
          return null;
        }).compose(v -> mcp.close()))
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
          assertThat(result.getJsonObject("structuredContent").getString("state")).isEqualTo("succeeded");
          assertThat((System.nanoTime() - started[0]) / 1_000_000).isLessThan(10_000);
          ctx.completeNow();
        })));
  }
}
