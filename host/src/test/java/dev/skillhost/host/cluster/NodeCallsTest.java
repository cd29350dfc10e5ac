package dev.skillhost.host.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.host.store.Task;
import dev.skillhost.host.store.TaskState;
import dev.skillhost.host.tasks.Forwarder.Command;
import dev.skillhost.host.tasks.TaskRejected;
import dev.skillhost.host.tasks.TaskRejected.Reason;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Node A forwards commands for tasks node B watches, over NOTIFY on one real PostgreSQL: B's
 * engine (here a recording stand-in with its own confirm-once guard) answers, A reports that
 * answer, and a node that does not answer is a 503 within the timeout, with nothing retried.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class NodeCallsTest {

  private static final Duration TIMEOUT = Duration.ofMillis(700);

  PgLog db;
  Vertx nodeB;
  ClusterVerticle callsA;
  /** The store both nodes see: task by id, and which node watches it. */
  final Map<String, Task> tasks = new ConcurrentHashMap<>();
  final Map<String, String> watchers = new ConcurrentHashMap<>();
  final AtomicInteger ranOnB = new AtomicInteger();
  final AtomicInteger confirmedOnB = new AtomicInteger();

  @BeforeEach
  void nodes(Vertx vertx, VertxTestContext ctx) throws Exception {
    db = PgLog.create(vertx);
    nodeB = Vertx.vertx();
    NodeCalls.Watchers watching = id -> Future.succeededFuture(Optional.ofNullable(watchers.get(id)));
    NodeCalls.Tasks store = id -> Future.succeededFuture(Optional.ofNullable(tasks.get(id)));
    callsA = new ClusterVerticle("n_a", db.connector(), db, watching, store, (c, o, t) -> Future.failedFuture("not A's"))
        .callTimeout(TIMEOUT);
    ClusterVerticle callsB = new ClusterVerticle("n_b", db.connector(), db, watching, store, this::runOnB)
        .callTimeout(TIMEOUT);
    tasks.put("t_wait", PgLog.task("t_wait", "o1").withState(TaskState.AWAITING_CONFIRMATION, 3, 0));
    tasks.put("t_slow", PgLog.task("t_slow", "o1"));
    watchers.put("t_wait", "n_b");
    watchers.put("t_slow", "n_b");
    watchers.put("t_gone", "n_gone");
    watchers.put("t_mine", "n_a");
    Future.all(vertx.deployVerticle(callsA), nodeB.deployVerticle(callsB)).onComplete(ctx.succeedingThenComplete());
  }

  /** B's engine: confirms once (the store's guard), refuses another owner's task as not found. */
  private Future<Task> runOnB(Command command, String owner, String id) {
    ranOnB.incrementAndGet();
    Task t = tasks.get(id);
    if (!t.owner().equals(owner)) {
      return Future.failedFuture(new TaskRejected(Reason.NOT_FOUND, "There is no task '" + id + "' for this key."));
    }
    if (id.equals("t_slow")) {
      Promise<Task> later = Promise.promise();
      nodeB.setTimer(TIMEOUT.toMillis() * 2, x -> later.complete(t));
      return later.future();
    }
    if (command == Command.CONFIRM && t.state() == TaskState.AWAITING_CONFIRMATION) {
      confirmedOnB.incrementAndGet();
      Task running = t.withState(TaskState.RUNNING, t.seq() + 1, 1);
      tasks.put(id, running);
      return Future.succeededFuture(running);
    }
    return Future.failedFuture(new TaskRejected(Reason.WRONG_STATE, "Task '" + id + "' was confirmed already on B."));
  }

  @AfterEach
  void close(VertxTestContext ctx) throws Exception {
    db.close();
    nodeB.close().onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void a_confirm_forwarded_to_the_watching_node_gets_its_answer_and_a_second_one_its_refusal(VertxTestContext ctx) {
    callsA.forward(Command.CONFIRM, "o1", "t_wait")
        .compose(first -> {
          ctx.verify(() -> assertThat(first).map(Task::state).contains(TaskState.RUNNING));
          return callsA.forward(Command.CONFIRM, "o1", "t_wait");
        })
        .onComplete(ctx.failing(e -> ctx.verify(() -> {
          assertThat(e).isInstanceOf(TaskRejected.class).hasMessage("Task 't_wait' was confirmed already on B.");
          assertThat(((TaskRejected) e).reason()).isEqualTo(Reason.WRONG_STATE);
          assertThat(ranOnB).hasValue(2);
          assertThat(confirmedOnB).hasValue(1);
          ctx.completeNow();
        })));
  }

  @Test
  void the_watching_node_judges_the_owner_too(VertxTestContext ctx) {
    callsA.forward(Command.CANCEL, "someone-else", "t_wait").onComplete(ctx.failing(e -> ctx.verify(() -> {
      assertThat(((TaskRejected) e).reason()).isEqualTo(Reason.NOT_FOUND);
      assertThat(confirmedOnB).hasValue(0);
      ctx.completeNow();
    })));
  }

  @Test
  void a_node_that_does_not_answer_in_time_is_a_503_and_its_late_answer_is_dropped(VertxTestContext ctx) {
    long start = System.nanoTime();
    Future<Optional<Task>> gone = callsA.forward(Command.CONFIRM, "o1", "t_gone");
    Future<Optional<Task>> slow = callsA.forward(Command.CANCEL, "o1", "t_slow");
    Future.join(gone, slow).onComplete(ar -> ctx.verify(() -> {
      long ms = (System.nanoTime() - start) / 1_000_000;
      for (Future<Optional<Task>> f : java.util.List.of(gone, slow)) {
        assertThat(f.cause()).isInstanceOf(TaskRejected.class).hasMessageContaining("did not answer");
        assertThat(((TaskRejected) f.cause()).reason().status).isEqualTo(503);
      }
      assertThat(ms).isBetween(TIMEOUT.toMillis() - 50, TIMEOUT.toMillis() * 2);
      // B's late answer arrives after the caller was told; it changes nothing and fails nothing
      nodeB.setTimer(TIMEOUT.toMillis() * 2, x -> ctx.verify(() -> {
        assertThat(ranOnB).hasValue(1);
        ctx.completeNow();
      }));
    }));
  }

  @Test
  void a_task_this_node_or_no_node_watches_is_not_forwarded(VertxTestContext ctx) {
    Future.all(callsA.forward(Command.CANCEL, "o1", "t_mine"), callsA.forward(Command.CANCEL, "o1", "t_unknown"))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          assertThat(all.<Optional<Task>>resultAt(0)).isEmpty();
          assertThat(all.<Optional<Task>>resultAt(1)).isEmpty();
          assertThat(ranOnB).hasValue(0);
          ctx.completeNow();
        })));
  }
}
