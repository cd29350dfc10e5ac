package dev.skillhost.contract.nemovideo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.simulators.nemovideo.NemoStreamPlan;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The stream's faults: none of them ever makes the plugin send the message again. */
class NemoVideoStreamTest extends NemoVideoContractBase {

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void a_stream_cut_mid_generation_finishes_through_state_polling_with_one_message(VertxTestContext ctx) {
    sim.nextPlan(NemoStreamPlan.normal().dropped());
    run("generate", prompt("A drone shot over a glacier"), "en")
        .compose(task -> events(task.getString("id")).map(ev -> {
          ctx.verify(() -> {
            assertThat(task.getString("state")).as(task.encodePrettily()).isEqualTo("succeeded");
            String sid = onlySession();
            assertThat(sim.messages(sid)).isEqualTo(1);
            assertThat(sim.spends().total()).isEqualTo(1);
            assertThat(sim.calls("POST /run_sse")).isEqualTo(1);
            assertThat(sim.calls("GET /api/state")).isGreaterThanOrEqualTo(2); // baseline, then polling
            assertThat(sim.state(sid).getJsonObject("draft").getJsonArray("t")).hasSize(3);
            assertThat(said(ev)).anyMatch(m -> m.contains("Timeline (3 tracks)"));
          });
          return null;
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void a_silent_reply_in_the_adk_layout_completes_from_the_state(VertxTestContext ctx) {
    sim.nextPlan(NemoStreamPlan.normal().withLayout(NemoStreamPlan.Layout.ADK).silently());
    run("generate", prompt("Neon city at night"), "en")
        .compose(task -> events(task.getString("id")).map(ev -> {
          ctx.verify(() -> {
            assertThat(task.getString("state")).as(task.encodePrettily()).isEqualTo("succeeded");
            assertThat(sim.messages(onlySession())).isEqualTo(1);
            assertThat(said(ev)).noneMatch(m -> m.contains("I'll create"));
          });
          return null;
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void the_adk_layout_text_is_read_once_and_a_trailing_temporary_issue_is_dropped(VertxTestContext ctx) {
    sim.nextPlan(NemoStreamPlan.normal().withLayout(NemoStreamPlan.Layout.ADK).withTrailingIssue());
    run("generate", prompt("Paper boats in rain").put("export", false), "en")
        .compose(task -> events(task.getString("id")).map(ev -> {
          ctx.verify(() -> {
            assertThat(task.getString("state")).isEqualTo("succeeded");
            String all = String.join("\n", said(ev));
            assertThat(all).contains("I'll create that video for you now.");
            assertThat(all.indexOf("I'll create")).isEqualTo(all.lastIndexOf("I'll create")); // partials skipped
            assertThat(all).doesNotContain("temporary issue");
          });
          return null;
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void a_turn_that_never_changes_the_state_fails_after_the_unchanged_reads_without_resending(VertxTestContext ctx) {
    sim.nextPlan(NemoStreamPlan.normal().failing());
    run("generate", prompt("Something impossible"), "zh")
        .map(task -> {
          ctx.verify(() -> {
            assertThat(task.getString("state")).isEqualTo("failed");
            JsonObject error = task.getJsonObject("error");
            assertThat(error.getString("kind")).isEqualTo("timeout");
            assertThat(error.getString("message")).contains("NemoVideo 耗时比平时长");
            assertThat(sim.messages(onlySession())).isEqualTo(1);
            assertThat(sim.calls("GET /api/state")).isEqualTo(1 + 5); // baseline + 5 unchanged reads
          });
          return null;
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void an_expired_token_is_replaced_with_the_same_client_id_and_the_task_goes_on(VertxTestContext ctx) {
    run("account", new JsonObject(), "en")
        .compose(first -> {
          sim.expireTokens();
          return run("generate", prompt("Autumn leaves falling"), "en");
        })
        .map(task -> {
          ctx.verify(() -> {
            assertThat(task.getString("state")).as(task.encodePrettily()).isEqualTo("succeeded");
            assertThat(sim.tokensIssued()).isEqualTo(2);
            assertThat(sim.messages(onlySession())).isEqualTo(1);
            assertThat(java.nio.file.Files.readString(dir.resolve("providers/nemovideo/client_id"))).hasSize(36);
            assertThat(java.nio.file.Files.getPosixFilePermissions(dir.resolve("providers/nemovideo/token.json")))
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                    java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
          });
          return null;
        })
        .onComplete(ctx.succeedingThenComplete());
  }
}
