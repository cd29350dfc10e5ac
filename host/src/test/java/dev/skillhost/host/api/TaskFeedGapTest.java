package dev.skillhost.host.api;

import static dev.skillhost.host.cluster.PgLog.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.host.store.TaskEvent;
import dev.skillhost.host.tasks.TaskEvents;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A feed fills its own gaps from the stored log: live events it never got (lost on the way from
 * another node) are read before the next live one is sent, and a resync reads what the log holds
 * after the feed's last seq; every seq once, in order.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class TaskFeedGapTest {

  @Test
  void a_live_event_after_a_gap_and_a_resync_are_filled_from_the_store(Vertx vertx, VertxTestContext ctx) {
    TaskEvents.registerCodec(vertx);
    List<TaskEvent> stored = new CopyOnWriteArrayList<>(List.of(event("t_g", 1, false), event("t_g", 2, false)));
    List<Long> reads = new CopyOnWriteArrayList<>();
    TaskFeed.Reader reader = (after, limit) -> {
      reads.add(after);
      return Future.succeededFuture(stored.stream().filter(e -> e.seq() > after).limit(limit).toList());
    };
    List<Long> written = new ArrayList<>();
    Promise<Void> ended = Promise.promise();
    TaskFeed.Sink sink = new TaskFeed.Sink() {
      @Override
      public boolean write(TaskEvent event) {
        written.add(event.seq());
        return true;
      }

      @Override
      public void end() {
        ended.complete();
      }
    };
    String address = TaskEvents.taskAddress("t_g");
    vertx.runOnContext(go -> TaskFeed.open(vertx, reader, "t_g", 0, sink).onComplete(ctx.succeeding(feed -> {
      for (long seq = 3; seq <= 5; seq++) {
        stored.add(event("t_g", seq, false));
      }
      vertx.eventBus().publish(address, stored.get(4)); // 5: 3 and 4 never came live
      vertx.eventBus().publish(address, stored.get(3)); // 4, late: already sent
      vertx.setTimer(100, t -> {
        stored.add(event("t_g", 6, true)); // stored, but its live event lost
        vertx.eventBus().publish(TaskEvents.resyncAddress(), "n_b");
      });
    })));
    ended.future().onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      assertThat(written).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
      assertThat(reads).containsExactly(0L, 2L, 5L);
      ctx.completeNow();
    })));
  }
}
