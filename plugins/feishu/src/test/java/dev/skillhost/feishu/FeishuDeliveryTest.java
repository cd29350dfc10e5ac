package dev.skillhost.feishu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.api.Delivery;
import dev.skillhost.api.Output;
import dev.skillhost.feishu.support.TestMedia;
import dev.skillhost.simulators.feishu.FeishuMessage;
import dev.skillhost.simulators.feishu.FeishuSimulator;
import dev.skillhost.simulators.feishu.FeishuUpload;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What a delivery posts: the native message per output kind, with the uploads it needs. */
class FeishuDeliveryTest extends FeishuTestBase {

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void an_mp4_goes_up_with_its_duration_and_lands_as_one_media_message(VertxTestContext tc) throws Exception {
    byte[] mp4 = TestMedia.mp4(5_400, 4096);
    String file = ctx.put(mp4);
    Delivery d = delivery(CHAT, "🎬 Video generated", video(file));
    channel.deliver(d, ctx).onComplete(tc.succeeding(receipt -> tc.verify(() -> {
      List<FeishuMessage> inChat = sim.messages(CHAT);
      assertThat(inChat).hasSize(1);
      FeishuMessage m = inChat.get(0);
      assertThat(m.msgType()).isEqualTo("media");
      assertThat(m.uuid()).isEqualTo(d.id());
      assertThat(receipt.messageId()).isEqualTo(m.messageId());
      assertThat(receipt.details().getString("chat_id")).isEqualTo(CHAT);
      FeishuUpload up = sim.file(m.content().getString("file_key"));
      assertThat(up.fileType()).isEqualTo("mp4");
      assertThat(up.durationMs()).isEqualTo(5_400);
      assertThat(up.size()).isEqualTo(mp4.length);
      assertThat(up.sha256()).isEqualTo(sha256(mp4));
      assertThat(up.fileName()).endsWith(".mp4");
      assertThat(sim.tokensIssued()).isEqualTo(1);
      tc.completeNow();
    })));
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void the_hosts_probed_duration_wins_over_the_file_header(VertxTestContext tc) throws Exception {
    String file = ctx.put(TestMedia.mp4(5_400, 64));
    Output probed = new Output("video", file, null, "video/mp4", new JsonObject().put("duration_ms", 5_123));
    channel.deliver(delivery(CHAT, "done", probed), ctx).onComplete(tc.succeeding(r -> tc.verify(() -> {
      FeishuMessage m = sim.messages(CHAT).get(0);
      assertThat(sim.file(m.content().getString("file_key")).durationMs()).isEqualTo(5_123);
      tc.completeNow();
    })));
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void an_image_is_uploaded_and_posted_as_an_image_message(VertxTestContext tc) throws Exception {
    byte[] png = TestMedia.png(32, 24);
    String file = ctx.put(png);
    Output image = new Output("image", file, null, "image/png", null);
    channel.deliver(delivery(CHAT, "🖼 Image generated", image), ctx).onComplete(tc.succeeding(r -> tc.verify(() -> {
      List<FeishuMessage> inChat = sim.messages(CHAT);
      assertThat(inChat).extracting(FeishuMessage::msgType).containsExactly("image");
      FeishuUpload up = sim.image(inChat.get(0).content().getString("image_key"));
      assertThat(up.size()).as("size").isEqualTo(png.length);
      assertThat(up.sha256()).isEqualTo(sha256(png));
      tc.completeNow();
    })));
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void an_output_without_a_host_file_is_sent_as_a_text_link(VertxTestContext tc) {
    Output remote = new Output("video", null, "https://cdn.example.test/r/clip.mp4", "video/mp4", null);
    channel.deliver(delivery(CHAT, "🎬 Video generated", remote), ctx).onComplete(tc.succeeding(r -> tc.verify(() -> {
      List<FeishuMessage> inChat = sim.messages(CHAT);
      assertThat(inChat).extracting(FeishuMessage::msgType).containsExactly("text");
      assertThat(inChat.get(0).content().getString("text"))
          .isEqualTo("🎬 Video generated\nhttps://cdn.example.test/r/clip.mp4");
      assertThat(sim.requests(FeishuSimulator.FILES)).isZero();
      tc.completeNow();
    })));
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void a_file_over_feishus_limit_goes_as_its_link(VertxTestContext tc) throws Exception {
    String file = ctx.put(TestMedia.mp4(1_000, 2048));
    ctx.config(ctx.config().put("max_file_bytes", 1024));
    channel.deliver(delivery(CHAT, "big", video(file)), ctx).onComplete(tc.succeeding(r -> tc.verify(() -> {
      assertThat(sim.messages(CHAT)).extracting(FeishuMessage::msgType).containsExactly("text");
      assertThat(sim.messages(CHAT).get(0).content().getString("text")).contains("https://cdn.example.test/v.mp4");
      assertThat(sim.requests(FeishuSimulator.FILES)).isZero();
      tc.completeNow();
    })));
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void a_failed_task_sends_its_message_as_text(VertxTestContext tc) {
    channel.deliver(delivery(CHAT, "Generation failed: out of credits."), ctx)
        .onComplete(tc.succeeding(r -> tc.verify(() -> {
          assertThat(sim.messages(CHAT)).extracting(m -> m.content().getString("text"))
              .containsExactly("Generation failed: out of credits.");
          tc.completeNow();
        })));
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void several_outputs_post_in_order_each_with_its_own_uuid(VertxTestContext tc) throws Exception {
    String v = ctx.put(TestMedia.mp4(2_000, 128));
    String i = ctx.put(TestMedia.png(8, 8));
    String other = ctx.put("plain words".getBytes());
    Delivery d = delivery("d-0001-several", CHAT, "here", new JsonObject().put("caption", true),
        video(v), new Output("image", i, null, "image/png", null), new Output("text", other, null, "text/plain", null));
    channel.deliver(d, ctx).onComplete(tc.succeeding(r -> tc.verify(() -> {
      List<FeishuMessage> inChat = sim.messages(CHAT);
      assertThat(inChat).extracting(FeishuMessage::msgType).containsExactly("media", "image", "file", "text");
      assertThat(inChat).extracting(FeishuMessage::uuid)
          .containsExactly("d-0001-several", "d-0001-several-1", "d-0001-several-2", "d-0001-several-3");
      assertThat(sim.file(inChat.get(2).content().getString("file_key")).fileType()).isEqualTo("stream");
      assertThat(r.details().getJsonArray("messages")).hasSize(4);
      tc.completeNow();
    })));
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void an_open_id_is_messaged_as_a_user(VertxTestContext tc) throws Exception {
    String user = "ou_33314772052f837a3cb2f919aa4605de";
    sim.user(user);
    String file = ctx.put(TestMedia.mp4(1_000, 64));
    channel.deliver(delivery(user, "done", video(file)), ctx).onComplete(tc.succeeding(r -> tc.verify(() -> {
      assertThat(r.details().getString("receive_id_type")).isEqualTo("open_id");
      assertThat(sim.messages(user)).extracting(FeishuMessage::msgType).containsExactly("media");
      tc.completeNow();
    })));
  }

  static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }
}
