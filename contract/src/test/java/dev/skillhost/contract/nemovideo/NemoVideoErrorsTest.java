package dev.skillhost.contract.nemovideo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.simulators.Faults;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Backend errors end the task terminal, with the skill's kind and its message in en and zh; nothing is spent twice. */
class NemoVideoErrorsTest extends NemoVideoContractBase {

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void no_credits_is_a_quota_error_in_both_languages_and_spends_nothing(VertxTestContext ctx) {
    sim.credits(0);
    Future.all(run("generate", prompt("A sunset"), "en"), run("generate", prompt("日落"), "zh-CN"))
        .map(all -> {
          ctx.verify(() -> {
            JsonObject en = all.<JsonObject>resultAt(0).getJsonObject("error");
            JsonObject zh = all.<JsonObject>resultAt(1).getJsonObject("error");
            assertThat(en.getString("kind")).isEqualTo("quota");
            assertThat(en.getString("code")).isEqualTo("2001");
            assertThat(en.getString("message")).startsWith("You're out of NemoVideo credits");
            assertThat(zh.getString("message")).startsWith("NemoVideo 积分不足");
            assertThat(sim.spends().total()).isZero();
          });
          return null;
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void unsupported_file_and_too_large_file_are_input_errors(VertxTestContext ctx) {
    sim.uploadLimit(10);
    Future<JsonObject> badUrl = run("upload", new JsonObject().put("urls", new JsonArray().add("https://x.test/a.exe")), "en");
    Future<JsonObject> big = upload("big.png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13, 'I', 'H'},
        "image/png").compose(f -> submit("upload", new JsonObject(), "zh",
            new JsonArray().add(new JsonObject().put("role", "image").put("file", f)))).compose(this::finish);
    Future.all(badUrl, big).map(all -> {
      ctx.verify(() -> {
        JsonObject e1 = all.<JsonObject>resultAt(0).getJsonObject("error");
        JsonObject e2 = all.<JsonObject>resultAt(1).getJsonObject("error");
        assertThat(e1.getString("code")).isEqualTo("4001");
        assertThat(e1.getString("kind")).isEqualTo("invalid_input");
        assertThat(e1.getString("message")).contains("mp4, mov");
        assertThat(e2.getString("code")).isEqualTo("4002");
        assertThat(e2.getString("message")).isEqualTo("文件太大,请压缩或剪短后重新发送。");
      });
      return null;
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void unknown_session_blocked_export_and_token_rate_limit_are_mapped(VertxTestContext ctx) {
    run("state", new JsonObject().put("session_id", "424242"), "en")
        .compose(missing -> run("generate", prompt("A cat").put("export", false), "en").map(g -> missing))
        .compose(missing -> {
          sim.exportBlocked(true);
          return run("export", new JsonObject(), "zh").map(blocked -> List.of(missing, blocked));
        })
        .map(l -> {
          ctx.verify(() -> {
            JsonObject missing = l.get(0).getJsonObject("error");
            assertThat(missing.getString("code")).isEqualTo("1002");
            assertThat(missing.getString("message")).contains("session was not found");
            JsonObject blocked = l.get(1).getJsonObject("error");
            assertThat(blocked.getInteger("http_status")).isEqualTo(402);
            assertThat(blocked.getString("message")).isEqualTo("请到 nemovideo.ai 注册以解锁导出功能。");
          });
          return null;
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void a_token_refused_with_429_is_retried_once_after_retry_after(VertxTestContext ctx) {
    sim.faults().next("POST /api/auth/anonymous-token", new Faults.Status(429,
        "{\"code\":429,\"message\":\"rate limit\"}", 1));
    run("account", new JsonObject(), "en")
        .map(task -> {
          ctx.verify(() -> {
            // the skill retries a 429 once after Retry-After; the second request gets a token
            assertThat(task.getString("state")).as(task.encodePrettily()).isEqualTo("succeeded");
            assertThat(sim.calls("POST /api/auth/anonymous-token")).isEqualTo(2);
          });
          return null;
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void a_failed_render_is_retried_once_under_a_new_id_then_reported(VertxTestContext ctx) {
    sim.credits(1000);
    run("generate", prompt("Waves").put("export", false), "en")
        .compose(g -> {
          sim.failRenders(1);
          return run("export", new JsonObject(), "en");
        })
        .compose(once -> {
          sim.failRenders(2);
          return run("export", new JsonObject(), "zh").map(twice -> List.of(once, twice));
        })
        .map(l -> {
          ctx.verify(() -> {
            assertThat(l.get(0).getString("state")).as(l.get(0).encodePrettily()).isEqualTo("succeeded");
            assertThat(l.get(1).getString("state")).isEqualTo("failed");
            assertThat(l.get(1).getJsonObject("error").getString("message")).isEqualTo("视频渲染两次失败,请稍后让我重新导出。");
            assertThat(sim.renderSubmits()).isEqualTo(4); // 2 + 2, each retry under a new id
          });
          return null;
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void a_message_lost_after_it_was_received_is_reconciled_never_resent(VertxTestContext ctx) {
    sim.faults().next("POST /run_sse", new Faults.ResetAfter());
    run("generate", prompt("Fireworks over a lake"), "en")
        .map(task -> {
          ctx.verify(() -> {
            assertThat(TERMINAL).contains(task.getString("state"));
            assertThat(sim.messages(onlySession())).isEqualTo(1);
            assertThat(sim.spends().repeated()).isEmpty();
            // the backend did the work: following the session state finds it
            assertThat(task.getString("state")).as(task.encodePrettily()).isEqualTo("succeeded");
          });
          return null;
        })
        .onComplete(ctx.succeedingThenComplete());
  }
}
