package dev.skillhost.host.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.api.RateBucket;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Several nodes, each with its own connection to one real PostgreSQL, share a limit through the
 * rate ledger: together they never make more calls in any window than the limit allows, and a
 * node's unspent grants lapse and go back to the others.
 */
@ExtendWith(VertxExtension.class)
class SharedRateWindowsTest {

  private static final String ACCOUNT = "metered:default";
  private static final RateBucket.Call POLL = RateBucket.Call.POLL;

  /** One node: its own ledger and windows on its own context, taking a call every time it is let. */
  private static final class Node extends VerticleBase {
    final LedgerDb db;
    final List<RateBucket> buckets;
    final List<Long> spent = Collections.synchronizedList(new ArrayList<>());
    RateLedger ledger;
    SharedRateWindows windows;

    Node(LedgerDb db, RateBucket... buckets) {
      this.db = db;
      this.buckets = List.of(buckets);
    }

    @Override
    public Future<?> start() {
      ledger = RateLedger.open(vertx, db.connector());
      windows = new SharedRateWindows(vertx, ledger, System::currentTimeMillis);
      spendAll();
      return Future.succeededFuture();
    }

    /** Spends grants while there are any (eight calls want to go), then comes back when told. */
    private void spendAll() {
      long now = System.currentTimeMillis();
      long wait;
      while ((wait = windows.take(ACCOUNT, buckets, POLL, now, 8)) == 0) {
        spent.add(now);
      }
      vertx.setTimer(wait, t -> spendAll());
    }

    @Override
    public Future<?> stop() {
      windows.close();
      return vertx.executeBlocking(() -> {
        ledger.close();
        return null;
      });
    }
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void three_nodes_racing_for_thirty_calls_in_three_seconds_never_make_more_in_any_window(Vertx vertx,
      VertxTestContext ctx) {
    RateBucket reads = new RateBucket("reads", 30, Duration.ofSeconds(3), Set.of(POLL));
    List<Node> nodes = new ArrayList<>();
    vertx.executeBlocking(LedgerDb::create)
        .compose(db -> {
          for (int i = 0; i < 3; i++) {
            nodes.add(new Node(db, reads));
          }
          return Future.all(nodes.stream().map(vertx::deployVerticle).toList())
              .compose(ids -> vertx.timer(10_000))
              .compose(v -> Future.all(undeployAll(vertx)))
              .compose(v -> vertx.executeBlocking(() -> db.stamps(SharedRateWindows.line(ACCOUNT, reads).key())));
        })
        .onComplete(ctx.succeeding(stamps -> ctx.verify(() -> {
          List<Long> all = new ArrayList<>();
          nodes.forEach(n -> all.addAll(n.spent));
          Collections.sort(all);
          // the backend's view: calls inside any 3 s, and the ledger's own rows by their stamps
          assertThat(LedgerDb.mostInWindow(all, 3_000)).isLessThanOrEqualTo(30);
          assertThat(LedgerDb.mostInWindow(stamps, 3_000)).isLessThanOrEqualTo(30);
          // spaced, not in one burst: a tenth of the limit in a tenth of the window, counted by grant
          // time (a call goes within 0.375 s of its grant, so 3 per 300 ms by grant is at most 9 by send)
          assertThat(LedgerDb.mostInWindow(all, 300)).isLessThanOrEqualTo(9);
          // over three windows and more, the nodes got most of what the ledger may give: each slot
          // is held for its window plus its 0.75 s validity, so about 30 per 3.75 s
          assertThat(all.size()).as("calls in 10 s").isGreaterThanOrEqualTo(55);
          assertThat(nodes).allSatisfy(n -> assertThat(n.spent.size()).as("one node's calls").isPositive());
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void a_call_under_a_rate_and_a_budget_takes_a_slot_in_both(Vertx vertx, VertxTestContext ctx) {
    RateBucket rate = new RateBucket("minute", 10, Duration.ofSeconds(2), Set.of(POLL));
    RateBucket budget = new RateBucket("hour", 25, Duration.ofMinutes(5), Set.of(POLL, RateBucket.Call.SUBMIT));
    List<Node> nodes = new ArrayList<>();
    vertx.executeBlocking(LedgerDb::create)
        .compose(db -> {
          for (int i = 0; i < 3; i++) {
            nodes.add(new Node(db, rate, budget));
          }
          return Future.all(nodes.stream().map(vertx::deployVerticle).toList())
              .compose(ids -> vertx.timer(10_000))
              .compose(v -> Future.all(undeployAll(vertx)))
              .compose(v -> vertx.executeBlocking(() -> List.of(
                  db.stamps(SharedRateWindows.line(ACCOUNT, rate).key()),
                  db.stamps(SharedRateWindows.line(ACCOUNT, budget).key()))));
        })
        .onComplete(ctx.succeeding(stamps -> ctx.verify(() -> {
          List<Long> all = new ArrayList<>();
          nodes.forEach(n -> all.addAll(n.spent));
          Collections.sort(all);
          assertThat(LedgerDb.mostInWindow(all, 2_000)).isLessThanOrEqualTo(10);
          // the budget ran out: 25 calls in all, each holding a slot in the rate's line too
          assertThat(all).hasSize(25);
          // every grant not spent was given back (the rate's rows may be swept once they stop counting)
          assertThat(stamps.get(1)).hasSize(25);
          assertThat(stamps.get(0)).hasSizeLessThanOrEqualTo(25);
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void grants_a_node_does_not_spend_lapse_and_go_to_another_node(Vertx vertx, VertxTestContext ctx) {
    RateBucket budget = new RateBucket("budget", 3, Duration.ofMinutes(2), Set.of(POLL));
    List<RateLedger> ledgers = new ArrayList<>();
    List<Long> bSpent = new ArrayList<>();
    Context context = vertx.getOrCreateContext();
    Promise<Long> aAfterLapse = Promise.promise();
    long[] aHeldAt = {-1};
    Promise<Void> done = Promise.promise();
    vertx.executeBlocking(LedgerDb::create).onComplete(ctx.succeeding(db -> context.runOnContext(x -> {
      ledgers.add(RateLedger.open(vertx, db.connector()));
      ledgers.add(RateLedger.open(vertx, db.connector()));
      SharedRateWindows a = new SharedRateWindows(vertx, ledgers.get(0), System::currentTimeMillis);
      SharedRateWindows b = new SharedRateWindows(vertx, ledgers.get(1), System::currentTimeMillis);
      long start = System.currentTimeMillis();
      long lapsed = SharedRateWindows.spendWithin(SharedRateWindows.line(ACCOUNT, budget));
      a.peek(ACCOUNT, List.of(budget), POLL, start, 3); // A asks for the whole budget and holds it
      vertx.setPeriodic(20, t -> {
        long now = System.currentTimeMillis();
        if (aHeldAt[0] < 0 && a.peek(ACCOUNT, List.of(budget), POLL, now, 3) == 0) {
          aHeldAt[0] = now - start;
        }
        // once A holds its grants, B wants one call every 20 ms
        if (aHeldAt[0] >= 0 && b.take(ACCOUNT, List.of(budget), POLL, now, 1) == 0) {
          bSpent.add(now - start);
        }
        if (!aAfterLapse.future().isComplete() && now - start > lapsed + 20) {
          aAfterLapse.complete(a.take(ACCOUNT, List.of(budget), POLL, now, 1));
        }
        if (now - start > 6_000) {
          vertx.cancelTimer(t);
          a.close();
          b.close();
          done.complete();
        }
      });
    })));
    done.future()
        .compose(v -> vertx.executeBlocking(() -> {
          ledgers.forEach(RateLedger::close);
          return null;
        }))
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          long lapsed = SharedRateWindows.spendWithin(SharedRateWindows.line(ACCOUNT, budget));
          assertThat(aHeldAt[0]).as("A held the budget (ms)").isBetween(0L, lapsed);
          assertThat(aAfterLapse.future().result()).as("A's wait once its grants lapsed").isPositive();
          // B got every slot A held and let go, and not one more: the budget is 3 in two minutes
          assertThat(bSpent).hasSize(3);
          assertThat(bSpent.get(0)).as("B's first call (ms after A asked)").isGreaterThanOrEqualTo(lapsed);
          ctx.completeNow();
        })));
  }

  private static List<Future<Void>> undeployAll(Vertx vertx) {
    return vertx.deploymentIDs().stream().map(vertx::undeploy).toList();
  }
}
