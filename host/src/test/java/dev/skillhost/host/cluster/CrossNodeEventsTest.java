package dev.skillhost.host.cluster;

import static dev.skillhost.host.cluster.PgLog.event;
import static dev.skillhost.host.cluster.PgLog.task;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.host.store.Task;
import dev.skillhost.host.store.TaskEvent;
import dev.skillhost.host.tasks.TaskEvents;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two nodes on one PostgreSQL: node A stores events with the NOTIFY hook, node B (a Vert.x of its
 * own, with its LISTEN connection and relay) must see them on its event bus live, contiguous and
 * once each, through lost notifications, oversized events and a killed LISTEN connection.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class CrossNodeEventsTest {

  private static final String LISTENER = "skillhost-listen-n_b";

  PgLog log;
  Vertx nodeB;
  ClusterVerticle clusterB;
  EventRelay relay;
  final NotifyHook hookA = new NotifyHook("n_a");

  @BeforeEach
  void nodes(Vertx vertx, VertxTestContext ctx) throws Exception {
    log = PgLog.create(vertx);
    nodeB = Vertx.vertx();
    clusterB = new ClusterVerticle("n_b", log.connector(), log, id -> Future.succeededFuture(Optional.empty()),
        id -> Future.succeededFuture(Optional.empty()), (c, o, t) -> Future.failedFuture("no engine on B"));
    nodeB.deployVerticle(clusterB).onComplete(ctx.succeeding(id -> {
      relay = clusterB.relay();
      ctx.verify(() -> assertThat(clusterB.listenerName()).isEqualTo(LISTENER));
      ctx.completeNow();
    }));
  }

  @AfterEach
  void close(VertxTestContext ctx) throws Exception {
    log.close();
    nodeB.close().onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void events_of_a_task_on_node_a_reach_node_b_in_order_once_each_and_lost_notices_are_read(VertxTestContext ctx) {
    Seen one = seen("t_one", "o1");
    Seen two = seen("t_two", "o2");
    Seen own = seen("t_own", "o1");
    Seen owner = new Seen("o2");
    nodeB.eventBus().<TaskEvent>consumer(TaskEvents.ownerAddress("o2"), m -> owner.add(m.body()));
    Task t1 = task("t_one", "o1");
    Task t2 = task("t_two", "o2");
    // B's own events are on its bus already (its TaskLog published them): the relay skips them.
    // Stored first, so their notices are handled before any other arrives.
    Future<Void> writes = log.append(task("t_own", "o1"), List.of(event("t_own", 1, false), event("t_own", 2, true)),
        new NotifyHook("n_b"));
    for (long seq = 1; seq <= 120; seq += 3) {
      long s = seq;
      boolean lost = s == 31 || s == 61; // stored without telling anyone: B must read them
      writes = writes
          .compose(v -> log.append(t1, List.of(event("t_one", s, false), event("t_one", s + 1, false),
              event("t_one", s + 2, s + 2 == 120)), lost ? null : hookA))
          .compose(v -> log.append(t2, List.of(event("t_two", s, false)), hookA))
          .compose(v -> log.append(t2, List.of(event("t_two", s + 1, false), event("t_two", s + 2, s + 2 == 120)),
              hookA));
    }
    writes.onFailure(ctx::failNow);
    Future.all(one.done.future(), two.done.future(), owner.done.future()).onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      List<Long> all = LongStream.rangeClosed(1, 120).boxed().toList();
      assertThat(one.seqs()).isEqualTo(all);
      assertThat(two.seqs()).isEqualTo(all);
      assertThat(owner.seqs()).isEqualTo(all);
      assertThat(own.seqs()).isEmpty();
      assertThat(relay.readFromStore()).isGreaterThanOrEqualTo(6);
      ctx.completeNow();
    })));
  }

  @Test
  void an_event_too_big_for_a_notify_is_sent_without_its_body_and_read_from_the_store(VertxTestContext ctx) {
    Seen big = seen("t_big", "o1");
    TaskEvent huge = new TaskEvent("t_big", 2, TaskEvent.MESSAGE, dev.skillhost.host.store.TaskState.RUNNING, 2,
        new io.vertx.core.json.JsonObject().put("text", "é".repeat(6_000)), "a long message");
    String payload = EventNotice.encode("n_a", "o1", huge);
    ctx.verify(() -> {
      assertThat(payload).doesNotContain("\"event\"");
      assertThat(EventNotice.parse(payload).event()).isNull();
      assertThat(EventNotice.encode("n_a", "o1", event("t_big", 1, false))).contains("\"event\"");
    });
    Task t = task("t_big", "o1");
    log.append(t, List.of(event("t_big", 1, false)), hookA)
        .compose(v -> log.append(t, List.of(huge), hookA))
        .compose(v -> log.append(t, List.of(event("t_big", 3, true)), hookA))
        .onFailure(ctx::failNow);
    big.done.future().onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      assertThat(big.seqs()).containsExactly(1L, 2L, 3L);
      TaskEvent got = big.events.get(1);
      assertThat(got.data().getString("text")).hasSize(6_000);
      assertThat(got.message()).isEqualTo("a long message");
      assertThat(relay.readFromStore()).isPositive(); // seq 2, and 3 if it was stored by then
      ctx.completeNow();
    })));
  }

  @Test
  void after_its_listen_connection_is_killed_node_b_reconnects_and_still_sees_every_event_once(VertxTestContext ctx) {
    Seen seen = seen("t_cut", "o1");
    Task t = task("t_cut", "o1");
    Promise<Void> cut = Promise.promise();
    seen.onSeq(40, () -> nodeB.<Integer>executeBlocking(() -> log.terminate(LISTENER))
        .onComplete(ctx.succeeding(n -> {
          ctx.verify(() -> assertThat(n).isEqualTo(1));
          cut.complete();
        })));
    // 1..40 paced, then 41..150 as fast as the store takes them, from the moment B's connection is
    // gone: the last ones, the terminal event included, are notified while nobody of B listens
    Future<Void> writes = Future.succeededFuture();
    for (long seq = 1; seq <= 40; seq++) {
      long s = seq;
      writes = writes.compose(v -> log.append(t, List.of(event("t_cut", s, false)), hookA));
    }
    writes.compose(v -> cut.future()).compose(v -> {
      Future<Void> rest = Future.succeededFuture();
      for (long seq = 41; seq <= 150; seq++) {
        long s = seq;
        rest = rest.compose(x -> log.append(t, List.of(event("t_cut", s, s == 150)), hookA));
      }
      return rest;
    }).onFailure(ctx::failNow);
    seen.done.future().onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      assertThat(seen.seqs()).isEqualTo(LongStream.rangeClosed(1, 150).boxed().toList());
      assertThat(clusterB.connections()).isGreaterThanOrEqualTo(2);
      assertThat(relay.readFromStore()).isPositive();
      ctx.completeNow();
    })));
  }

  /** What node B's bus carries for one task. */
  private Seen seen(String task, String owner) {
    Seen s = new Seen(task);
    nodeB.eventBus().<TaskEvent>consumer(TaskEvents.taskAddress(task), m -> s.add(m.body()));
    return s;
  }

  private static final class Seen {
    final String task;
    final List<TaskEvent> events = Collections.synchronizedList(new ArrayList<>());
    final Promise<Void> done = Promise.promise();
    private long at = -1;
    private Runnable then;

    Seen(String task) {
      this.task = task;
    }

    void onSeq(long seq, Runnable action) {
      at = seq;
      then = action;
    }

    void add(TaskEvent e) {
      events.add(e);
      if (e.seq() == at) {
        then.run();
      }
      if (TaskEvent.STATE.equals(e.type()) && e.state().terminal()) {
        done.tryComplete();
      }
    }

    List<Long> seqs() {
      synchronized (events) {
        return events.stream().map(TaskEvent::seq).toList();
      }
    }
  }
}
