package dev.skillhost.host.outbox;

import static dev.skillhost.host.outbox.OutboxTesting.allSettled;
import static dev.skillhost.host.outbox.OutboxTesting.awaitDeliveries;
import static dev.skillhost.host.outbox.OutboxTesting.submit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.host.testing.Problems;
import dev.skillhost.host.testing.TestHost;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Webhooks end to end: signed the Standard Webhooks way, retried, durable, refused for private addresses. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class WebhookTest {

  @TempDir Path dir;
  private TestHost host;
  private Receiver receiver;

  @AfterEach
  void stop(VertxTestContext ctx) {
    Future<Void> h = host == null ? Future.succeededFuture() : host.close();
    h.eventually(() -> receiver == null ? Future.succeededFuture() : receiver.close())
        .onComplete(ctx.succeedingThenComplete());
  }

  private Future<Void> start(Vertx vertx, long stepMs, java.util.function.IntUnaryOperator policy) {
    receiver = new Receiver(policy);
    return receiver.start(vertx)
        .compose(r -> TestHost.start(vertx, dir, OutboxTesting.fast(stepMs)))
        .compose(h -> {
          host = h;
          return h.get("/v1/webhooks/secret");
        })
        .map(r -> {
          receiver.secret(r.bodyAsJsonObject().getString("secret"));
          return null;
        });
  }

  @Test
  void a_receiver_failing_three_times_gets_every_event_signed_and_each_marked_delivered_exactly_once(Vertx vertx,
      VertxTestContext ctx) {
    start(vertx, 40, n -> n <= 3 ? 500 : 204)
        .compose(v -> submit(host, new JsonObject().put("webhook", new JsonObject().put("url", receiver.url()))))
        .compose(id -> host.awaitState(id, "succeeded").map(id))
        .compose(id -> awaitDeliveries(host, id, OutboxTesting::allSettled).map(list -> List.of(id, list)))
        .onComplete(ctx.succeeding(pair -> ctx.verify(() -> {
          String taskId = (String) pair.get(0);
          JsonArray deliveries = (JsonArray) pair.get(1);
          // every event of the kinds asked for (all, by default): queued, submitting, running, progress…, output, succeeded
          assertThat(deliveries.size()).isGreaterThanOrEqualTo(4);
          Set<String> types = deliveries.stream().map(o -> ((JsonObject) o).getString("event_type")).collect(Collectors.toSet());
          assertThat(types).contains("task.state", "task.output", "task.completed");
          for (Object o : deliveries) {
            JsonObject d = (JsonObject) o;
            assertThat(d.getString("state")).as(d.encode()).isEqualTo("delivered");
            assertThat(d.getInteger("attempts")).as(d.encode()).isEqualTo(4);
            assertThat(d.getString("url")).isEqualTo(receiver.url());
          }
          List<String> ids = deliveries.stream().map(o -> ((JsonObject) o).getString("id")).toList();
          // each event accepted exactly once, and only after three refusals of that same id
          assertThat(receiver.accepted()).containsExactlyInAnyOrderElementsOf(ids);
          for (String id : ids) {
            assertThat(receiver.hits.stream().filter(h -> id.equals(h.id())).count()).isEqualTo(4);
          }
          assertThat(receiver.hits).allSatisfy(h -> assertThat(h.problem()).as(h.id()).isNull());
          Receiver.Hit last = receiver.hits.stream().filter(h -> h.body().getString("type").equals("task.completed"))
              .reduce((a, b) -> b).orElseThrow();
          assertThat(last.body().getJsonObject("data").getJsonObject("task").getString("id")).isEqualTo(taskId);
          assertThat(last.body().getJsonObject("data").getJsonObject("task").getString("state")).isEqualTo("succeeded");
          assertThat(last.body().getJsonObject("data").getJsonObject("event").getLong("seq")).isPositive();
          ctx.completeNow();
        })));
  }

  @Test
  void only_the_events_asked_for_are_sent_and_the_secret_file_is_private(Vertx vertx, VertxTestContext ctx) {
    start(vertx, 40, n -> 200)
        .compose(v -> submit(host, new JsonObject().put("webhook", new JsonObject().put("url", receiver.url())
            .put("events", new JsonArray().add("completed")))))
        .compose(id -> host.awaitState(id, "succeeded").compose(t -> awaitDeliveries(host, id, OutboxTesting::allSettled)))
        .onComplete(ctx.succeeding(list -> ctx.verify(() -> {
          assertThat(list).hasSize(1);
          assertThat(list.getJsonObject(0).getString("event_type")).isEqualTo("task.completed");
          assertThat(receiver.accepted()).containsExactly(list.getJsonObject(0).getString("id"));
          Path secrets = dir.resolve(WebhookSecrets.DIR_NAME);
          assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secrets))).isEqualTo("rwx------");
          try (java.util.stream.Stream<Path> files = Files.list(secrets)) {
            List<Path> all = files.toList();
            assertThat(all).hasSize(1);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(all.get(0)))).isEqualTo("rw-------");
          }
          ctx.completeNow();
        })));
  }

  @Test
  void a_delivery_still_being_retried_when_the_host_stops_is_delivered_after_the_restart(Vertx vertx,
      VertxTestContext ctx) {
    String[] taskId = new String[1];
    start(vertx, 400, n -> 503)
        .compose(v -> submit(host, new JsonObject().put("webhook", new JsonObject().put("url", receiver.url())
            .put("events", new JsonArray().add("completed")))))
        .compose(id -> {
          taskId[0] = id;
          return awaitDeliveries(host, id, l -> l.size() == 1 && l.getJsonObject(0).getInteger("attempts") >= 1);
        })
        .compose(l -> host.stop())
        .compose(v -> {
          receiver.policy(n -> 200);
          return host.restart();
        })
        .compose(v -> awaitDeliveries(host, taskId[0], OutboxTesting::allSettled))
        .onComplete(ctx.succeeding(list -> ctx.verify(() -> {
          JsonObject d = list.getJsonObject(0);
          assertThat(d.getString("state")).isEqualTo("delivered");
          assertThat(d.getInteger("attempts")).isGreaterThanOrEqualTo(2);
          // same webhook-id before and after the restart; the secret survived it (the signature checks)
          assertThat(receiver.hits).allSatisfy(h -> {
            assertThat(h.id()).isEqualTo(d.getString("id"));
            assertThat(h.problem()).isNull();
          });
          assertThat(receiver.accepted()).containsExactly(d.getString("id"));
          ctx.completeNow();
        })));
  }

  @Test
  void gone_stops_the_delivery_and_every_later_one_to_that_webhook(Vertx vertx, VertxTestContext ctx) {
    start(vertx, 40, n -> 410)
        .compose(v -> submit(host, new JsonObject().put("webhook", new JsonObject().put("url", receiver.url()))))
        .compose(id -> host.awaitState(id, "succeeded").compose(t -> awaitDeliveries(host, id, OutboxTesting::allSettled)))
        .onComplete(ctx.succeeding(list -> ctx.verify(() -> {
          assertThat(list).allSatisfy(o -> assertThat(((JsonObject) o).getString("state")).isEqualTo("failed"));
          // nothing was retried after a 410, and events after the first 410 was recorded were never sent
          // (the first few may have been under way at once)
          assertThat(receiver.hits.stream().map(Receiver.Hit::id).distinct().count()).isEqualTo(receiver.hits.size());
          assertThat(receiver.hits).noneMatch(h -> h.body().getString("type").equals("task.completed"));
          // and no later event was even queued for it: the 410 ended the subscription
          assertThat(list.stream().map(o -> ((JsonObject) o).getString("event_type"))).doesNotContain("task.completed");
          assertThat(list.stream().map(o -> ((JsonObject) o).getString("last_error")).toList())
              .anySatisfy(e -> assertThat(e).contains("410"));
          ctx.completeNow();
        })));
  }

  @Test
  void webhooks_to_private_addresses_and_bad_webhook_fields_are_refused_at_creation(Vertx vertx, VertxTestContext ctx) {
    // no allowance: the default, public addresses only
    TestHost.start(vertx, dir, c -> c).compose(h -> {
      host = h;
      return Future.all(List.of(
          hook("http://127.0.0.1:9/x"),
          hook("http://10.1.2.3/x"),
          hook("http://169.254.169.254/latest/meta-data"),
          hook("http://[::1]/x"),
          hook("http://localhost:8080/x"),
          hook("file:///etc/passwd"),
          host.post("/v1/tasks", base().put("webhook", new JsonObject().put("url", "https://example.com/h")
              .put("events", new JsonArray().add("everything")))),
          host.post("/v1/tasks", base().put("webhook", "https://example.com/h")),
          host.post("/v1/tasks", base().put("webhook", new JsonObject().put("url", "https://example.com/h").put("secret", "x"))),
          host.post("/v1/tasks", base().put("channel", new JsonObject().put("id", "nope").put("chat_id", "c1")))));
    }).onComplete(ctx.succeeding(all -> ctx.verify(() -> {
      List<io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer>> r = all.list();
      for (int i = 0; i < 5; i++) {
        Problems.assertProblem(r.get(i), 422, "webhook-refused");
      }
      assertThat(r.get(0).bodyAsJsonObject().getString("detail")).contains("loopback");
      assertThat(r.get(1).bodyAsJsonObject().getString("detail")).contains("private");
      assertThat(r.get(2).bodyAsJsonObject().getString("detail")).contains("metadata");
      assertThat(r.get(4).bodyAsJsonObject().getString("detail")).contains("loopback");
      Problems.assertProblem(r.get(5), 400, "invalid-request");
      assertThat(r.get(5).bodyAsJsonObject().getString("detail")).contains("http or https");
      Problems.assertProblem(r.get(6), 400, "invalid-request");
      assertThat(r.get(6).bodyAsJsonObject().getString("detail")).contains("everything");
      Problems.assertProblem(r.get(7), 400, "invalid-request");
      Problems.assertProblem(r.get(8), 400, "invalid-request");
      assertThat(r.get(8).bodyAsJsonObject().getString("detail")).contains("webhook.secret");
      Problems.assertProblem(r.get(9), 422, "unknown-channel");
      ctx.completeNow();
    })));
  }

  private Future<io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer>> hook(String url) {
    return host.post("/v1/tasks", base().put("webhook", new JsonObject().put("url", url)));
  }

  private static JsonObject base() {
    return new JsonObject().put("provider", "sim").put("operation", "text2image")
        .put("params", new JsonObject().put("duration_ms", 50));
  }
}
