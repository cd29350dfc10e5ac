package dev.skillhost.host.api;

import static dev.skillhost.host.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.host.store.Database;
import dev.skillhost.host.store.Task;
import dev.skillhost.host.store.TaskEvent;
import dev.skillhost.host.store.TaskState;
import dev.skillhost.host.store.TaskStore;
import dev.skillhost.host.tasks.Forwarder;
import dev.skillhost.host.tasks.TaskRejected;
import dev.skillhost.host.testing.HostTestBase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Over HTTP: a cancel or confirm for an unfinished task this host's engine does not run (another
 * node's, written here by a second store on the same file) goes to the engine's forwarder and
 * answers what the watching node answered; one the engine runs never leaves this node.
 */
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class ForwardedCommandTest extends HostTestBase {

  @Test
  void commands_for_another_nodes_task_are_forwarded_and_its_answer_or_silence_reported(Vertx vertx,
      VertxTestContext ctx) {
    Database file = Database.open(vertx, host.dataDir.resolve("skillhost.db"));
    List<String> forwarded = new CopyOnWriteArrayList<>();
    String[] ids = new String[2];
    Forwarder.Command[] seen = new Forwarder.Command[1];
    host.submit("t2v", new JsonObject().put("duration_ms", 20_000))
        .compose(local -> {
          ids[0] = local;
          return TaskStore.open(file).compose(store -> store.get(local).compose(t -> {
            Task other = new Task("t_0000000000elsewhere", t.orElseThrow().owner(), "sim", "t2v", null, null,
                TaskState.RUNNING, 1, new JsonObject(), new JsonArray(), "en", null, new JsonArray(), null, -1, null,
                1L, 1L, null, null, null);
            ids[1] = other.id();
            host.host().engine().forwarder((command, owner, id) -> {
              forwarded.add(command.wire() + " " + id);
              seen[0] = command;
              return id.equals(other.id())
                  ? Future.succeededFuture(Optional.of(other.withState(TaskState.CANCELLED, 2, 2)))
                  : Future.succeededFuture(Optional.empty());
            });
            return store.create(other, new TaskEvent(other.id(), 1, TaskEvent.STATE, TaskState.RUNNING, 1,
                new JsonObject()));
          }));
        })
        .compose(v -> host.post("/v1/tasks/" + ids[1] + "/cancel", new JsonObject()))
        .compose(r -> {
          ctx.verify(() -> {
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.bodyAsJsonObject().getString("state")).isEqualTo("cancelled");
            assertThat(seen[0]).isEqualTo(Forwarder.Command.CANCEL);
          });
          host.host().engine().forwarder((command, owner, id) -> Future.failedFuture(new TaskRejected(
              TaskRejected.Reason.NODE_UNAVAILABLE, "Node n_x did not answer.")));
          return host.post("/v1/tasks/" + ids[1] + "/confirm", new JsonObject());
        })
        .compose(r -> {
          ctx.verify(() -> {
            assertProblem(r, 503, "node-unavailable");
            assertThat(r.bodyAsJsonObject().getString("detail")).isEqualTo("Node n_x did not answer.");
          });
          host.host().engine().forwarder(Forwarder.NONE);
          return host.post("/v1/tasks/" + ids[1] + "/cancel", new JsonObject());
        })
        .compose(r -> {
          ctx.verify(() -> {
            assertProblem(r, 503, "node-unavailable");
            assertThat(r.bodyAsJsonObject().getString("detail")).contains("no live node watches it");
          });
          return host.post("/v1/tasks/" + ids[0] + "/cancel", new JsonObject());
        })
        .eventually(() -> vertx.executeBlocking(() -> {
          file.close();
          return null;
        }))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r.statusCode()).isEqualTo(200);
          assertThat(r.bodyAsJsonObject().getString("state")).isEqualTo("cancelled");
          assertThat(forwarded).containsExactly("cancel " + ids[1]);
          ctx.completeNow();
        })));
  }
}
