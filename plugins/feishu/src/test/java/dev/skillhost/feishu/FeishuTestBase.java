package dev.skillhost.feishu;

import dev.skillhost.api.Delivery;
import dev.skillhost.api.Output;
import dev.skillhost.feishu.support.TestContext;
import dev.skillhost.simulators.feishu.FeishuSimulator;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A Feishu simulator with one app and one chat the bot is in, and the channel configured for it. */
@ExtendWith(VertxExtension.class)
abstract class FeishuTestBase {

  static final String APP_ID = "cli_a1b2c3d4e5f60001";
  static final String APP_SECRET = "s3cr3t-for-tests";
  static final String CHAT = "oc_5ad11d72b830411d72b836c20";

  @TempDir
  Path dir;
  FeishuSimulator sim;
  TestContext ctx;
  final FeishuChannel channel = new FeishuChannel();

  @BeforeEach
  void startSimulator(Vertx vertx, VertxTestContext tc) throws Exception {
    ctx = new TestContext(vertx, dir).secret("FEISHU_APP_ID", APP_ID).secret("FEISHU_APP_SECRET", APP_SECRET);
    FeishuSimulator.start(vertx, new JsonObject().put("app_id", APP_ID).put("app_secret", APP_SECRET)
            .put("chats", List.of(CHAT)))
        .onSuccess(s -> {
          sim = s;
          ctx.config(new JsonObject().put("base_url", s.baseUrl()));
        })
        .onComplete(tc.succeedingThenComplete());
  }

  @AfterEach
  void stopSimulator(VertxTestContext tc) {
    ctx.close().eventually(() -> sim.close()).onComplete(tc.succeedingThenComplete());
  }

  static Delivery delivery(String chat, String text, Output... outputs) {
    return delivery(UUID.randomUUID().toString(), chat, text, new JsonObject(), outputs);
  }

  static Delivery delivery(String id, String chat, String text, JsonObject options, Output... outputs) {
    return new Delivery(id, "tsk_" + id.substring(0, 8), chat, "en", text, List.of(outputs), options);
  }

  static Output video(String fileId) {
    return new Output("video", fileId, "https://cdn.example.test/v.mp4", "video/mp4", null);
  }
}
