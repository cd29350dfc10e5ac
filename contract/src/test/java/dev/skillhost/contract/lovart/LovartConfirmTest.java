package dev.skillhost.contract.lovart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.simulators.lovart.LovartScript;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The backend's own confirmation (Lovart stops a costly step and waits for /chat/confirm) spends
 * once: confirms sent at once pass one /chat/confirm on, and a task left waiting across a host
 * restart still shows its cost and is confirmed once. Counted in the simulator's spend ledger.
 */
@ExtendWith(VertxExtension.class)
class LovartConfirmTest extends LovartContractBase {

  private Future<HttpResponse<Buffer>> confirm(String id) {
    return host.post("/v1/tasks/" + id + "/confirm", new JsonObject());
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void confirms_sent_at_once_pass_one_confirmation_on_to_the_backend() {
    sim.queue(LovartScript.image(600).withArtifacts("video").withConfirm(14));
    String id = submit("t2v", new JsonObject().put("prompt", "ocean waves video"), null, "en").await();
    host.awaitState(id, "awaiting_confirmation").await();

    List<Future<HttpResponse<Buffer>>> all = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      all.add(confirm(id));
    }
    List<HttpResponse<Buffer>> answers = Future.all(all).await().list();
    JsonObject done = finished(id).await();

    assertThat(answers).filteredOn(a -> a.statusCode() == 200).hasSize(1);
    assertThat(answers).filteredOn(a -> a.statusCode() == 409).hasSize(5);
    assertThat(done.getString("state")).as(done.encodePrettily()).isEqualTo("succeeded");
    assertThat(sim.spends().spends()).extracting(s -> s.route()).containsExactly("POST /chat", "POST /chat/confirm");
    assertThat(sim.spends().credits()).isEqualTo(14.0);
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void a_task_the_backend_holds_for_confirmation_waits_across_a_restart_and_is_confirmed_once() {
    sim.queue(LovartScript.image(600).withArtifacts("video").withConfirm(14));
    String id = submit("t2v", new JsonObject().put("prompt", "ocean waves video"), null, "en").await();
    host.awaitState(id, "awaiting_confirmation").await();

    host.stop().compose(v -> host.restart()).await();
    JsonObject waiting = host.get("/v1/tasks/" + id).await().bodyAsJsonObject();
    int first = confirm(id).await().statusCode();
    JsonObject done = finished(id).await();
    HttpResponse<Buffer> again = confirm(id).await();

    assertThat(waiting.getString("state")).isEqualTo("awaiting_confirmation");
    assertThat(waiting.getJsonObject("confirmation").getString("by")).isEqualTo("provider");
    assertThat(waiting.getJsonObject("confirmation").getJsonObject("estimate").getDouble("credits")).isEqualTo(14.0);
    assertThat(first).isEqualTo(200);
    assertThat(done.getString("state")).as(done.encodePrettily()).isEqualTo("succeeded");
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(sim.spends().spends()).extracting(s -> s.route()).containsExactly("POST /chat", "POST /chat/confirm");
  }
}
