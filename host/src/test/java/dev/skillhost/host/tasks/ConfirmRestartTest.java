package dev.skillhost.host.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.host.testing.HostTestBase;
import dev.skillhost.host.testing.PluginJarBuilder;
import dev.skillhost.host.testing.Problems;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Host-side spend confirmation is stored, not held in memory: a restarted host still waits,
 * shows the estimate, and spends once however often and whenever the user confirms. "Once" is
 * counted in the sim's own ledger of the submits it received.
 */
@Timeout(value = 40, timeUnit = TimeUnit.SECONDS)
class ConfirmRestartTest extends HostTestBase {

  /** A sim t2v whose estimate (500 credits) is over skills/sim.yaml's threshold, so it waits. */
  private Future<String> awaiting(JsonObject extra) {
    JsonObject params = new JsonObject().put("duration_ms", 300).put("cost", 500).mergeIn(extra);
    return host.submit("t2v", params).compose(id -> host.awaitState(id, "awaiting_confirmation").map(id));
  }

  private Future<HttpResponse<Buffer>> confirm(String id) {
    return host.post("/v1/tasks/" + id + "/confirm", new JsonObject());
  }

  private Future<Void> restart() {
    return host.stop().compose(v -> host.restart());
  }

  private Future<List<JsonObject>> events(String id) {
    return host.request(HttpMethod.GET, "/v1/tasks/" + id + "/events", host.key)
        .putHeader("Accept", "application/json").send()
        .map(r -> r.bodyAsJsonArray().stream().map(e -> (JsonObject) e).toList());
  }

  private static List<String> states(List<JsonObject> events) {
    return events.stream().filter(e -> e.getString("type").equals("state")).map(e -> e.getString("state")).toList();
  }

  @Test
  void a_task_awaiting_confirmation_still_waits_after_a_restart_shows_its_estimate_and_is_submitted_once(
      VertxTestContext ctx) {
    awaiting(new JsonObject())
        .compose(id -> restart().compose(v -> host.get("/v1/tasks/" + id)).map(r -> {
          JsonObject task = r.bodyAsJsonObject();
          ctx.verify(() -> {
            assertThat(task.getString("state")).isEqualTo("awaiting_confirmation");
            JsonObject asked = task.getJsonObject("confirmation");
            assertThat(asked.getString("by")).isEqualTo("host");
            assertThat(asked.getJsonObject("estimate").getDouble("credits")).isEqualTo(500.0);
            assertThat(asked.getJsonObject("estimate").getString("unit")).isEqualTo("sim_credits");
            assertThat(asked.getString("condition")).isEqualTo("has(estimate.credits) && estimate.credits > 100.0");
            assertThat(asked.containsKey("confirmed_at")).isFalse();
            assertThat(host.simSubmits(id)).isZero();
          });
          return id;
        }))
        .compose(id -> confirm(id).compose(r -> {
          ctx.verify(() -> assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200));
          return host.awaitState(id, "succeeded");
        }))
        .compose(done -> confirm(done.getString("id")).map(again -> List.of(done, again)))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          JsonObject done = (JsonObject) r.get(0);
          assertThat(host.simSubmits(done.getString("id"))).isEqualTo(1);
          assertThat(done.getJsonObject("confirmation").getString("confirmed_at")).isNotBlank();
          HttpResponse<?> again = (HttpResponse<?>) r.get(1);
          Problems.assertProblem(again, 409, "wrong-state");
          assertThat(again.bodyAsJsonObject().getString("detail")).contains("confirmed already");
          ctx.completeNow();
        })));
  }

  @Test
  void confirms_sent_at_once_are_accepted_once_and_spend_once(VertxTestContext ctx) {
    awaiting(new JsonObject())
        .compose(id -> {
          List<Future<HttpResponse<Buffer>>> all = new ArrayList<>();
          for (int i = 0; i < 8; i++) {
            all.add(confirm(id));
          }
          return Future.all(all).map(f -> List.of(id, f.<HttpResponse<Buffer>>list()));
        })
        .compose(r -> host.awaitState((String) r.get(0), "succeeded").map(r))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          @SuppressWarnings("unchecked")
          List<HttpResponse<Buffer>> answers = (List<HttpResponse<Buffer>>) r.get(1);
          assertThat(answers).filteredOn(a -> a.statusCode() == 200).hasSize(1);
          answers.stream().filter(a -> a.statusCode() != 200).forEach(a -> Problems.assertProblem(a, 409, "wrong-state"));
          assertThat(host.simSubmits((String) r.get(0))).isEqualTo(1);
          ctx.completeNow();
        })));
  }

  @Test
  void a_confirm_before_a_restart_and_another_after_it_spend_once(VertxTestContext ctx) {
    awaiting(new JsonObject().put("duration_ms", 1500))
        .compose(id -> confirm(id).map(first -> {
          ctx.verify(() -> assertThat(first.statusCode()).as(first.bodyAsString()).isEqualTo(200));
          return id;
        }))
        .compose(id -> restart().compose(v -> confirm(id)).map(second -> List.of(id, second)))
        .compose(r -> host.awaitState((String) r.get(0), "succeeded").compose(done -> events(done.getString("id")))
            .map(ev -> List.of(r.get(0), r.get(1), ev)))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          Problems.assertProblem((HttpResponse<?>) r.get(1), 409, "wrong-state");
          assertThat(host.simSubmits((String) r.get(0))).isEqualTo(1);
          @SuppressWarnings("unchecked")
          List<JsonObject> events = (List<JsonObject>) r.get(2);
          assertThat(states(events)).filteredOn("awaiting_confirmation"::equals).hasSize(1);
          ctx.completeNow();
        })));
  }

  @Test
  void a_confirmation_accepted_before_anything_was_sent_is_submitted_after_a_restart_without_asking_again(
      VertxTestContext ctx) {
    // The provider is gone when the user confirms, so the confirmed task can only wait, queued;
    // then the host stops. The next host (provider back) must send it once and not ask again.
    awaiting(new JsonObject())
        .compose(id -> host.stop().compose(v -> {
          try {
            Files.delete(host.pluginsDir.resolve("sim.jar"));
          } catch (java.io.IOException e) {
            return Future.failedFuture(e);
          }
          return host.restart();
        }).compose(v -> confirm(id)).map(r -> {
          ctx.verify(() -> {
            assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
            assertThat(r.bodyAsJsonObject().getString("state")).isEqualTo("queued");
          });
          return id;
        }))
        .compose(id -> host.stop().compose(v -> {
          try {
            PluginJarBuilder.simJar(host.pluginsDir, "sim.jar", "1.0.0");
          } catch (java.io.IOException e) {
            return Future.failedFuture(e);
          }
          return host.restart();
        }).compose(v -> host.awaitState(id, "succeeded")).compose(done -> events(id)).map(ev -> List.of(id, ev)))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          @SuppressWarnings("unchecked")
          List<JsonObject> events = (List<JsonObject>) r.get(1);
          assertThat(states(events)).containsExactly(
              "queued", "awaiting_confirmation", "queued", "submitting", "running", "succeeded");
          assertThat(host.simSubmits((String) r.get(0))).isEqualTo(1);
          ctx.completeNow();
        })));
  }

  @Test
  void a_confirmed_task_caught_mid_submit_is_reconciled_not_resent_and_not_asked_again(VertxTestContext ctx) {
    // The sim records the submission, then takes 3 s to answer: the host stops in between.
    awaiting(new JsonObject().put("slow_submit_ms", 3000))
        .compose(id -> confirm(id).compose(r -> host.awaitState(id, "submitting")).map(id))
        .compose(id -> restart().compose(v -> host.awaitState(id, "succeeded")).compose(done -> events(id))
            .map(ev -> List.of(id, ev)))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          @SuppressWarnings("unchecked")
          List<JsonObject> events = (List<JsonObject>) r.get(1);
          assertThat(states(events)).containsExactly(
              "queued", "awaiting_confirmation", "queued", "submitting", "unknown", "running", "succeeded");
          assertThat(host.simSubmits((String) r.get(0))).isEqualTo(1);
          ctx.completeNow();
        })));
  }
}
