package dev.skillhost.host.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.host.testing.HostTestBase;
import dev.skillhost.host.testing.PluginJarBuilder;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A provider that answers nonsense must not leave a task stuck. */
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class FaultyProviderTest extends HostTestBase {

  private static final String SOURCE = """
      package dev.skillhost.testplugin;

      import dev.skillhost.api.*;
      import io.vertx.core.Future;
      import java.time.Duration;
      import java.util.List;

      @org.pf4j.Extension
      public final class FaultyProvider implements Provider {
        public ProviderInfo info() {
          return new ProviderInfo("faulty", "Faulty", "answers a poll with null", ProviderInfo.Kind.SIMULATED,
              List.of(new OperationInfo("t2v", "nothing", List.of(), Duration.ofMillis(100))), List.of(), List.of(), false);
        }
        public Future<Handle> submit(Job job, ProviderContext ctx) {
          return Future.succeededFuture(Handle.of("f-" + job.taskId(), null));
        }
        public Future<Progress> poll(Handle handle, ProviderContext ctx) {
          return Future.succeededFuture(null);
        }
      }
      """;

  @Test
  void a_task_whose_provider_answers_null_fails_with_a_reason_instead_of_hanging(VertxTestContext ctx) {
    host.vertx.executeBlocking(() -> PluginJarBuilder.create("faulty", "1.0.0")
            .withClass("dev.skillhost.testplugin.FaultyProvider", SOURCE)
            .withExtensionIndex("dev.skillhost.testplugin.FaultyProvider")
            .deploy(host.pluginsDir, "faulty.jar"))
        .compose(jar -> loaded())
        .compose(v -> host.post("/v1/tasks", new JsonObject().put("provider", "faulty").put("operation", "t2v")))
        .compose(r -> host.await(r.bodyAsJsonObject().getString("id"), t -> t.getString("state").matches("failed|succeeded")))
        .onComplete(ctx.succeeding(task -> ctx.verify(() -> {
          assertThat(task.getString("state")).isEqualTo("failed");
          assertThat(task.getJsonObject("error").getString("message")).contains("could not process the provider's answers");
          ctx.completeNow();
        })));
  }

  private Future<Void> loaded() {
    return host.get("/v1/providers").compose(r -> {
      boolean up = r.bodyAsJsonObject().getJsonArray("providers").stream()
          .anyMatch(p -> "faulty".equals(((JsonObject) p).getString("id")) && "started".equals(((JsonObject) p).getString("state")));
      return up ? Future.succeededFuture()
          : Future.<Void>future(p -> host.vertx.setTimer(50, t -> p.complete())).compose(v -> loaded());
    });
  }
}
