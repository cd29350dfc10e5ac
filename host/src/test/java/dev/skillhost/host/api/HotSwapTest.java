package dev.skillhost.host.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.host.testing.PluginJarBuilder;
import dev.skillhost.host.testing.HostTestBase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Plugins are swapped under a running host, through the watched directory, as a deploy would. */
@Timeout(value = 40, timeUnit = TimeUnit.SECONDS)
class HotSwapTest extends HostTestBase {


  @Test
  void a_task_running_on_v1_finishes_after_the_swap_to_v2_and_new_tasks_use_v2(VertxTestContext ctx) {
    host.submit("t2v", new JsonObject().put("duration_ms", 2500))
        .compose(old -> host.awaitState(old, "running").map(old))
        .compose(old -> deploy(() -> PluginJarBuilder.simJar(host.pluginsDir, "sim.jar", "2.0.0"))
            .compose(v -> sim(s -> "2.0.0".equals(s.getString("version")))).map(old))
        .compose(old -> host.submit("text2image", new JsonObject().put("duration_ms", 100))
            .compose(fresh -> Future.all(host.awaitState(old, "succeeded"), host.awaitState(fresh, "succeeded"))))
        .onComplete(ctx.succeeding(both -> ctx.verify(() -> {
          JsonObject old = both.resultAt(0);
          JsonObject fresh = both.resultAt(1);
          assertThat(old.getString("provider_version")).isEqualTo("1.0.0");
          assertThat(fresh.getString("provider_version")).isEqualTo("2.0.0");
          assertThat(host.simSubmits(old.getString("id"))).isEqualTo(1);
          ctx.completeNow();
        })));
  }

  @Test
  void a_broken_jar_is_refused_with_its_cause_and_the_live_version_keeps_serving(VertxTestContext ctx) {
    deploy(() -> PluginJarBuilder.failingInitJar(host.pluginsDir, "sim.jar", "sim", "3.0.0"))
        .compose(v -> sim(s -> s.getString("error") != null))
        .compose(status -> host.submit("text2image", new JsonObject().put("duration_ms", 50))
            .compose(id -> host.awaitState(id, "succeeded")).map(task -> new JsonObject().put("status", status).put("task", task)))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          JsonObject status = r.getJsonObject("status");
          assertThat(status.getString("state")).isEqualTo("started");
          assertThat(status.getString("version")).isEqualTo("1.0.0");
          assertThat(status.getString("error")).contains("static initialiser failed", "1.0.0 stays live");
          assertThat(r.getJsonObject("task").getString("provider_version")).isEqualTo("1.0.0");
          ctx.completeNow();
        })));
  }

  interface Deploy {
    Path run() throws Exception;
  }

  private Future<Void> deploy(Deploy d) {
    return host.vertx.executeBlocking(() -> {
      d.run();
      return null;
    });
  }

  /** Polls GET /v1/providers until the sim's entry satisfies {@code done}. */
  private Future<JsonObject> sim(Predicate<JsonObject> done) {
    return host.get("/v1/providers").compose(r -> {
      JsonObject sim = r.bodyAsJsonObject().getJsonArray("providers").stream().map(o -> (JsonObject) o)
          .filter(p -> "sim".equals(p.getString("id"))).findFirst().orElse(new JsonObject());
      if (done.test(sim)) {
        return Future.succeededFuture(sim);
      }
      return Future.<Void>future(p -> host.vertx.setTimer(50, t -> p.complete())).compose(v -> sim(done));
    });
  }
}
