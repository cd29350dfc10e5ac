package dev.skillhost.host.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.host.testing.HostTestBase;
import dev.skillhost.host.testing.Problems;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Tasks under a skill (skills/sim.yaml): mapped errors, rendered messages, confirmation, routing by words. */
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class SkillTasksTest extends HostTestBase {

  private Future<JsonObject> create(JsonObject body) {
    return host.post("/v1/tasks", body).map(r -> {
      if (r.statusCode() != 202) {
        throw new AssertionError("submit answered " + r.statusCode() + ": " + r.bodyAsString());
      }
      return r.bodyAsJsonObject();
    });
  }

  private Future<JsonArray> events(String id) {
    return host.request(HttpMethod.GET, "/v1/tasks/" + id + "/events", host.key)
        .putHeader("Accept", "application/json").send().map(HttpResponse::bodyAsJsonArray);
  }

  private static List<String> messages(JsonArray events) {
    return events.stream().map(e -> ((JsonObject) e).getString("message")).filter(m -> m != null).toList();
  }

  @Test
  void a_failed_task_carries_the_error_maps_kind_action_and_message_in_the_users_language(VertxTestContext ctx) {
    create(new JsonObject().put("provider", "sim").put("operation", "t2v").put("locale", "zh-CN")
            .put("params", new JsonObject().put("duration_ms", 200).put("fail", true)))
        .compose(t -> host.awaitState(t.getString("id"), "failed"))
        .compose(t -> events(t.getString("id")).map(ev -> List.of(t, ev)))
        .onComplete(ctx.succeeding(both -> ctx.verify(() -> {
          JsonObject task = (JsonObject) both.get(0);
          JsonObject error = task.getJsonObject("error");
          assertThat(task.getString("skill")).isEqualTo("sim");
          assertThat(error.getString("kind")).isEqualTo("upstream");
          assertThat(error.getString("action")).isEqualTo("resubmit");
          assertThat(error.getString("code")).isEqualTo("SIM_FAILED");
          assertThat(error.getString("message")).isEqualTo("模拟器按要求让任务失败了,请重新提交。");
          assertThat(error.getString("detail")).isNotBlank();
          assertThat(messages((JsonArray) both.get(1))).contains("生成失败:模拟器按要求让任务失败了,请重新提交。");
          ctx.completeNow();
        })));
  }

  @Test
  void every_step_tells_the_user_in_their_language_with_eta_progress_and_result(VertxTestContext ctx) {
    create(new JsonObject().put("provider", "sim").put("operation", "t2v").put("locale", "zh-TW")
            .put("params", new JsonObject().put("duration_ms", 400)))
        .compose(t -> host.awaitState(t.getString("id"), "succeeded"))
        .compose(t -> events(t.getString("id")).map(ev -> List.of(t, ev)))
        .onComplete(ctx.succeeding(both -> ctx.verify(() -> {
          JsonObject task = (JsonObject) both.get(0);
          List<String> said = messages((JsonArray) both.get(1));
          assertThat(said).anyMatch(m -> m.startsWith("已提交到模拟器,预计 3–6 秒"));
          assertThat(said).anyMatch(m -> m.matches("已完成 \\d+%"));
          String file = task.getJsonArray("outputs").getJsonObject(0).getString("file");
          assertThat(said).anyMatch(m -> m.startsWith("🎬 视频已生成") && m.contains("/v1/files/" + file));
          ctx.completeNow();
        })));
  }

  @Test
  void a_spend_over_the_skills_threshold_waits_for_confirmation_and_is_submitted_once_after_it(VertxTestContext ctx) {
    create(new JsonObject().put("provider", "sim").put("operation", "t2v")
            .put("params", new JsonObject().put("duration_ms", 100).put("cost", 500)))
        .compose(t -> host.awaitState(t.getString("id"), "awaiting_confirmation"))
        .compose(t -> {
          String id = t.getString("id");
          ctx.verify(() -> assertThat(host.simSubmits(id)).isZero());
          return events(id).compose(ev -> {
            ctx.verify(() -> assertThat(messages(ev)).contains("This will cost 500.0 sim_credits. Confirm to go on."));
            return host.post("/v1/tasks/" + id + "/confirm", new JsonObject());
          }).compose(r -> {
            ctx.verify(() -> assertThat(r.statusCode()).isEqualTo(200));
            return host.awaitState(id, "succeeded");
          }).compose(done -> host.post("/v1/tasks/" + id + "/confirm", new JsonObject()).map(again -> List.of(id, again)));
        })
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(host.simSubmits((String) r.get(0))).isEqualTo(1);
          Problems.assertProblem((HttpResponse<?>) r.get(1), 409, "wrong-state");
          ctx.completeNow();
        })));
  }

  @Test
  void a_cheap_spend_goes_straight_through(VertxTestContext ctx) {
    create(new JsonObject().put("provider", "sim").put("operation", "t2v")
            .put("params", new JsonObject().put("duration_ms", 100).put("cost", 5)))
        .compose(t -> host.awaitState(t.getString("id"), "succeeded"))
        .onComplete(ctx.succeeding(t -> ctx.completeNow()));
  }

  @Test
  void a_request_in_words_is_routed_within_the_named_skill_and_gets_its_defaults(VertxTestContext ctx) {
    create(new JsonObject().put("skill", "sim").put("text", "make a short video of a cat").put("locale", "en"))
        .onComplete(ctx.succeeding(t -> ctx.verify(() -> {
          assertThat(t.getString("skill")).isEqualTo("sim");
          assertThat(t.getString("operation")).isEqualTo("t2v");
          assertThat(t.getJsonObject("params").getInteger("duration_ms")).isEqualTo(3000);
          assertThat(t.getJsonObject("params").getString("prompt")).isEqualTo("make a short video of a cat");
          ctx.completeNow();
        })));
  }

  @Test
  void a_request_only_a_cloud_skill_serves_names_that_skill_and_what_it_needs(VertxTestContext ctx) {
    host.post("/v1/tasks", new JsonObject().put("text", "make a seedance video of a dragon").put("locale", "en"))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          Problems.assertProblem(r, 422, "skill-not-ready");
          assertThat(r.bodyAsJsonObject().getString("detail")).containsPattern("Skill '(chatart|libtv|lovart|nemovideo)'")
              .contains("not loaded");
          ctx.completeNow();
        })));
  }

  @Test
  void parameters_outside_the_skills_limits_and_unknown_skills_are_refused(VertxTestContext ctx) {
    Future.all(host.post("/v1/tasks", new JsonObject().put("provider", "sim").put("operation", "t2v")
                .put("params", new JsonObject().put("duration_ms", 99_999_999))),
            host.post("/v1/tasks", new JsonObject().put("skill", "nope").put("operation", "t2v")),
            host.post("/v1/tasks", new JsonObject().put("text", "what's the weather tomorrow")))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          HttpResponse<?> limit = all.resultAt(0);
          Problems.assertProblem(limit, 400, "invalid-request");
          assertThat(limit.bodyAsJsonObject().getString("detail")).contains("'duration_ms' must be between 0 and 3600000");
          Problems.assertProblem(all.resultAt(1), 422, "unknown-skill");
          Problems.assertProblem(all.resultAt(2), 422, "no-route");
          ctx.completeNow();
        })));
  }

  @Test
  void an_output_from_an_address_the_skill_does_not_accept_is_refused_and_said(VertxTestContext ctx) {
    JsonObject evil = new JsonObject().put("provider", "sim").put("operation", "text2image")
        .put("params", new JsonObject().put("duration_ms", 50).put("cdn_url", "https://evil.example/x.png"));
    JsonObject good = new JsonObject().put("provider", "sim").put("operation", "text2image")
        .put("params", new JsonObject().put("duration_ms", 50).put("cdn_url", "https://cdn.sim.skillhost.invalid/x.png"));
    create(evil).compose(t -> host.await(t.getString("id"), d -> d.getString("state").matches("succeeded|failed")))
        .compose(refused -> events(refused.getString("id")).map(ev -> List.<Object>of(refused, ev)))
        .compose(r -> create(good).compose(t -> host.awaitState(t.getString("id"), "succeeded"))
            .map(kept -> List.<Object>of(r.get(0), r.get(1), kept)))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          JsonObject refused = (JsonObject) r.get(0);
          assertThat(refused.getString("state")).isEqualTo("failed");
          assertThat(refused.getJsonObject("error").getString("code")).isEqualTo("output_refused");
          assertThat(refused.getJsonObject("error").getString("message")).contains("https://evil.example/x.png")
              .contains("only https://cdn.sim.skillhost.invalid/");
          assertThat(((JsonArray) r.get(1)).encode()).doesNotContain("\"type\":\"output\"");
          JsonObject kept = (JsonObject) r.get(2);
          assertThat(kept.getJsonArray("outputs").getJsonObject(0).getString("url"))
              .isEqualTo("https://cdn.sim.skillhost.invalid/x.png");
          ctx.completeNow();
        })));
  }
}
