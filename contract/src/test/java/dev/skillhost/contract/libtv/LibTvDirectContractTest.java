package dev.skillhost.contract.libtv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.simulators.libtv.LibTvOutcome;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** An sk-libtv- key: every operation through LibTV's OpenAPI adapter (bearer, {code, message, data}). */
class LibTvDirectContractTest extends LibTvContractBase {

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void t2v_goes_direct_with_a_per_task_ratio_and_never_touches_the_gateway(VertxTestContext ctx) {
    startHost(DIRECT_KEY)
        .compose(h -> run(task("t2v", new JsonObject().put("prompt", "rain on a tin roof").put("video_ratio", "1:1"), "en")))
        .compose(first -> run(task("t2v", new JsonObject().put("prompt", "a 21:9 panorama of mountains"), "en"))
            .map(second -> {
              ctx.verify(() -> {
                assertThat(first.getString("state")).as(first.encode()).isEqualTo("succeeded");
                assertThat(second.getString("state")).as(second.encode()).isEqualTo("succeeded");
                assertThat(output(first).getString("url")).startsWith("https://libtv-res.liblib.art/sd-gen-save-img/");
                assertThat(sim.allUserMessages()).containsExactlyInAnyOrder(
                    "rain on a tin roof, video ratio 1:1", "a 21:9 panorama of mountains");
                assertThat(sim.requests("POST /openapi/session")).isEqualTo(2);
                assertThat(sim.requests("POST /libtv/v1/session")).isZero();
                assertThat(sim.directKeysAtGateway()).isZero();
                assertThat(sim.spends().total()).isEqualTo(2);
                assertThat(sim.spends().repeated()).isEmpty();
                // one session per task
                assertThat(sim.sessionWith("rain")).isNotEqualTo(sim.sessionWith("panorama"));
              });
              return second;
            }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void upload_uses_the_file_upload_path_and_image2image_falls_back_to_the_script_path(VertxTestContext ctx) {
    startHost(DIRECT_KEY)
        .compose(h -> hostUpload(PNG, "ref.png", "image/png"))
        .compose(file -> run(task("upload", new JsonObject(), "en").put("inputs", inputs("image", file)))
            .compose(up -> {
              ctx.verify(() -> {
                assertThat(up.getString("state")).as(up.encode()).isEqualTo("succeeded");
                assertThat(output(up).getString("kind")).isEqualTo("image");
                assertThat(output(up).getString("url")).startsWith("https://libtv-res.liblib.art/claw/").endsWith(".png");
                assertThat(sim.uploads()).containsExactly("/openapi/file/upload");
              });
              sim.primaryUpload(false);
              return run(task("image2image", new JsonObject().put("prompt", "make it snow"), "en")
                  .put("inputs", inputs("image", file)));
            }))
        .onComplete(ctx.succeeding(edit -> ctx.verify(() -> {
          assertThat(edit.getString("state")).as(edit.encode()).isEqualTo("succeeded");
          assertThat(output(edit).getString("kind")).isEqualTo("image");
          assertThat(sim.uploads()).containsExactly("/openapi/file/upload", "/openapi/upload");
          assertThat(sim.requests("POST /openapi/file/upload")).isEqualTo(2);
          assertThat(sim.allUserMessages()).hasSize(1);
          assertThat(sim.allUserMessages().get(0)).startsWith("make it snow\nreference image: https://libtv-res.liblib.art/claw/");
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void account_change_project_and_the_gateway_only_task_list(VertxTestContext ctx) {
    startHost(DIRECT_KEY)
        .compose(h -> run(task("account", new JsonObject(), "en")))
        .compose(account -> {
          ctx.verify(() -> {
            assertThat(account.getString("state")).as(account.encode()).isEqualTo("succeeded");
            assertThat(output(account).getJsonObject("meta").getString("mode")).isEqualTo("libtv_direct");
            assertThat(output(account).getJsonObject("meta").getString("key")).isEqualTo("sk-libtv-…9c1e");
          });
          return run(task("change_project", new JsonObject(), "en"));
        })
        .compose(change -> {
          ctx.verify(() -> {
            assertThat(change.getString("state")).as(change.encode()).isEqualTo("succeeded");
            assertThat(sim.requests("POST /openapi/session/change-project")).isEqualTo(1);
          });
          return run(task("query", new JsonObject(), "en"));
        })
        .compose(en -> {
          ctx.verify(() -> assertFailed(en, "unsupported", "only with a Nexu-managed mgk_ key"));
          return run(task("query", new JsonObject(), "zh"));
        })
        .onComplete(ctx.succeeding(zh -> ctx.verify(() -> {
          assertFailed(zh, "unsupported", "只有 Nexu 托管的 mgk_ 密钥才能列出全部任务");
          assertThat(sim.spends().total()).isZero();
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void no_result_by_the_deadline_is_a_timeout_and_the_kept_session_is_resumed_by_query(VertxTestContext ctx) {
    sim.plan("slow harbour", LibTvOutcome.NEVER);
    startHost(DIRECT_KEY)
        .compose(h -> run(task("t2v", new JsonObject().put("prompt", "a slow harbour timelapse").put("result_wait_s", 1), "en")))
        .compose(timedOut -> {
          String session = sim.sessionWith("slow harbour");
          ctx.verify(() -> {
            assertFailed(timedOut, "timeout", "The session is kept");
            assertThat(timedOut.getJsonObject("error").getString("message")).contains(session);
          });
          sim.finish(session, LibTvOutcome.VIDEO);
          return run(task("query", new JsonObject().put("session_id", session), "zh"));
        })
        .onComplete(ctx.succeeding(resumed -> ctx.verify(() -> {
          assertThat(resumed.getString("state")).as(resumed.encode()).isEqualTo("succeeded");
          assertThat(output(resumed).getString("url")).startsWith("https://libtv-res.liblib.art/sd-gen-save-img/");
          assertThat(sim.spends().total()).as("resuming sends nothing").isEqualTo(1);
          assertThat(sim.allUserMessages()).hasSize(1);
          ctx.completeNow();
        })));
  }
}
