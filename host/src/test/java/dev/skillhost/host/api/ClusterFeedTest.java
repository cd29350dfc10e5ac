package dev.skillhost.host.api;

import static dev.skillhost.host.cluster.PgLog.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.host.cluster.ClusterVerticle;
import dev.skillhost.host.cluster.NotifyHook;
import dev.skillhost.host.cluster.PgLog;
import dev.skillhost.host.store.Task;
import dev.skillhost.host.store.TaskEvent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The stream a client reads on node B (the feed SSE and WebSocket share) of a task node A writes,
 * across a kill of B's LISTEN connection that loses the task's last events, its terminal one
 * included: the feed still sends every seq once, in order, and ends.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class ClusterFeedTest {

  @Test
  void a_feed_on_node_b_sends_every_event_of_a_task_node_a_writes_through_a_lost_connection(Vertx vertx,
      VertxTestContext ctx) throws Exception {
    PgLog log = PgLog.create(vertx);
    Vertx nodeB = Vertx.vertx();
    ClusterVerticle clusterB = new ClusterVerticle("n_b", log.connector(), log,
        id -> Future.succeededFuture(Optional.empty()), id -> Future.succeededFuture(Optional.empty()),
        (c, o, id) -> Future.failedFuture("no engine on B"));
    NotifyHook hookA = new NotifyHook("n_a");
    Task t = PgLog.task("t_feed", "o1");
    List<Long> written = new CopyOnWriteArrayList<>();
    Promise<Void> cut = Promise.promise();
    Promise<Void> ended = Promise.promise();
    TaskFeed.Sink sink = new TaskFeed.Sink() {
      @Override
      public boolean write(TaskEvent event) {
        written.add(event.seq());
        if (event.seq() == 20) {
          nodeB.executeBlocking(() -> log.terminate(clusterB.listenerName())).onComplete(ar -> cut.handle(ar.mapEmpty()));
        }
        return true;
      }

      @Override
      public void end() {
        ended.complete();
      }
    };
    // the first 5 are stored before the feed opens: its replay sends them, live ones follow
    Future<Void> writes = Future.succeededFuture();
    for (long seq = 1; seq <= 5; seq++) {
      long s = seq;
      writes = writes.compose(v -> log.append(t, List.of(event("t_feed", s, false)), hookA));
    }
    Promise<Void> opened = Promise.promise();
    writes.compose(v -> nodeB.deployVerticle(clusterB))
        .onSuccess(v -> nodeB.runOnContext(go -> TaskFeed.open(nodeB, (after, limit) -> log.events("t_feed", after, limit),
            "t_feed", 0, sink).onComplete(ar -> opened.handle(ar.mapEmpty()))))
        .onFailure(ctx::failNow);
    opened.future().compose(v -> {
      Future<Void> live = Future.succeededFuture();
      for (long seq = 6; seq <= 20; seq++) {
        long s = seq;
        live = live.compose(x -> log.append(t, List.of(event("t_feed", s, false)), hookA));
      }
      return live;
    }).compose(v -> cut.future()).compose(v -> {
      Future<Void> rest = Future.succeededFuture();
      for (long seq = 21; seq <= 80; seq++) {
        long s = seq;
        rest = rest.compose(x -> log.append(t, List.of(event("t_feed", s, s == 80)), hookA));
      }
      return rest;
    }).onFailure(ctx::failNow);
    ended.future().onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      assertThat(written).isEqualTo(LongStream.rangeClosed(1, 80).boxed().toList());
      assertThat(clusterB.connections()).isGreaterThanOrEqualTo(2);
      log.close();
      nodeB.close().onComplete(ctx.succeedingThenComplete());
    })));
  }
}
