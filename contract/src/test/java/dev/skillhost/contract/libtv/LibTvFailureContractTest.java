package dev.skillhost.contract.libtv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.simulators.libtv.LibTvOutcome;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Failures are detected, not waited out: each shape ends the task failed at once, with the
 * skill's kind and message in the user's language. A malformed key is refused before any request.
 */
class LibTvFailureContractTest extends LibTvContractBase {

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void a_failed_task_result_an_error_message_and_failure_words_each_fail_the_task(VertxTestContext ctx) {
    sim.plan("moderated", LibTvOutcome.FAILED_RESULT).plan("busy model", LibTvOutcome.ERROR_MESSAGE)
        .plan("sad words", LibTvOutcome.FAILED_TEXT);
    JsonObject noWait = new JsonObject().put("result_wait_s", 600); // far away: only detection can end these
    startHost(GATEWAY_KEY)
        .compose(h -> run(task("t2v", noWait.copy().put("prompt", "a moderated scene"), "en")))
        .compose(moderated -> {
          ctx.verify(() -> {
            assertFailed(moderated, "upstream", "LibTV could not generate this");
            assertThat(moderated.getJsonObject("error").getString("message")).contains("内容审核未通过");
            assertThat(moderated.getJsonObject("error").getString("code")).isEqualTo("generation_failed");
          });
          return run(task("t2v", noWait.copy().put("prompt", "a busy model scene"), "zh"));
        })
        .compose(busy -> {
          ctx.verify(() -> assertFailed(busy, "upstream", "LibTV 生成失败"));
          return run(task("t2v", noWait.copy().put("prompt", "sad words scene"), "en"));
        })
        .onComplete(ctx.succeeding(words -> ctx.verify(() -> {
          assertFailed(words, "upstream", "视频生成失败");
          assertThat(sim.spends().total()).isEqualTo(3);
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void a_malformed_key_is_refused_before_any_request_in_both_languages(VertxTestContext ctx) {
    startHost("sk-libtv_typo_from_the_seed")
        .compose(h -> run(task("t2v", new JsonObject().put("prompt", "a fox"), "en")))
        .compose(en -> {
          ctx.verify(() -> assertFailed(en, "auth", "must start with mgk_ or sk-libtv-"));
          return run(task("account", new JsonObject(), "zh"));
        })
        .compose(zh -> host.get("/v1/providers").map(r -> {
          ctx.verify(() -> {
            assertFailed(zh, "auth", "必须以 mgk_ 或 sk-libtv- 开头");
            assertThat(sim.totalRequests()).isZero();
            JsonObject libtv = r.bodyAsJsonObject().getJsonArray("providers").stream().map(o -> (JsonObject) o)
                .filter(p -> "libtv".equals(p.getString("id"))).findFirst().orElseThrow();
            // configuration time: the provider's one line, naming the valid prefixes
            assertThat(libtv.getString("config_problem")).contains("mgk_").contains("sk-libtv-")
                .doesNotContain("sk-libtv_typo");
          });
          return r;
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void a_wrong_key_is_an_auth_failure_from_either_backend(VertxTestContext ctx) {
    startHost("sk-libtv-not-a-real-key")
        .compose(h -> run(task("t2v", new JsonObject().put("prompt", "a fox"), "zh")))
        .onComplete(ctx.succeeding(t -> ctx.verify(() -> {
          assertFailed(t, "auth", "API Key 无效");
          assertThat(sim.requests("POST /openapi/session")).isEqualTo(1);
          assertThat(sim.spends().total()).isZero();
          ctx.completeNow();
        })));
  }

  /**
   * A task_result pointing outside the skill's {@code outputs:} allowlist (a medeo-res proxy URL,
   * which the official client takes unchecked) never reaches the user as a result.
   */
  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void a_result_url_outside_the_allowlist_is_not_delivered(VertxTestContext ctx) {
    sim.plan("proxy", LibTvOutcome.OUTSIDE_URL);
    startHost(DIRECT_KEY)
        .compose(h -> run(task("t2v", new JsonObject().put("prompt", "a proxy result").put("result_wait_s", 600), "en")))
        .compose(t -> events(t.getString("id")).map(ev -> {
          ctx.verify(() -> {
            assertThat(t.getJsonArray("outputs").stream().map(o -> ((JsonObject) o).getString("url")))
                .noneMatch(u -> u != null && u.startsWith("https://medeo-res.liblib.art/"));
            assertFailed(t, "upstream", "does not accept");
            assertThat(t.getJsonObject("error").getString("code")).isEqualTo("output_refused");
            assertThat(ev.encode()).contains("medeo-res.liblib.art").contains("which skill libtv does not accept");
            assertThat(sim.spends().total()).isEqualTo(1);
          });
          return t;
        }))
        .onComplete(ctx.succeedingThenComplete());
  }
}
