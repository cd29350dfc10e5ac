package dev.skillhost.contract.libtv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.simulators.Faults;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Faults on the wire never send a message twice; reads are retried; every task ends. */
class LibTvFaultsContractTest extends LibTvContractBase {

  @Test
  @Timeout(value = 40, timeUnit = TimeUnit.SECONDS)
  void a_lost_answer_to_the_spending_message_is_never_resent(VertxTestContext ctx) {
    sim.faults().next("POST /openapi/session", new Faults.ResetAfter())
        .next("POST /openapi/session", new Faults.Status(500, "{\"code\":500,\"message\":\"Service temporarily unavailable\"}", null))
        .next("POST /openapi/session", new Faults.ResetBefore());
    startHost(DIRECT_KEY)
        .compose(h -> run(task("t2v", new JsonObject().put("prompt", "lost answer one"), "en")))
        .compose(first -> run(task("t2v", new JsonObject().put("prompt", "lost answer two"), "zh")).map(second -> {
          ctx.verify(() -> {
            // the backend received the first and spent; the host could not know, so it asked instead of re-sending
            assertThat(first.getString("state")).as(first.encode()).isEqualTo("failed");
            assertThat(first.getJsonObject("error").getString("code")).isEqualTo("submission_unknown");
            assertThat(second.getString("state")).as(second.encode()).isEqualTo("failed");
          });
          return second;
        }))
        .compose(v -> run(task("t2v", new JsonObject().put("prompt", "lost answer three"), "en")))
        .compose(third -> run(task("t2v", new JsonObject().put("prompt", "fine at last"), "en")).map(fine -> {
          ctx.verify(() -> {
            assertThat(third.getString("state")).as(third.encode()).isEqualTo("failed");
            assertThat(fine.getString("state")).as(fine.encode()).isEqualTo("succeeded");
            assertThat(sim.requests("POST /openapi/session")).as("one request per task, none repeated").isEqualTo(4);
            assertThat(sim.spends().count("lost answer one, video ratio 9:16")).isEqualTo(1);
            assertThat(sim.spends().count("lost answer two, video ratio 9:16")).isZero();
            assertThat(sim.spends().count("lost answer three, video ratio 9:16")).isZero();
            assertThat(sim.spends().total()).isEqualTo(2);
            assertThat(sim.spends().repeated()).isEmpty();
          });
          return fine;
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @Timeout(value = 40, timeUnit = TimeUnit.SECONDS)
  void faulty_looks_are_retried_and_the_task_succeeds_with_one_spend(VertxTestContext ctx) {
    String route = "GET /libtv/v1/session/{id}";
    // in a row: the host counts consecutive faults against the skill's retry budget (429: 3)
    sim.faults().next(route, new Faults.ResetBefore())
        .next(route, new Faults.Malformed())
        .next(route, new Faults.Status(429, "{\"error\":{\"user_message\":\"Too many requests\"}}", 1))
        .next(route, new Faults.Slow(200));
    startHost(GATEWAY_KEY)
        .compose(h -> run(task("t2v", new JsonObject().put("prompt", "through the storm"), "en")))
        .onComplete(ctx.succeeding(t -> ctx.verify(() -> {
          assertThat(t.getString("state")).as(t.encode()).isEqualTo("succeeded");
          assertThat(sim.requests(route)).as("every fault was met, then a good look").isGreaterThanOrEqualTo(4);
          assertThat(sim.faults().take(route)).as("no fault left unused").isNull();
          assertThat(sim.spends().total()).isEqualTo(1);
          assertThat(sim.spends().repeated()).isEmpty();
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void rate_limits_answer_429_with_retry_after_which_is_obeyed(VertxTestContext ctx) {
    sim.rateLimit(3, 1000, 1);
    startHost(DIRECT_KEY)
        .compose(h -> run(task("t2v", new JsonObject().put("prompt", "patience"), "en")))
        .compose(ok -> {
          ctx.verify(() -> {
            assertThat(ok.getString("state")).as(ok.encode()).isEqualTo("succeeded");
            assertThat(sim.spends().total()).isEqualTo(1);
          });
          // every request refused for a while: a submit refused with 429 spent nothing, so the host
          // waits as Retry-After says and sends it again
          sim.rateLimit(0, 60_000, 1);
          vertx.setTimer(1_500, t -> sim.rateLimit(Integer.MAX_VALUE, 1000, 1));
          return run(task("t2v", new JsonObject().put("prompt", "later"), "en"));
        })
        .compose(later -> events(later.getString("id")).map(ev -> {
          ctx.verify(() -> {
            assertThat(later.getString("state")).as(later.encode()).isEqualTo("succeeded");
            assertThat(ev.encode()).contains("nothing was spent");
            assertThat(sim.spends().count("later, video ratio 9:16")).isEqualTo(1);
          });
          sim.rateLimit(0, 600_000, 1); // never lifted: the task ends, mapped, in the user's language
          return later;
        }))
        .compose(v -> run(task("t2v", new JsonObject().put("prompt", "refused"), "zh")))
        .onComplete(ctx.succeeding(refused -> ctx.verify(() -> {
          assertFailed(refused, "rate_limited", "请求过于频繁");
          assertThat(refused.getJsonObject("error").getInteger("http_status")).isEqualTo(429);
          assertThat(sim.spends().total()).isEqualTo(2);
          assertThat(sim.spends().repeated()).isEmpty();
          ctx.completeNow();
        })));
  }
}
