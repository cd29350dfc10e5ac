package dev.skillhost.host.outbox;

import dev.skillhost.host.boot.HostConfig;
import dev.skillhost.host.testing.TestHost;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/** Shared by the outbox tests: a fast retry schedule and waiting on a task's deliveries. */
final class OutboxTesting {

  private OutboxTesting() {}

  /** 127.0.0.1 allowed, eight attempts {@code stepMs} apart, polled every 10 ms. */
  static UnaryOperator<HostConfig> fast(long stepMs) {
    return c -> c.withNet(new HostConfig.Net(List.of("127.0.0.1")))
        .withOutbox(new HostConfig.Outbox(schedule(stepMs), Duration.ofMillis(10), Duration.ofSeconds(5)));
  }

  static List<Duration> schedule(long stepMs) {
    List<Duration> s = new java.util.ArrayList<>(Collections.nCopies(8, Duration.ofMillis(stepMs)));
    s.set(0, Duration.ZERO);
    return s;
  }

  /** Polls the task's deliveries every 20 ms until {@code done} holds (the test's @Timeout bounds it). */
  static Future<JsonArray> awaitDeliveries(TestHost host, String taskId, Predicate<JsonArray> done) {
    return host.get("/v1/tasks/" + taskId + "/deliveries").compose(r -> {
      if (r.statusCode() != 200) {
        return Future.failedFuture(new AssertionError("deliveries answered " + r.statusCode() + ": " + r.bodyAsString()));
      }
      JsonArray list = r.bodyAsJsonObject().getJsonArray("deliveries");
      if (done.test(list)) {
        return Future.succeededFuture(list);
      }
      return host.vertx.timer(20).compose(v -> awaitDeliveries(host, taskId, done));
    });
  }

  static boolean allSettled(JsonArray list) {
    return !list.isEmpty() && list.stream().map(o -> ((JsonObject) o).getString("state"))
        .allMatch(s -> s.equals("delivered") || s.equals("failed"));
  }

  static Future<String> submit(TestHost host, JsonObject extra) {
    JsonObject body = new JsonObject().put("provider", "sim").put("operation", "text2image")
        .put("params", new JsonObject().put("duration_ms", 150)).mergeIn(extra);
    return host.post("/v1/tasks", body).map(r -> {
      if (r.statusCode() != 202) {
        throw new AssertionError("submit answered " + r.statusCode() + ": " + r.bodyAsString());
      }
      return r.bodyAsJsonObject().getString("id");
    });
  }
}
