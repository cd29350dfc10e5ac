package dev.skillhost.feishu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.api.Delivery;
import dev.skillhost.feishu.support.TestMedia;
import dev.skillhost.simulators.Faults;
import dev.skillhost.simulators.feishu.FeishuMessage;
import dev.skillhost.simulators.feishu.FeishuSimulator;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The tenant token's life, and the uuid that keeps a re-delivery from posting twice. */
class FeishuTokenAndDedupeTest extends FeishuTestBase {

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void one_token_serves_many_deliveries_and_an_expired_one_is_refreshed_once(VertxTestContext tc) throws Exception {
    String file = ctx.put(TestMedia.mp4(1_000, 64));
    channel.deliver(delivery(CHAT, "1", video(file)), ctx)
        .compose(r -> channel.deliver(delivery(CHAT, "2", video(file)), ctx))
        .compose(r -> {
          tc.verify(() -> assertThat(sim.tokensIssued()).isEqualTo(1));
          sim.expireTokens();
          return channel.deliver(delivery(CHAT, "3", video(file)), ctx);
        })
        .onComplete(tc.succeeding(r -> tc.verify(() -> {
          assertThat(sim.tokensIssued()).isEqualTo(2);
          assertThat(sim.messages(CHAT)).hasSize(3);
          // the upload met the expired token first, was refused, and went again with the new one
          assertThat(sim.requests(FeishuSimulator.FILES)).isEqualTo(4);
          tc.completeNow();
        })));
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void a_token_near_its_end_is_replaced_before_use(VertxTestContext tc) throws Exception {
    sim.tokenTtl(java.time.Duration.ofSeconds(2));
    String file = ctx.put(TestMedia.mp4(1_000, 64));
    channel.deliver(delivery(CHAT, "1", video(file)), ctx)
        .compose(r -> ctx.vertx().timer(2_100))
        .compose(t -> channel.deliver(delivery(CHAT, "2", video(file)), ctx))
        .onComplete(tc.succeeding(r -> tc.verify(() -> {
          assertThat(sim.tokensIssued()).isEqualTo(2);
          // no call was refused for an expired token: the cache knew its lifetime
          assertThat(sim.requests(FeishuSimulator.FILES)).isEqualTo(2);
          tc.completeNow();
        })));
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void concurrent_deliveries_share_one_token_fetch(VertxTestContext tc) throws Exception {
    String file = ctx.put(TestMedia.mp4(1_000, 64));
    Future.all(channel.deliver(delivery(CHAT, "a", video(file)), ctx),
            channel.deliver(delivery(CHAT, "b", video(file)), ctx),
            channel.deliver(delivery(CHAT, "c", video(file)), ctx))
        .onComplete(tc.succeeding(r -> tc.verify(() -> {
          assertThat(sim.requests(FeishuSimulator.TOKEN)).isEqualTo(1);
          assertThat(sim.messages(CHAT)).hasSize(3);
          tc.completeNow();
        })));
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void the_same_delivery_twice_posts_one_message(VertxTestContext tc) throws Exception {
    String file = ctx.put(TestMedia.mp4(1_000, 64));
    Delivery d = delivery(CHAT, "once", video(file));
    channel.deliver(d, ctx)
        .compose(first -> channel.deliver(d, ctx).map(second -> {
          tc.verify(() -> assertThat(second.messageId()).isEqualTo(first.messageId()));
          return second;
        }))
        .onComplete(tc.succeeding(r -> tc.verify(() -> {
          assertThat(sim.messages(CHAT)).hasSize(1);
          assertThat(sim.deduplicated()).isEqualTo(1);
          tc.completeNow();
        })));
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void a_send_lost_after_feishu_posted_it_is_redelivered_without_a_second_message(VertxTestContext tc)
      throws Exception {
    String file = ctx.put(TestMedia.mp4(1_000, 64));
    Delivery d = delivery(CHAT, "lost answer", video(file));
    sim.faults().next(FeishuSimulator.MESSAGES, new Faults.ResetAfter());
    channel.deliver(d, ctx)
        .map(r -> (Throwable) null)
        .recover(e -> Future.succeededFuture(e))
        .compose(e -> {
          tc.verify(() -> assertThat(e).isInstanceOf(dev.skillhost.api.ProviderException.class)
              .matches(x -> !((dev.skillhost.api.ProviderException) x).rejected(), "retryable"));
          tc.verify(() -> assertThat(sim.messages(CHAT)).hasSize(1));
          return channel.deliver(d, ctx);
        })
        .onComplete(tc.succeeding(r -> tc.verify(() -> {
          assertThat(sim.messages(CHAT)).extracting(FeishuMessage::msgType).containsExactly("media");
          assertThat(r.messageId()).isEqualTo(sim.messages(CHAT).get(0).messageId());
          tc.completeNow();
        })));
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void a_delivery_id_longer_than_feishus_uuid_is_digested_the_same_way_each_time(VertxTestContext tc)
      throws Exception {
    String file = ctx.put(TestMedia.mp4(1_000, 64));
    Delivery d = delivery("dlv_" + "x".repeat(60), CHAT, "long", new JsonObject(), video(file));
    channel.deliver(d, ctx).compose(r -> channel.deliver(d, ctx))
        .onComplete(tc.succeeding(r -> tc.verify(() -> {
          assertThat(sim.messages(CHAT)).hasSize(1);
          assertThat(sim.messages(CHAT).get(0).uuid()).hasSizeLessThanOrEqualTo(50);
          tc.completeNow();
        })));
  }
}
