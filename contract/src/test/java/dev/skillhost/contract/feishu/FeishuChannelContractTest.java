package dev.skillhost.contract.feishu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.host.testing.TestHost;
import dev.skillhost.simulators.Faults;
import dev.skillhost.simulators.feishu.FeishuMessage;
import dev.skillhost.simulators.feishu.FeishuSimulator;
import dev.skillhost.simulators.feishu.FeishuUpload;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.multipart.MultipartForm;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Feishu plugin jar in a real host, against the Feishu simulator: a task that names
 * {@code channel: {id: feishu, chat_id}} ends with its result posted once in that chat, through
 * the host's durable outbox, also when Feishu's answer to the post is lost and the outbox tries
 * again; a chat the bot is not in fails the delivery without retrying.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FeishuChannelContractTest {

  private static final String APP_ID = "cli_a1b2c3d4e5f60002";
  private static final String APP_SECRET = "contract-secret";
  private static final String CHAT = "oc_contract0000000000000001";
  private static final Path PHOTO = Path.of("..", "samples", "photo.png");
  private static final List<String> TERMINAL = List.of("succeeded", "failed", "cancelled");

  @TempDir
  Path dir;
  FeishuSimulator sim;
  TestHost host;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext tc) {
    FeishuSimulator.start(vertx, new JsonObject().put("app_id", APP_ID).put("app_secret", APP_SECRET)
            .put("chats", new JsonArray().add(CHAT)))
        .onSuccess(s -> sim = s)
        .onComplete(tc.succeedingThenComplete());
  }

  /** A host with the Feishu plugin jar (and these others) configured for the simulator. */
  private Future<TestHost> host(Vertx vertx, String... otherPlugins) {
    List<String> plugins = new java.util.ArrayList<>(List.of(otherPlugins));
    plugins.add("feishu");
    return TestHost.start(vertx, dir, Map.of("feishu", config(sim.baseUrl())), plugins).onSuccess(h -> host = h);
  }

  @AfterEach
  void stop(VertxTestContext tc) {
    Future<Void> h = host == null ? Future.succeededFuture() : host.close();
    h.eventually(() -> sim == null ? Future.succeededFuture() : sim.close()).onComplete(tc.succeedingThenComplete());
  }

  static JsonObject config(String base) {
    return new JsonObject().put("base_url", base)
        .put("secrets", new JsonObject().put("FEISHU_APP_ID", APP_ID).put("FEISHU_APP_SECRET", APP_SECRET));
  }

  @Test
  void a_local_video_task_ends_as_exactly_one_media_message_in_the_chat(Vertx vertx, VertxTestContext tc) {
    JsonObject params = new JsonObject().put("prompt", "animate this photo").put("duration_s", 1)
        .put("resolution", "360p");
    host(vertx, "local").compose(h -> upload(PHOTO, "image/png"))
        .compose(image -> submit(new JsonObject().put("provider", "local").put("operation", "i2v").put("params", params)
            .put("inputs", new JsonArray().add(new JsonObject().put("role", "image").put("file", image)))
            .put("channel", new JsonObject().put("id", "feishu").put("chat_id", CHAT))))
        .compose(id -> host.await(id, t -> TERMINAL.contains(t.getString("state"))))
        .compose(task -> deliveries(task.getString("id"), d -> !"pending".equals(d.getString("state"))
                && !"sending".equals(d.getString("state")))
            .compose(ds -> host.get("/v1/files/" + task.getJsonArray("outputs").getJsonObject(0).getString("file"))
                .map(file -> List.<Object>of(task, ds, file.body()))))
        .onComplete(tc.succeeding(r -> tc.verify(() -> {
          JsonObject task = (JsonObject) r.get(0);
          JsonArray ds = (JsonArray) r.get(1);
          Buffer mp4 = (Buffer) r.get(2);
          assertThat(task.getString("state")).as(task.encodePrettily()).isEqualTo("succeeded");
          assertThat(ds).hasSize(1);
          JsonObject d = ds.getJsonObject(0);
          assertThat(d.getString("state")).as(d.encodePrettily()).isEqualTo("delivered");
          assertThat(d.getString("channel")).isEqualTo("feishu");

          List<FeishuMessage> inChat = sim.messages(CHAT);
          assertThat(inChat).extracting(FeishuMessage::msgType).containsExactly("media");
          FeishuMessage m = inChat.get(0);
          assertThat(d.getJsonObject("receipt").getString("message_id")).isEqualTo(m.messageId());
          FeishuUpload video = sim.file(m.content().getString("file_key"));
          assertThat(video.fileType()).isEqualTo("mp4");
          assertThat(video.sha256()).as("the host's stored copy went up").isEqualTo(sha256(mp4.getBytes()));
          assertThat(video.durationMs()).isBetween(900, 1100);
          tc.completeNow();
        })));
  }

  @Test
  void a_sim_task_is_posted_once_even_when_feishus_answer_to_the_post_is_lost(Vertx vertx, VertxTestContext tc) {
    // Feishu posts the message, then the connection drops: the outbox cannot know, tries again
    // (5 s later, its schedule), and the uuid makes Feishu answer with the message it already posted.
    sim.faults().next(FeishuSimulator.MESSAGES, new Faults.ResetAfter());
    host(vertx).compose(h -> submit(new JsonObject().put("provider", "sim").put("operation", "t2v")
            .put("params", new JsonObject().put("prompt", "a cat").put("duration_ms", 100))
            .put("channel", new JsonObject().put("id", "feishu").put("chat_id", CHAT))))
        .compose(id -> host.await(id, t -> TERMINAL.contains(t.getString("state")))
            .compose(task -> deliveries(id, d -> "delivered".equals(d.getString("state")))))
        .onComplete(tc.succeeding(ds -> tc.verify(() -> {
          JsonObject d = ds.getJsonObject(0);
          assertThat(d.getInteger("attempts")).as(d.encodePrettily()).isEqualTo(2);
          // the sim's "video" is an animated GIF: Feishu shows that as an image, not a media message
          assertThat(sim.messages(CHAT)).extracting(FeishuMessage::msgType).containsExactly("image");
          assertThat(sim.requests(FeishuSimulator.MESSAGES)).isEqualTo(2);
          assertThat(sim.deduplicated()).isEqualTo(1);
          tc.completeNow();
        })));
  }

  @Test
  void a_chat_the_bot_is_not_in_fails_the_delivery_without_retrying(Vertx vertx, VertxTestContext tc) {
    host(vertx).compose(h -> submit(new JsonObject().put("provider", "sim").put("operation", "text2image")
            .put("params", new JsonObject().put("prompt", "a lighthouse").put("duration_ms", 50))
            .put("channel", new JsonObject().put("id", "feishu").put("chat_id", "oc_not_a_member"))))
        .compose(id -> deliveries(id, d -> "failed".equals(d.getString("state"))))
        .onComplete(tc.succeeding(ds -> tc.verify(() -> {
          JsonObject d = ds.getJsonObject(0);
          assertThat(d.getInteger("attempts")).isEqualTo(1);
          assertThat(d.getString("last_error")).contains("230002");
          assertThat(sim.messages()).isEmpty();
          tc.completeNow();
        })));
  }

  @Test
  void the_channel_is_listed_and_says_when_its_credentials_are_missing(Vertx vertx, VertxTestContext tc) {
    host(vertx).compose(h -> h.get("/v1/channels"))
        .compose(ready -> {
          tc.verify(() -> {
            JsonObject feishu = channel(ready.bodyAsJsonObject());
            assertThat(feishu.getString("plugin")).isEqualTo("feishu");
            assertThat(feishu.containsKey("config_problem")).as(feishu.encodePrettily()).isFalse();
          });
          host.providers(Map.of("feishu", new JsonObject().put("base_url", sim.baseUrl())));
          return host.stop().compose(v -> host.restart()).compose(v -> host.get("/v1/channels"));
        })
        .onComplete(tc.succeeding(r -> tc.verify(() -> {
          assertThat(channel(r.bodyAsJsonObject()).getString("config_problem")).contains("FEISHU_APP_ID");
          tc.completeNow();
        })));
  }

  private static JsonObject channel(JsonObject list) {
    return list.getJsonArray("channels").stream().map(JsonObject.class::cast)
        .filter(c -> "feishu".equals(c.getString("id"))).findFirst()
        .orElseThrow(() -> new AssertionError("no feishu channel in " + list.encode()));
  }

  private Future<String> submit(JsonObject body) {
    return host.post("/v1/tasks", body).map(r -> {
      if (r.statusCode() != 202) {
        throw new AssertionError("submit answered " + r.statusCode() + ": " + r.bodyAsString());
      }
      return r.bodyAsJsonObject().getString("id");
    });
  }

  private Future<String> upload(Path file, String mime) {
    MultipartForm form = MultipartForm.create().binaryFileUpload("file", file.getFileName().toString(),
        file.toString(), mime);
    return host.request(HttpMethod.POST, "/v1/uploads", host.key).sendMultipartForm(form).map(r -> {
      if (r.statusCode() / 100 != 2) {
        throw new AssertionError("upload answered " + r.statusCode() + ": " + r.bodyAsString());
      }
      return r.bodyAsJsonObject().getString("id");
    });
  }

  /** Polls the task's deliveries until there is one and every one satisfies {@code done}. */
  private Future<JsonArray> deliveries(String taskId, Predicate<JsonObject> done) {
    return host.get("/v1/tasks/" + taskId + "/deliveries").compose(r -> {
      JsonArray list = r.statusCode() == 200 ? r.bodyAsJsonObject().getJsonArray("deliveries") : new JsonArray();
      if (!list.isEmpty() && list.stream().map(JsonObject.class::cast).allMatch(done)) {
        return Future.succeededFuture(list);
      }
      return host.vertx.timer(50).compose(t -> deliveries(taskId, done));
    });
  }

  private static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }
}
