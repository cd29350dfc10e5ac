package dev.skillhost.host.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class UpstreamScopeTest {

  @Test
  void the_bucket_follows_the_call_through_its_timers_and_stays_behind_when_it_answers(Vertx vertx, VertxTestContext ctx) {
    Context caller = vertx.getOrCreateContext();
    caller.runOnContext(v -> {
      Future<String> seen = HostMetrics.inBucket("reads", () -> {
        String now = UpstreamScope.current();
        return vertx.timer(5).map(t -> now + "/" + UpstreamScope.current());
      });
      seen.onComplete(ctx.succeeding(inside -> ctx.verify(() -> {
        assertThat(inside).isEqualTo("reads/reads");
        assertThat(UpstreamScope.current()).isEqualTo(HostMetrics.NONE);
        assertThat(Vertx.currentContext()).isSameAs(caller);
        ctx.completeNow();
      })));
    });
  }

  @Test
  void a_call_that_throws_fails_its_future(Vertx vertx, VertxTestContext ctx) {
    vertx.getOrCreateContext().runOnContext(v -> HostMetrics.<String>inBucket("writes", () -> {
          throw new IllegalStateException("boom");
        })
        .onComplete(ctx.failing(e -> ctx.verify(() -> {
          assertThat(e).hasMessage("boom");
          ctx.completeNow();
        }))));
  }
}
