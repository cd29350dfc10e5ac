package dev.skillhost.contract.libtv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.simulators.libtv.LibTvOutcome;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** An mgk_ key: every operation through the Nexu gateway adapter (X-API-KEY, bare answers). */
class LibTvGatewayContractTest extends LibTvContractBase {

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void t2v_goes_to_the_gateway_with_the_configured_ratio_and_ends_with_the_result_url(VertxTestContext ctx) {
    sim.stepMs(250); // slow enough for a look while the agent is still working
    startHost(GATEWAY_KEY)
        .compose(h -> run(task("t2v", new JsonObject().put("prompt", "a dragon over a palace at dusk"), "en")))
        .compose(t -> events(t.getString("id")).map(ev -> {
          ctx.verify(() -> {
            assertThat(t.getString("state")).as(t.encode()).isEqualTo("succeeded");
            JsonObject out = output(t);
            assertThat(out.getString("kind")).isEqualTo("video");
            assertThat(out.getString("url")).startsWith("https://libtv-res.liblib.art/sd-gen-save-img/").endsWith(".mp4");
            assertThat(out.getString("mime")).isEqualTo("video/mp4");
            assertThat(out.getJsonObject("meta").getString("project_url")).startsWith("https://www.liblib.tv/canvas?projectId=");
            assertThat(t.getJsonArray("outputs")).as("task_result and assistant text name one result").hasSize(1);
            assertThat(sim.allUserMessages()).containsExactly("a dragon over a palace at dusk, video ratio 9:16");
            assertThat(sim.requests("POST /libtv/v1/session")).isEqualTo(1);
            assertThat(sim.requests("POST /openapi/session")).isZero();
            assertThat(sim.requests("GET /libtv/v1/session/{id}")).isGreaterThanOrEqualTo(1);
            assertThat(sim.spends().total()).isEqualTo(1);
            assertThat(sim.remainingUses(GATEWAY_KEY)).isEqualTo(49);
            // the agent's words while it works reach the user as progress
            assertThat(ev.encode()).contains("正在为你生成");
          });
          return t;
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void text2image_and_i2v_with_an_upload_through_the_gateway(VertxTestContext ctx) {
    startHost(GATEWAY_KEY)
        .compose(h -> run(task("text2image", new JsonObject().put("prompt", "a lantern festival poster"), "en")))
        .compose(img -> {
          ctx.verify(() -> {
            assertThat(img.getString("state")).as(img.encode()).isEqualTo("succeeded");
            assertThat(output(img).getString("kind")).isEqualTo("image");
            assertThat(output(img).getString("url")).endsWith(".png");
            assertThat(sim.allUserMessages()).as("no video ratio on an image").containsExactly("a lantern festival poster");
          });
          return hostUpload(PNG, "cat.png", "image/png");
        })
        .compose(file -> run(task("i2v", new JsonObject().put("prompt", "make the cat dance"), "en")
            .put("inputs", inputs("image", file))))
        .onComplete(ctx.succeeding(t -> ctx.verify(() -> {
          assertThat(t.getString("state")).as(t.encode()).isEqualTo("succeeded");
          assertThat(sim.uploads()).containsExactly("/libtv/v1/upload");
          String sent = sim.userMessages(sim.sessionWith("make the cat dance")).get(0);
          assertThat(sent).startsWith("make the cat dance, video ratio 9:16\nreference image: https://libtv-res.liblib.art/claw/")
              .endsWith(".png");
          String reference = sent.substring(sent.indexOf("https://"));
          // the agent echoes the reference (an allowlisted claw/ URL): it is not taken for the result
          assertThat(t.getJsonArray("outputs")).hasSize(1);
          assertThat(output(t).getString("url")).isNotEqualTo(reference).contains("/sd-gen-save-img/");
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void account_query_and_change_project_spend_nothing(VertxTestContext ctx) {
    startHost(GATEWAY_KEY)
        .compose(h -> run(task("account", new JsonObject(), "en")))
        .compose(account -> {
          ctx.verify(() -> {
            assertThat(account.getString("state")).as(account.encode()).isEqualTo("succeeded");
            JsonObject meta = output(account).getJsonObject("meta");
            assertThat(meta.getInteger("remaining_uses")).isEqualTo(50);
            assertThat(meta.getInteger("max_uses")).isEqualTo(50);
            assertThat(meta.getString("mode")).isEqualTo("nexu_gateway");
          });
          return run(task("t2v", new JsonObject().put("prompt", "waves"), "en"));
        })
        .compose(v -> run(task("query", new JsonObject(), "en")))
        .compose(query -> {
          ctx.verify(() -> {
            assertThat(query.getString("state")).as(query.encode()).isEqualTo("succeeded");
            assertThat(output(query).getJsonObject("meta").getJsonArray("tasks")).hasSize(1);
            assertThat(output(query).getJsonObject("meta").getJsonArray("tasks").getJsonObject(0).getString("status"))
                .isEqualTo("completed");
          });
          return run(task("change_project", new JsonObject(), "en"));
        })
        .compose(change -> host.get("/v1/providers").map(p -> {
          ctx.verify(() -> {
            assertThat(change.getString("state")).as(change.encode()).isEqualTo("succeeded");
            assertThat(output(change).getJsonObject("meta").getString("project_uuid")).hasSize(32);
            assertThat(sim.requests("POST /libtv/v1/session/change-project")).isEqualTo(1);
            assertThat(sim.spends().total()).as("only the t2v message spent").isEqualTo(1);
            assertThat(sim.directKeysAtGateway()).isZero();
          });
          return p;
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void exhausted_and_expired_trial_keys_fail_with_their_own_messages_in_both_languages(VertxTestContext ctx) {
    sim.gatewayKey("mgk_used_up", 0, null).gatewayKey("mgk_old", 5, Instant.now().minusSeconds(60));
    startHost("mgk_used_up")
        .compose(h -> run(task("t2v", new JsonObject().put("prompt", "a fox"), "en")))
        .compose(en -> {
          ctx.verify(() -> assertFailed(en, "quota", "free trial uses of this key are used up"));
          return run(task("t2v", new JsonObject().put("prompt", "a fox"), "zh"));
        })
        .compose(zh -> {
          ctx.verify(() -> assertFailed(zh, "quota", "免费试用次数已用完"));
          return host.close().compose(v -> startHost("mgk_old"));
        })
        .compose(h -> run(task("t2v", new JsonObject().put("prompt", "a fox"), "zh")))
        .onComplete(ctx.succeeding(old -> ctx.verify(() -> {
          assertFailed(old, "auth", "密钥已过期");
          assertThat(sim.spends().total()).isZero();
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void a_result_only_in_the_assistant_text_is_found_by_the_allowlist_regex(VertxTestContext ctx) {
    sim.plan("text only", LibTvOutcome.VIDEO_TEXT_ONLY);
    startHost(GATEWAY_KEY)
        .compose(h -> run(task("t2v", new JsonObject().put("prompt", "text only please"), "en")))
        .onComplete(ctx.succeeding(t -> ctx.verify(() -> {
          assertThat(t.getString("state")).as(t.encode()).isEqualTo("succeeded");
          assertThat(output(t).getString("url")).startsWith("https://libtv-res.liblib.art/sd-gen-save-img/").endsWith(".mp4");
          ctx.completeNow();
        })));
  }
}
