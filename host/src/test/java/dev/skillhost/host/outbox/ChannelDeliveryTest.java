package dev.skillhost.host.outbox;

import static dev.skillhost.host.outbox.OutboxTesting.awaitDeliveries;
import static dev.skillhost.host.outbox.OutboxTesting.submit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.host.testing.PluginJarBuilder;
import dev.skillhost.host.testing.Problems;
import dev.skillhost.host.testing.TestHost;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chat channels as plugins: a test channel compiled at test time, loaded beside the providers,
 * handed each finished task once, even when the host stops between the channel's send and the
 * host's record of it.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class ChannelDeliveryTest {

  /**
   * Posts into a "chat" that is a file, deduplicating by delivery id as Feishu does with its uuid.
   * Every call is logged. A {@code hang-once} file makes it answer only after 1.5 s, once; chat
   * {@code reject} is refused for good; chat {@code busy} asks to wait 300 ms, once.
   */
  private static final String SOURCE = """
      package dev.skillhost.testplugin;

      import dev.skillhost.api.*;
      import io.vertx.core.Future;
      import java.nio.file.*;
      import java.time.Duration;
      import static java.nio.file.StandardOpenOption.*;

      @org.pf4j.Extension
      public final class TestChat implements Channel {
        public ChannelInfo info() { return new ChannelInfo("testchat", "Test chat", "posts into a file"); }
        public Future<Receipt> deliver(Delivery d, ProviderContext ctx) {
          return ctx.vertx().<String>executeBlocking(() -> {
            Path dir = Files.createDirectories(ctx.dataDir());
            Files.writeString(dir.resolve("calls.log"), d.id() + "\\t" + System.currentTimeMillis() + "\\n", CREATE, APPEND);
            if (d.chatId().equals("reject")) throw ProviderException.rejected("chat_not_found", "no such chat");
            if (d.chatId().equals("busy") && Files.notExists(dir.resolve("waited"))) {
              Files.writeString(dir.resolve("waited"), "");
              throw new ProviderException("rate_limited", 429, "slow down", Duration.ofMillis(300), null);
            }
            Path chat = dir.resolve("chat.log");
            if (Files.exists(chat) && Files.readAllLines(chat).stream().anyMatch(l -> l.startsWith(d.id() + "\\t"))) {
              return "duplicate";
            }
            Files.writeString(chat, d.id() + "\\t" + d.chatId() + "\\t" + d.outputs().size() + "\\t"
                + d.options().getString("receive_id_type", "") + "\\t" + d.text().replace('\\n', ' ') + "\\n", CREATE, APPEND);
            return Files.deleteIfExists(dir.resolve("hang-once")) ? "hang" : "sent";
          }).compose(r -> r.equals("hang")
              ? ctx.vertx().timer(1500).map(v -> new Receipt("m-" + d.id(), null))
              : Future.succeededFuture(new Receipt("m-" + d.id(), null)));
        }
      }
      """;

  @TempDir Path dir;
  private TestHost host;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    TestHost.start(vertx, dir, OutboxTesting.fast(50))
        .compose(h -> {
          host = h;
          return vertx.executeBlocking(() -> PluginJarBuilder.create("testchat", "1.0.0")
              .withClass("dev.skillhost.testplugin.TestChat", SOURCE)
              .withExtensionIndex("dev.skillhost.testplugin.TestChat")
              .deploy(h.pluginsDir, "testchat.jar"));
        })
        .compose(jar -> listed())
        .onComplete(ctx.succeedingThenComplete());
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    (host == null ? Future.<Void>succeededFuture() : host.close()).onComplete(ctx.succeedingThenComplete());
  }

  private Future<Void> listed() {
    return host.get("/v1/channels").compose(r -> {
      boolean up = r.bodyAsJsonObject().getJsonArray("channels").stream()
          .anyMatch(c -> "testchat".equals(((JsonObject) c).getString("id")));
      return up ? Future.succeededFuture() : host.vertx.timer(50).compose(v -> listed());
    });
  }

  private Path chatDir() {
    return dir.resolve("providers").resolve("testchat");
  }

  private List<String> lines(String file) throws IOException {
    Path p = chatDir().resolve(file);
    return Files.exists(p) ? Files.readAllLines(p) : List.of();
  }

  private static JsonObject channel(String chat) {
    return new JsonObject().put("channel", new JsonObject().put("id", "testchat").put("chat_id", chat)
        .put("options", new JsonObject().put("receive_id_type", "chat_id")));
  }

  @Test
  void the_channel_is_listed_and_a_finished_task_is_posted_once_with_its_result(VertxTestContext ctx) {
    host.get("/v1/channels")
        .compose(r -> {
          ctx.verify(() -> {
            JsonObject c = r.bodyAsJsonObject().getJsonArray("channels").getJsonObject(0);
            assertThat(c.getString("id")).isEqualTo("testchat");
            assertThat(c.getString("plugin")).isEqualTo("testchat");
            assertThat(c.getString("version")).isEqualTo("1.0.0");
          });
          return submit(host, channel("oc_42"));
        })
        .compose(id -> host.awaitState(id, "succeeded")
            .compose(t -> awaitDeliveries(host, id, OutboxTesting::allSettled))
            .compose(list -> host.vertx.timer(300).map(list)))
        .onComplete(ctx.succeeding(list -> ctx.verify(() -> {
          assertThat(list).hasSize(1);
          JsonObject d = list.getJsonObject(0);
          assertThat(d.getString("kind")).isEqualTo("channel");
          assertThat(d.getString("state")).isEqualTo("delivered");
          assertThat(d.getInteger("attempts")).isEqualTo(1);
          assertThat(d.getJsonObject("receipt").getString("message_id")).isEqualTo("m-" + d.getString("id"));
          List<String> chat = lines("chat.log");
          assertThat(chat).hasSize(1);
          String[] f = chat.get(0).split("\t");
          assertThat(f[0]).isEqualTo(d.getString("id"));
          assertThat(f[1]).isEqualTo("oc_42");
          assertThat(Integer.parseInt(f[2])).isGreaterThanOrEqualTo(1); // the outputs
          assertThat(f[3]).isEqualTo("chat_id");                        // the options
          assertThat(f[4]).isNotBlank();                                // the rendered result message
          assertThat(lines("calls.log")).hasSize(1);
          ctx.completeNow();
        })));
  }

  @Test
  void a_host_stopped_between_the_send_and_its_record_sends_again_with_the_same_id_and_the_chat_sees_one_message(
      VertxTestContext ctx) throws IOException {
    Files.createDirectories(chatDir());
    Files.writeString(chatDir().resolve("hang-once"), "");
    String[] taskId = new String[1];
    submit(host, channel("oc_7"))
        .compose(id -> {
          taskId[0] = id;
          return until(() -> !lines("chat.log").isEmpty());
        })
        .compose(v -> host.stop()) // the channel posted but has not answered: the host has no record yet
        .compose(v -> {
          ctx.verify(() -> assertThat(lines("calls.log")).hasSize(1));
          return host.restart();
        })
        .compose(v -> awaitDeliveries(host, taskId[0], OutboxTesting::allSettled))
        .compose(list -> host.vertx.timer(300).map(list))
        .onComplete(ctx.succeeding(list -> ctx.verify(() -> {
          JsonObject d = list.getJsonObject(0);
          assertThat(d.getString("state")).isEqualTo("delivered");
          List<String> calls = lines("calls.log");
          assertThat(calls).hasSize(2);
          assertThat(calls).allSatisfy(c -> assertThat(c).startsWith(d.getString("id") + "\t"));
          assertThat(lines("chat.log")).hasSize(1);
          ctx.completeNow();
        })));
  }

  @Test
  void a_rejected_delivery_fails_at_once_and_a_retry_after_is_waited_for(VertxTestContext ctx) {
    Future.all(submit(host, channel("reject")), submit(host, channel("busy")))
        .compose(ids -> Future.all(
            awaitDeliveries(host, ids.resultAt(0), OutboxTesting::allSettled),
            awaitDeliveries(host, ids.resultAt(1), OutboxTesting::allSettled)))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          JsonObject rejected = ((JsonArray) all.resultAt(0)).getJsonObject(0);
          assertThat(rejected.getString("state")).isEqualTo("failed");
          assertThat(rejected.getInteger("attempts")).isEqualTo(1);
          assertThat(rejected.getString("last_error")).contains("rejected").contains("no such chat");
          JsonObject busy = ((JsonArray) all.resultAt(1)).getJsonObject(0);
          assertThat(busy.getString("state")).isEqualTo("delivered");
          assertThat(busy.getInteger("attempts")).isEqualTo(2);
          List<Long> times = lines("calls.log").stream().filter(l -> l.startsWith(busy.getString("id")))
              .map(l -> Long.parseLong(l.split("\t")[1])).toList();
          assertThat(times).hasSize(2);
          // the schedule says 50 ms; the channel asked for 300
          assertThat(times.get(1) - times.get(0)).isGreaterThanOrEqualTo(300);
          ctx.completeNow();
        })));
  }

  @Test
  void an_unknown_channel_or_a_bad_channel_field_is_refused_at_creation(VertxTestContext ctx) {
    Future.all(
            host.post("/v1/tasks", new JsonObject().put("provider", "sim").put("operation", "text2image")
                .put("channel", new JsonObject().put("id", "nochat").put("chat_id", "c"))),
            host.post("/v1/tasks", new JsonObject().put("provider", "sim").put("operation", "text2image")
                .put("channel", new JsonObject().put("id", "testchat"))),
            host.post("/v1/tasks", new JsonObject().put("provider", "sim").put("operation", "text2image")
                .put("channel", new JsonObject().put("id", "testchat").put("chat_id", "c").put("options", "x"))))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          Problems.assertProblem(all.resultAt(0), 422, "unknown-channel");
          Problems.assertProblem(all.resultAt(1), 400, "invalid-request");
          assertThat(((io.vertx.ext.web.client.HttpResponse<?>) all.resultAt(1)).bodyAsJsonObject().getString("detail"))
              .contains("channel.chat_id");
          Problems.assertProblem(all.resultAt(2), 400, "invalid-request");
          ctx.completeNow();
        })));
  }

  @Test
  void a_second_plugin_claiming_a_served_channel_id_is_refused_and_the_first_stays(VertxTestContext ctx) {
    host.vertx.executeBlocking(() -> PluginJarBuilder.create("otherchat", "1.0.0")
            .withClass("dev.skillhost.testplugin.TestChat", SOURCE)
            .withExtensionIndex("dev.skillhost.testplugin.TestChat")
            .deploy(host.pluginsDir, "otherchat.jar"))
        .compose(jar -> refused("otherchat"))
        .compose(status -> host.get("/v1/channels").map(r -> List.of(status, r.bodyAsJsonObject())))
        .onComplete(ctx.succeeding(pair -> ctx.verify(() -> {
          assertThat(((JsonObject) pair.get(0)).getString("error")).contains("channel 'testchat' is already served by plugin testchat");
          JsonArray channels = ((JsonObject) pair.get(1)).getJsonArray("channels");
          assertThat(channels).hasSize(1);
          assertThat(channels.getJsonObject(0).getString("plugin")).isEqualTo("testchat");
          ctx.completeNow();
        })));
  }

  private Future<JsonObject> refused(String pluginId) {
    return host.get("/v1/providers").compose(r -> r.bodyAsJsonObject().getJsonArray("providers").stream()
        .map(JsonObject.class::cast)
        .filter(p -> pluginId.equals(p.getString("id")) && "failed".equals(p.getString("state")))
        .findFirst().map(Future::succeededFuture)
        .orElseGet(() -> host.vertx.timer(50).compose(v -> refused(pluginId))));
  }

  private interface Check {
    boolean holds() throws IOException;
  }

  private Future<Void> until(Check check) {
    try {
      return check.holds() ? Future.succeededFuture() : host.vertx.timer(20).compose(v -> until(check));
    } catch (IOException e) {
      return Future.failedFuture(e);
    }
  }
}
