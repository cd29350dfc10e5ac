package dev.skillhost.feishu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.api.ProviderException;
import dev.skillhost.feishu.support.TestMedia;
import dev.skillhost.simulators.Faults;
import dev.skillhost.simulators.feishu.FeishuSimulator;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Each kind of Feishu failure leaves as the ProviderException the host's outbox acts on. */
class FeishuErrorsTest extends FeishuTestBase {

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void missing_credentials_are_a_config_problem_and_deliveries_are_rejected(VertxTestContext tc) throws Exception {
    ctx.secret("FEISHU_APP_SECRET", "");
    assertThat(channel.configProblem(ctx)).hasValueSatisfying(p -> assertThat(p).contains("FEISHU_APP_SECRET"));
    channel.deliver(delivery(CHAT, "x"), ctx).onComplete(tc.failing(e -> tc.verify(() -> {
      assertThat(((ProviderException) e).rejected()).isTrue();
      assertThat(((ProviderException) e).code()).isEqualTo("not_configured");
      assertThat(sim.requests(FeishuSimulator.TOKEN)).isZero();
      tc.completeNow();
    })));
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void configured_credentials_leave_no_config_problem(VertxTestContext tc) {
    assertThat(channel.configProblem(ctx)).isEmpty();
    ctx.config(new JsonObject().put("base_url", "ftp://nowhere"));
    assertThat(channel.configProblem(ctx)).hasValueSatisfying(p -> assertThat(p).contains("base_url"));
    tc.completeNow();
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void a_wrong_app_secret_is_rejected_without_retry(VertxTestContext tc) {
    ctx.secret("FEISHU_APP_SECRET", "not-the-secret");
    channel.deliver(delivery(CHAT, "x"), ctx).onComplete(tc.failing(e -> tc.verify(() -> {
      assertRejected(e, "10014");
      assertThat(sim.requests(FeishuSimulator.TOKEN)).isEqualTo(1);
      tc.completeNow();
    })));
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void a_missing_scope_is_rejected(VertxTestContext tc) throws Exception {
    sim.denyScope(FeishuSimulator.FILES, "im:resource");
    String file = ctx.put(TestMedia.mp4(1_000, 64));
    channel.deliver(delivery(CHAT, "x", video(file)), ctx).onComplete(tc.failing(e -> tc.verify(() -> {
      assertRejected(e, "99991672");
      assertThat(e.getMessage()).contains("im:resource");
      assertThat(sim.messages()).isEmpty();
      tc.completeNow();
    })));
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void a_chat_the_bot_is_not_in_is_rejected(VertxTestContext tc) {
    channel.deliver(delivery("oc_somewhere_else", "x"), ctx).onComplete(tc.failing(e -> tc.verify(() -> {
      assertRejected(e, "230002");
      tc.completeNow();
    })));
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void a_rate_limit_is_retryable_after_the_gateways_reset(VertxTestContext tc) {
    sim.rateLimit(FeishuSimulator.MESSAGES, 1, 60_000);
    channel.deliver(delivery(CHAT, "first"), ctx)
        .compose(r -> channel.deliver(delivery(CHAT, "second"), ctx))
        .onComplete(tc.failing(e -> tc.verify(() -> {
          ProviderException p = (ProviderException) e;
          assertThat(p.rejected()).isFalse();
          assertThat(p.code()).isEqualTo("99991400");
          assertThat(p.httpStatus()).isEqualTo(429);
          assertThat(p.retryAfter()).isBetween(java.time.Duration.ofSeconds(50), java.time.Duration.ofSeconds(60));
          assertThat(sim.messages(CHAT)).hasSize(1);
          tc.completeNow();
        })));
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void a_server_error_is_retryable_and_the_retry_goes_through(VertxTestContext tc) throws Exception {
    String file = ctx.put(TestMedia.mp4(1_000, 64));
    sim.faults().next(FeishuSimulator.FILES, new Faults.Status(503, "{\"code\":1500,\"msg\":\"internal error\"}", null));
    var d = delivery(CHAT, "x", video(file));
    channel.deliver(d, ctx)
        .recover(e -> {
          tc.verify(() -> {
            ProviderException p = (ProviderException) e;
            assertThat(p.rejected()).isFalse();
            assertThat(p.httpStatus()).isEqualTo(503);
          });
          return channel.deliver(d, ctx);
        })
        .onComplete(tc.succeeding(r -> tc.verify(() -> {
          assertThat(sim.requests(FeishuSimulator.FILES)).isEqualTo(2);
          assertThat(sim.messages(CHAT)).hasSize(1);
          tc.completeNow();
        })));
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void a_connection_reset_and_a_malformed_answer_are_retryable(VertxTestContext tc) {
    sim.faults().next(FeishuSimulator.TOKEN, new Faults.ResetBefore());
    sim.faults().next(FeishuSimulator.MESSAGES, new Faults.Malformed());
    channel.deliver(delivery(CHAT, "x"), ctx)
        .recover(e -> {
          tc.verify(() -> assertThat(((ProviderException) e).code()).isEqualTo("network"));
          tc.verify(() -> assertThat(((ProviderException) e).rejected()).isFalse());
          return channel.deliver(delivery(CHAT, "y"), ctx);
        })
        .onComplete(tc.failing(e -> tc.verify(() -> {
          assertThat(((ProviderException) e).code()).isEqualTo("malformed");
          assertThat(((ProviderException) e).rejected()).isFalse();
          tc.completeNow();
        })));
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void an_unknown_receive_id_type_is_rejected_before_any_call(VertxTestContext tc) {
    var d = delivery("d-bad-type-0001", CHAT, "x", new JsonObject().put("receive_id_type", "phone"));
    channel.deliver(d, ctx).onComplete(tc.failing(e -> tc.verify(() -> {
      assertRejected(e, "bad_receive_id_type");
      assertThat(sim.requests(FeishuSimulator.TOKEN)).isZero();
      tc.completeNow();
    })));
  }

  private static void assertRejected(Throwable e, String code) {
    assertThat(e).isInstanceOf(ProviderException.class);
    ProviderException p = (ProviderException) e;
    assertThat(p.code()).isEqualTo(code);
    assertThat(p.rejected()).as("rejected: %s", p).isTrue();
  }
}
