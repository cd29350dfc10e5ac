package dev.skillhost.contract.lovart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.simulators.Faults;
import dev.skillhost.simulators.lovart.LovartScript;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Faults, refusals and rate limits: every task ends terminal, mapped, localized, never paid twice. */
@ExtendWith(VertxExtension.class)
class LovartFaultsTest extends LovartContractBase {

  private static final String ERR = "{\"code\":500,\"message\":\"bad gateway\"}";

  private JsonObject runIn(String locale, JsonObject params) {
    return submit("text2image", params, null, locale).compose(this::finished).await();
  }

  @Test
  @Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
  void transient_read_faults_are_retried_and_the_task_succeeds_with_one_spend() {
    sim.faults().next("GET /chat/status", new Faults.Status(502, ERR, null))
        .next("GET /chat/status", new Faults.ResetBefore())
        .next("GET /chat/status", new Faults.Malformed())
        .next("GET /chat/result", new Faults.Status(503, ERR, null))
        .next("GET /chat/status", new Faults.Slow(500));
    JsonObject task = runIn("en", new JsonObject().put("prompt", "a cat"));

    assertThat(task.getString("state")).as(task.encodePrettily()).isEqualTo("succeeded");
    assertThat(sim.spends().total()).isEqualTo(1);
    assertThat(sim.spends().repeated()).isEmpty();
  }

  @Test
  @Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
  void a_reset_after_the_chat_was_received_is_never_sent_again() {
    sim.faults().next("POST /chat", new Faults.ResetAfter());
    JsonObject task = runIn("zh", new JsonObject().put("prompt", "一只猫"));

    assertThat(task.getString("state")).isEqualTo("failed");
    assertThat(task.getJsonObject("error").getString("code")).isEqualTo("submission_unknown");
    assertThat(sim.requests("POST /chat")).isEqualTo(1);
    assertThat(sim.spends().total()).isEqualTo(1);
  }

  @Test
  @Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
  void refusals_map_to_their_kind_with_english_and_chinese_messages() {
    sim.credits(0);
    JsonObject en = runIn("en", new JsonObject().put("prompt", "a cat"));
    JsonObject zh = runIn("zh", new JsonObject().put("prompt", "一只猫"));
    sim.credits(1000);
    sim.queue(LovartScript.image(300).withArtifacts().withText("I can't draw that."));
    JsonObject textOnly = runIn("zh", new JsonObject().put("prompt", "draw something forbidden"));
    sim.queue(LovartScript.image(300).aborting());
    JsonObject aborted = runIn("en", new JsonObject().put("prompt", "a dog"));

    assertThat(en.getJsonObject("error").getString("kind")).isEqualTo("quota");
    assertThat(en.getJsonObject("error").getString("message")).startsWith("Lovart refused this");
    assertThat(zh.getJsonObject("error").getString("message")).startsWith("Lovart 拒绝了该请求");
    assertThat(textOnly.getJsonObject("error").getString("code")).isEqualTo("no_artifacts");
    assertThat(textOnly.getJsonObject("error").getString("message")).contains("Lovart 已结束但没有生成文件").contains("I can't draw that.");
    assertThat(aborted.getJsonObject("error").getString("code")).isEqualTo("abort");
    assertThat(aborted.getJsonObject("error").getString("message")).isEqualTo("Lovart stopped this task before it finished.");
    assertThat(sim.spends().repeated()).isEmpty();
  }

  @Test
  @Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
  void rate_limits_are_waited_out_and_no_429_fails_a_task() {
    sim.limits(60, 600, 30, 3000); // reads far below the documented 300/min the host's buckets know
    sim.script(LovartScript.image(3000));
    List<Future<JsonObject>> tasks = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      tasks.add(submit("text2image", new JsonObject().put("prompt", "cat " + i), null, "en").compose(this::finished));
    }
    Future.all(tasks).await();

    assertThat(sim.rateLimited()).isPositive();
    for (Future<JsonObject> t : tasks) {
      assertThat(t.result().getString("state")).as(t.result().encodePrettily()).isEqualTo("succeeded");
    }
    assertThat(sim.spends().repeated()).isEmpty();
  }
}
