package dev.skillhost.host.outbox;

import static dev.skillhost.host.outbox.OutboxTesting.awaitDeliveries;
import static dev.skillhost.host.outbox.OutboxTesting.submit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.host.boot.HostConfig;
import dev.skillhost.host.testing.Problems;
import dev.skillhost.host.testing.TestHost;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /v1/deliveries}: a key's deliveries across its tasks, newest first, by state, in
 * cursor pages, with each row's task, attempts and last error (what the console's Deliveries
 * page shows); bad query values are problems, not 500s.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class DeliveryListTest {

  @TempDir Path dir;
  private TestHost host;
  private Receiver receiver;

  @AfterEach
  void stop(VertxTestContext ctx) {
    Future<Void> h = host == null ? Future.succeededFuture() : host.close();
    h.eventually(() -> receiver == null ? Future.succeededFuture() : receiver.close())
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void lists_deliveries_across_tasks_newest_first_by_state_and_in_pages(Vertx vertx, VertxTestContext ctx)
      throws IOException {
    String closed = closedUrl();
    List<String> ids = new ArrayList<>();
    receiver = new Receiver(n -> 204);
    receiver.start(vertx)
        .compose(r -> TestHost.start(vertx, dir, c -> configure().apply(OutboxTesting.fast(20).apply(c))))
        .compose(h -> {
          host = h;
          return h.get("/v1/webhooks/secret");
        })
        .compose(r -> {
          receiver.secret(r.bodyAsJsonObject().getString("secret"));
          return settled(receiver.url(), ids);
        })
        .compose(v -> settled(closed, ids))
        .compose(v -> settled(receiver.url(), ids))
        .compose(v -> Future.all(host.get("/v1/deliveries"), host.get("/v1/deliveries?state=failed"),
            host.get("/v1/deliveries?limit=2")))
        .compose(all -> {
          JsonObject first = all.<HttpResponse<Buffer>>resultAt(2).bodyAsJsonObject();
          return host.get("/v1/deliveries?limit=2&cursor=" + first.getString("next")).map(second -> {
            ctx.verify(() -> {
              JsonArray every = all.<HttpResponse<Buffer>>resultAt(0).bodyAsJsonObject().getJsonArray("deliveries");
              assertThat(tasks(every)).as("newest task first").containsExactly(ids.get(2), ids.get(1), ids.get(0));
              JsonObject good = every.getJsonObject(0);
              assertThat(good.getString("state")).isEqualTo("delivered");
              assertThat(good.getInteger("attempts")).isEqualTo(1);
              assertThat(good.getString("url")).isEqualTo(receiver.url());
              assertThat(good.getString("event_type")).isEqualTo("task.completed");

              JsonArray failed = all.<HttpResponse<Buffer>>resultAt(1).bodyAsJsonObject().getJsonArray("deliveries");
              assertThat(tasks(failed)).containsExactly(ids.get(1));
              JsonObject bad = failed.getJsonObject(0);
              assertThat(bad.getInteger("attempts")).as("every attempt of the schedule").isEqualTo(8);
              assertThat(bad.getString("last_error")).isNotBlank();
              assertThat(bad.getString("url")).isEqualTo(closed);

              assertThat(tasks(first.getJsonArray("deliveries"))).containsExactly(ids.get(2), ids.get(1));
              JsonObject page2 = second.bodyAsJsonObject();
              assertThat(tasks(page2.getJsonArray("deliveries"))).containsExactly(ids.get(0));
              assertThat(page2.getValue("next")).isNull();
            });
            return null;
          });
        })
        .compose(v -> Future.all(host.get("/v1/deliveries?state=lost"), host.get("/v1/deliveries?limit=0"),
            host.get("/v1/deliveries?cursor=nope"), host.get("/v1/deliveries?cursor=OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTp4")))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          for (int i = 0; i < 4; i++) {
            Problems.assertProblem(all.resultAt(i), 400, "bad-request");
          }
          ctx.completeNow();
        })));
  }

  /** More config for the host; a subclass runs the same test on PostgreSQL. */
  protected UnaryOperator<HostConfig> configure() {
    return UnaryOperator.identity();
  }

  /** Submits a sim task whose completion goes to {@code url} and waits until its delivery settles. */
  private Future<Void> settled(String url, List<String> ids) {
    return submit(host, new JsonObject().put("webhook", new JsonObject().put("url", url)
            .put("events", new JsonArray().add("completed"))))
        .compose(id -> {
          ids.add(id);
          return host.awaitState(id, "succeeded").compose(t -> awaitDeliveries(host, id, OutboxTesting::allSettled));
        })
        .mapEmpty();
  }

  private static List<String> tasks(JsonArray deliveries) {
    return deliveries.stream().map(o -> ((JsonObject) o).getString("task")).toList();
  }

  /** A 127.0.0.1 URL where nothing listens: every attempt is refused. */
  private static String closedUrl() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return "http://127.0.0.1:" + s.getLocalPort() + "/hook";
    }
  }
}
