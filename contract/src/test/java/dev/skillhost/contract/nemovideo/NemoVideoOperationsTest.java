package dev.skillhost.contract.nemovideo;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Every operation of the nemovideo skill, end to end through the host API against the simulator. */
class NemoVideoOperationsTest extends NemoVideoContractBase {

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void generate_sends_one_message_waits_for_both_stages_and_exports(VertxTestContext ctx) {
    run("generate", prompt("Make a 10-second sunset timelapse").put("duration", 10).put("aspect_ratio", "16:9"), "en")
        .compose(task -> events(task.getString("id")).map(ev -> {
          ctx.verify(() -> {
            assertThat(task.getString("state")).as(task.encodePrettily()).isEqualTo("succeeded");
            String sid = onlySession();
            assertThat(sim.messages(sid)).isEqualTo(1);
            assertThat(sim.spends().repeated()).isEmpty();
            // the second stage (music and title) landed before success
            JsonArray tracks = sim.state(sid).getJsonObject("draft").getJsonArray("t");
            assertThat(tracks).hasSize(3);
            JsonObject out = task.getJsonArray("outputs").getJsonObject(0);
            assertThat(out.getString("kind")).isEqualTo("video");
            assertThat(out.getString("url")).startsWith(sim.baseUrl() + "/render-result/render_");
            assertThat(out.getJsonObject("meta").getString("link"))
                .startsWith("https://nemovideo.test/workspace/claim?ct=clm_").doesNotContain("nmv_usr_");
            assertThat(out.getJsonObject("meta").getLong("duration_ms")).isEqualTo(10000L);
            // the agent's words arrive; tool calls do not
            assertThat(said(ev)).anyMatch(m -> m.contains("I'll create that video"));
            assertThat(String.join("\n", said(ev))).doesNotContain("generate_video_with_seedance", "heartbeat");
            assertThat(said(ev)).anyMatch(m -> m.contains("Timeline (3 tracks)"));
            assertThat(sim.calls("POST /api/auth/anonymous-token")).isEqualTo(1);
          });
          return null;
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void edit_state_export_and_account_work_on_the_last_session(VertxTestContext ctx) {
    sim.credits(1000);
    run("generate", prompt("A cat surfing a wave").put("export", false), "en")
        .compose(gen -> run("edit", prompt("add a glitch effect"), "en").map(edit -> {
          ctx.verify(() -> {
            assertThat(gen.getString("state")).isEqualTo("succeeded");
            assertThat(gen.getJsonArray("outputs").getJsonObject(0).getString("kind")).isEqualTo("text");
            assertThat(edit.getString("state")).as(edit.encodePrettily()).isEqualTo("succeeded");
            String sid = onlySession();
            assertThat(sim.messages(sid)).isEqualTo(2); // one per task, two tasks
            assertThat(sim.state(sid).encode()).contains("add a glitch effect");
          });
          return edit;
        }))
        .compose(edit -> run("state", new JsonObject(), "en").map(state -> {
          ctx.verify(() -> {
            assertThat(state.getString("state")).isEqualTo("succeeded");
            assertThat(state.getJsonArray("outputs").getJsonObject(0).getJsonObject("meta").getString("text"))
                .startsWith("Timeline (3 tracks): 1. Video: A cat surfing a").contains("2. BGM: Lo-fi (0-10s, 35%)");
          });
          return state;
        }))
        .compose(s -> run("export", new JsonObject(), "en").map(export -> {
          ctx.verify(() -> {
            assertThat(export.getString("state")).isEqualTo("succeeded");
            assertThat(export.getJsonArray("outputs").getJsonObject(0).getString("url")).contains("/render-result/render_");
          });
          return export;
        }))
        .compose(e -> run("account", new JsonObject(), "zh").map(acct -> {
          ctx.verify(() -> {
            assertThat(acct.getString("state")).isEqualTo("succeeded");
            JsonObject meta = acct.getJsonArray("outputs").getJsonObject(0).getJsonObject("meta");
            // 100 credits per message, two messages
            assertThat(meta.getDouble("available")).isEqualTo(800.0);
            assertThat(meta.getDouble("total")).isEqualTo(meta.getDouble("available") + meta.getDouble("frozen"));
          });
          return null;
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void uploads_files_and_urls_into_the_session(VertxTestContext ctx) {
    byte[] png = java.util.Base64.getDecoder().decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");
    upload("photo.png", png, "image/png")
        .compose(file -> submit("upload", new JsonObject().put("urls", new JsonArray().add("https://example.com/clip.mp4")),
            "en", new JsonArray().add(new JsonObject().put("role", "image").put("file", file))))
        .compose(this::finish)
        .map(task -> {
          ctx.verify(() -> {
            assertThat(task.getString("state")).as(task.encodePrettily()).isEqualTo("succeeded");
            JsonArray outs = task.getJsonArray("outputs");
            assertThat(outs).hasSize(2);
            assertThat(outs.getJsonObject(0).getString("kind")).isEqualTo("image");
            assertThat(outs.getJsonObject(1).getString("url")).isEqualTo("https://example.com/clip.mp4");
            assertThat(sim.state(onlySession()).getJsonArray("video_infos")).hasSize(2);
            assertThat(sim.spends().total()).isZero();
          });
          return null;
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void a_generation_with_an_image_uploads_it_first_then_sends_once(VertxTestContext ctx) {
    byte[] png = java.util.Base64.getDecoder().decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");
    upload("still.png", png, "image/png")
        .compose(file -> submit("generate", prompt("animate this photo"), "zh",
            new JsonArray().add(new JsonObject().put("role", "image").put("file", file))))
        .compose(this::finish)
        .map(task -> {
          ctx.verify(() -> {
            assertThat(task.getString("state")).as(task.encodePrettily()).isEqualTo("succeeded");
            assertThat(sim.state(onlySession()).getJsonArray("video_infos")).hasSize(1);
            assertThat(sim.messages(onlySession())).isEqualTo(1);
          });
          return null;
        })
        .onComplete(ctx.succeedingThenComplete());
  }
}
