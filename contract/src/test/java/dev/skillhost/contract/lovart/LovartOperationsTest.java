package dev.skillhost.contract.lovart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.simulators.lovart.LovartScript;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every Lovart operation through the host's API, signed, against the simulator. */
@ExtendWith(VertxExtension.class)
class LovartOperationsTest extends LovartContractBase {

  static final byte[] MP4 = {0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm', 0, 0, 2, 0,
      'i', 's', 'o', 'm', 'm', 'p', '4', '1', 0, 0, 0, 8, 'f', 'r', 'e', 'e'};

  @ParameterizedTest
  @CsvSource({"text2image,,image", "image_edit,image,image", "t2v,,video", "i2v,image,video",
      "video_edit,video,video", "model_3d,,3d"})
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void every_operation_runs_end_to_end_with_signed_calls(String operation, String input, String artifact)
      throws Exception {
    sim.queue(LovartScript.image(300).withArtifacts(artifact));
    Future<JsonArray> inputs = input == null ? Future.succeededFuture(null)
        : ("image".equals(input) ? upload(PNG, "in.png", "image/png") : upload(MP4, "in.mp4", "video/mp4"))
            .map(id -> new JsonArray().add(new JsonObject().put("role", input).put("file", id)));
    JsonObject task = inputs.compose(in -> submit(operation, new JsonObject().put("prompt", "make something for " + operation), in, "en"))
        .compose(this::finished).await();

    assertThat(task.getString("state")).as(task.encodePrettily()).isEqualTo("succeeded");
    JsonObject out = task.getJsonArray("outputs").getJsonObject(0);
    assertThat(out.getString("url")).startsWith(sim.baseUrl() + "/artifacts/agent/");
    assertThat(out.getJsonObject("meta").getJsonObject("headers").getString("Referer")).isEqualTo("https://www.lovart.ai/");
    assertThat(sim.refusedAuth()).isZero();
    assertThat(sim.spends().total()).isEqualTo(1);
    assertThat(sim.spends().repeated()).isEmpty();
    JsonObject chat = sim.chats().get(0);
    assertThat(chat.getString("project_id")).isNotBlank();
    if (input != null) {
      assertThat(sim.requests("POST /file/upload")).isEqualTo(1);
      assertThat(chat.getJsonArray("attachments").getString(0)).startsWith(sim.baseUrl() + "/img/");
    }
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void mode_tools_and_account_mode_reach_the_wire_and_one_project_serves_every_task() {
    JsonObject params = new JsonObject().put("prompt", "design a brand identity").put("mode", "thinking")
        .put("account_mode", "unlimited")
        .put("prefer_models", new JsonObject().put("IMAGE", new JsonArray().add("generate_image_midjourney")))
        .put("include_tools", new JsonArray().add("upscale_image"));
    JsonObject first = run("text2image", params).await();
    JsonObject second = run("text2image", new JsonObject().put("prompt", "a cat")).await();

    assertThat(first.getString("state")).isEqualTo("succeeded");
    assertThat(second.getString("state")).isEqualTo("succeeded");
    JsonObject chat = sim.chats().get(0);
    assertThat(chat.getString("mode")).isEqualTo("thinking");
    assertThat(chat.getJsonObject("tool_config").getJsonObject("prefer_tool_categories").getJsonArray("IMAGE"))
        .containsExactly("generate_image_midjourney");
    assertThat(chat.getJsonObject("tool_config").getJsonArray("include_tools")).containsExactly("upscale_image");
    assertThat(sim.mode(first.getString("upstream_id"))).isEqualTo("thinking");
    assertThat(sim.unlimited()).isTrue();
    assertThat(sim.projects()).hasSize(1);
    assertThat(sim.chats().get(1).getString("project_id")).isEqualTo(chat.getString("project_id"));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void artifacts_arrive_as_output_events_while_the_message_runs() {
    sim.queue(LovartScript.image(3000).withArtifacts("image", "image", "image", "image"));
    String id = submit("text2image", new JsonObject().put("prompt", "4 variations of a cat"), null, "en").await();
    JsonObject task = finished(id).await();
    JsonArray events = events(id).await();

    assertThat(task.getString("state")).isEqualTo("succeeded");
    assertThat(task.getJsonArray("outputs")).hasSize(4);
    long outputs = events.stream().map(e -> (JsonObject) e).filter(e -> "output".equals(e.getString("type"))).count();
    assertThat(outputs).isEqualTo(4);
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void a_task_continues_a_thread_and_tasks_on_one_thread_wait_for_each_other() {
    JsonObject first = run("text2image", new JsonObject().put("prompt", "a red cat")).await();
    String thread = first.getString("upstream_id");
    sim.script(LovartScript.image(1500));
    JsonObject more = new JsonObject().put("prompt", "make it blue").put("thread_id", thread);
    String b = submit("image_edit", more, null, "en").await();
    String c = submit("image_edit", more.copy().put("prompt", "now green"), null, "en").await();
    JsonObject tb = finished(b).await();
    JsonObject tc = finished(c).await();

    assertThat(tb.getString("state")).as(tb.encodePrettily()).isEqualTo("succeeded");
    assertThat(tc.getString("state")).as(tc.encodePrettily()).isEqualTo("succeeded");
    assertThat(sim.turns(thread)).isEqualTo(3);
    assertThat(sim.spends().repeated()).isEmpty();
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void estimate_names_observed_costs_and_the_server_confirmation_asks_and_spends_on_confirm() {
    // model_3d prefers generate_3d_tripo: a third-party doc observed 14 credits for it
    JsonObject route = host.post("/v1/route", new JsonObject().put("text", "make me a 3D model of a chair"))
        .map(r -> r.bodyAsJsonObject()).await();
    assertThat(route.getString("operation")).as(route.encodePrettily()).isEqualTo("model_3d");
    assertThat(route.getJsonObject("estimate").getDouble("credits")).as(route.encodePrettily()).isEqualTo(14.0);

    sim.queue(LovartScript.image(600).withArtifacts("video").withConfirm(14));
    String id = submit("t2v", new JsonObject().put("prompt", "ocean waves video"), null, "en").await();
    JsonObject waiting = host.awaitState(id, "awaiting_confirmation").await();
    assertThat(sim.spends().credits()).isZero();
    JsonArray events = events(id).await();
    assertThat(events.encode()).contains("\"credits\":14.0");

    assertThat(host.post("/v1/tasks/" + id + "/confirm", new JsonObject()).await().statusCode()).isEqualTo(200);
    JsonObject done = finished(id).await();
    assertThat(waiting.getString("state")).isEqualTo("awaiting_confirmation");
    assertThat(done.getString("state")).as(done.encodePrettily()).isEqualTo("succeeded");
    assertThat(sim.spends().spends()).extracting(s -> s.route()).containsExactly("POST /chat", "POST /chat/confirm");
    assertThat(sim.spends().credits()).isEqualTo(14.0);
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void account_reports_the_billing_mode_and_the_live_catalog() {
    JsonObject providers = host.get("/v1/providers").map(r -> r.bodyAsJsonObject()).await();
    assertThat(providers.encode()).contains("lovart").contains("generate_video_seedance_v2_0");
  }
}
