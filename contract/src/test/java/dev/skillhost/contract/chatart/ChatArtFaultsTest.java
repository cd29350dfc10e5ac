package dev.skillhost.contract.chatart;

import static dev.skillhost.contract.chatart.ChatArtFixture.inputs;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.simulators.Faults;
import dev.skillhost.simulators.chatart.ChatArtSimulator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults and backend errors through the host: no generate call is ever sent twice (the
 * simulator's ledger proves it), and every task ends terminal with the error kind and the en/zh
 * message of skills/chatart.yaml.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
class ChatArtFaultsTest {

  @TempDir
  Path dir;
  ChatArtFixture f;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    ChatArtFixture.start(vertx, dir, 1000).onComplete(ctx.succeeding(fx -> {
      f = fx;
      ctx.completeNow();
    }));
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    (f == null ? Future.<Void>succeededFuture() : f.close()).onComplete(ctx.succeedingThenComplete());
  }

  private Future<JsonObject> t2v(String prompt, String locale) {
    return f.run("t2v", new JsonObject().put("prompt", prompt), new JsonArray(), locale);
  }

  @Test
  void poll_faults_are_retried_and_a_lost_submit_is_never_resent(VertxTestContext ctx) {
    f.sim.faults().next(ChatArtSimulator.VIDEO_POLL, new Faults.Status(502, "bad gateway", null), 2)
        .next(ChatArtSimulator.VIDEO_POLL, new Faults.Malformed())
        .next(ChatArtSimulator.VIDEO_POLL, new Faults.ResetBefore());
    t2v("survives flaky polls", "en")
        .compose(ok -> {
          f.sim.faults().next(ChatArtSimulator.VIDEO_SUBMIT, new Faults.ResetAfter());
          return t2v("answer lost after the spend", "en").map(lost -> new JsonObject[] {ok, lost});
        })
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r[0].getString("state")).as(r[0].encodePrettily()).isEqualTo("succeeded");
          assertThat(r[1].getString("state")).isEqualTo("failed");
          assertThat(r[1].getJsonObject("error").getString("code")).isEqualTo("submission_unknown");
          assertThat(f.sim.spends().total()).isEqualTo(2);
          assertThat(f.sim.spends().repeated()).as("no generate call sent twice").isEmpty();
          assertThat(f.sim.requests(ChatArtSimulator.VIDEO_SUBMIT)).isEqualTo(2);
          ctx.completeNow();
        })));
  }

  @Test
  void backend_errors_end_terminal_with_mapped_kind_and_localized_message(VertxTestContext ctx) {
    Future<JsonObject[]> taskFailed = pair(() -> f.sim.failNextTask("content generation failed"), "failed zh/en");
    taskFailed
        .compose(failed -> pair(() -> f.sim.rejectNextSubmit("6001"), "unsafe").map(r -> new Object[] {failed, r}))
        .compose(prev -> pair(() -> f.sim.accountByIdentity(ChatArtFixture.UID).credits(0), "broke")
            .map(r -> new Object[] {prev[0], prev[1], r}))
        // no prompt: the plugin refuses it before anything is sent
        .compose(prev -> f.run("t2v", new JsonObject(), new JsonArray(), "zh")
            .map(r -> new Object[] {prev[0], prev[1], prev[2], r}))
        // a duration seedance-1.5-pro does not take: the host refuses it (the skill's per-model limits)
        .compose(prev -> f.host.post("/v1/tasks", new JsonObject().put("skill", "chatart").put("operation", "t2v")
                .put("params", new JsonObject().put("prompt", "bad duration").put("model", "seedance-1.5-pro").put("duration", 15)))
            .map(r -> new Object[] {prev[0], prev[1], prev[2], prev[3], r}))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          check((JsonObject[]) r[0], "upstream", "TASK_FAILED", "ChatArt could not generate this", "ChatArt 生成失败");
          check((JsonObject[]) r[1], "invalid_input", "6001", "safety check", "安全检测");
          check((JsonObject[]) r[2], "quota", "4100", "Not enough ChatArt credits", "积分不足");
          JsonObject invalid = (JsonObject) r[3];
          assertThat(invalid.getString("state")).isEqualTo("failed");
          assertThat(invalid.getJsonObject("error").getString("kind")).as(invalid.encodePrettily()).isEqualTo("invalid_input");
          assertThat(invalid.getJsonObject("error").getString("message")).contains("ChatArt 无法按此参数生成");
          io.vertx.ext.web.client.HttpResponse<?> refused = (io.vertx.ext.web.client.HttpResponse<?>) r[4];
          assertThat(refused.statusCode()).as(refused.bodyAsString()).isEqualTo(400);
          assertThat(refused.getHeader("Content-Type")).isEqualTo("application/problem+json");
          assertThat(refused.bodyAsJsonObject().getString("model")).isEqualTo("seedance-1.5-pro");
          assertThat(refused.bodyAsJsonObject().getString("param")).isEqualTo("duration");
          assertThat(refused.bodyAsJsonObject().getJsonObject("allowed").getJsonArray("enum").getList()).containsExactly(5, 10);
          // failed task refunded by the backend; refused ones never charged; nothing sent twice
          assertThat(f.sim.spends().repeated()).isEmpty();
          assertThat(f.sim.spends().total()).isEqualTo(2);
          ctx.completeNow();
        })));
  }

  @Test
  void rate_limited_polls_wait_and_no_429_reaches_the_task(VertxTestContext ctx) {
    f.sim.rateLimit(2, 1000);
    f.sim.pollsUntilDone(4);
    Future.all(t2v("one", "en"), f.run("text2image", new JsonObject().put("prompt", "two"), new JsonArray(), "en"))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          for (int i = 0; i < 2; i++) {
            JsonObject t = all.resultAt(i);
            assertThat(t.getString("state")).as(t.encodePrettily()).isEqualTo("succeeded");
          }
          assertThat(f.sim.spends().repeated()).isEmpty();
          ctx.completeNow();
        })));
  }

  /** The same failure in English and in Chinese, the condition set up before each. */
  private Future<JsonObject[]> pair(Runnable setUp, String prompt) {
    setUp.run();
    return t2v(prompt + " en", "en").compose(en -> {
      setUp.run();
      return t2v(prompt + " zh", "zh").map(zh -> new JsonObject[] {en, zh});
    });
  }

  private static void check(JsonObject[] pair, String kind, String code, String en, String zh) {
    for (JsonObject t : pair) {
      assertThat(t.getString("state")).as(t.encodePrettily()).isEqualTo("failed");
      assertThat(t.getJsonObject("error").getString("kind")).isEqualTo(kind);
      assertThat(t.getJsonObject("error").getString("code")).isEqualTo(code);
    }
    assertThat(pair[0].getJsonObject("error").getString("message")).contains(en);
    assertThat(pair[1].getJsonObject("error").getString("message")).contains(zh);
  }
}
