package dev.skillhost.host.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.host.boot.HostConfig;
import dev.skillhost.host.testing.PluginJarBuilder;
import dev.skillhost.host.testing.TestCdn;
import dev.skillhost.host.testing.TestHost;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backend that shows a first result while the task still runs, at a CDN link that works only
 * once: the host copies it as it appears (so the task shows the host's file while running) and
 * uses that copy at success instead of fetching the dead link again.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class OutputsKeptWhileRunningTest {

  /** Output 1 at once, output 2 and success after {@code hold_ms}; results at {@code cdn}. */
  private static final String SOURCE = """
      package dev.skillhost.testplugin;

      import dev.skillhost.api.*;
      import io.vertx.core.Future;
      import io.vertx.core.json.JsonObject;
      import java.time.Duration;
      import java.util.*;

      @org.pf4j.Extension
      public final class Drip implements Provider {
        public ProviderInfo info() {
          return new ProviderInfo("drip", "Drip", "results one by one", ProviderInfo.Kind.SIMULATED,
              List.of(new OperationInfo("text2image", "images", List.of(), Duration.ofMillis(200))),
              List.of(), List.of(), false);
        }
        public Future<Handle> submit(Job job, ProviderContext ctx) {
          return Future.succeededFuture(Handle.of(job.taskId(), new JsonObject().put("t0", System.currentTimeMillis())
              .put("cdn", job.params().getString("cdn")).put("hold", job.params().getLong("hold_ms"))));
        }
        public Future<Progress> poll(Handle h, ProviderContext ctx) {
          String cdn = h.data().getString("cdn");
          Output first = new Output("image", null, cdn + "/1.png", "image/png", null);
          if (System.currentTimeMillis() - h.data().getLong("t0") < h.data().getLong("hold")) {
            return Future.succeededFuture(new Progress(Progress.Status.RUNNING, 0.5, null, List.of(first),
                null, null, Duration.ofMillis(30), null));
          }
          return Future.succeededFuture(Progress.succeeded(List.of(first,
              new Output("image", null, cdn + "/2.png", "image/png", null))));
        }
        public Future<Void> cancel(Handle h, ProviderContext ctx) {
          return Future.succeededFuture();
        }
      }
      """;

  @TempDir Path dir;
  TestHost host;
  TestCdn cdn;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    byte[] one = OutputsKeptTest.png(11, 12);
    byte[] two = OutputsKeptTest.png(21, 22);
    boolean[] served = {false};
    TestCdn.start(vertx, r -> {
          r.get("/1.png").handler(c -> {
            if (served[0]) {
              c.response().setStatusCode(404).end(); // the link worked once
            } else {
              served[0] = true;
              TestCdn.send(c, "image/png", one);
            }
          });
          r.get("/2.png").handler(c -> TestCdn.send(c, "image/png", two));
        })
        .compose(c -> {
          cdn = c;
          return TestHost.start(vertx, dir, config -> config.withFetch(new HostConfig.Fetch(List.of("127.0.0.1/32"),
              HostConfig.Fetch.DEFAULT_MAX_BYTES, Duration.ofSeconds(5), Duration.ofSeconds(2),
              HostConfig.Fetch.DEFAULT_CONTENT_TYPES)));
        })
        .compose(h -> {
          host = h;
          return vertx.executeBlocking(() -> PluginJarBuilder.create("drip", "1.0.0")
              .withClass("dev.skillhost.testplugin.Drip", SOURCE)
              .withExtensionIndex("dev.skillhost.testplugin.Drip")
              .deploy(host.pluginsDir, "drip.jar"));
        })
        .compose(jar -> loaded())
        .onComplete(ctx.succeedingThenComplete());
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    host.close().eventually(cdn::close).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void a_result_shown_while_running_is_copied_at_once_and_that_copy_is_kept_at_success(VertxTestContext ctx) {
    host.post("/v1/tasks", new JsonObject().put("provider", "drip").put("operation", "text2image")
            .put("params", new JsonObject().put("cdn", cdn.url("")).put("hold_ms", 1500)))
        .map(r -> r.bodyAsJsonObject().getString("id"))
        .compose(id -> host.await(id, t -> !t.getJsonArray("outputs", new io.vertx.core.json.JsonArray()).isEmpty()
                && t.getJsonArray("outputs").getJsonObject(0).getString("file") != null)
            .compose(running -> host.awaitState(id, "succeeded").map(done -> List.of(running, done))))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          JsonObject running = r.get(0);
          assertThat(running.getString("state")).isEqualTo("running");
          JsonObject done = r.get(1);
          assertThat(done.getJsonArray("outputs")).hasSize(2);
          JsonObject first = done.getJsonArray("outputs").getJsonObject(0);
          JsonObject second = done.getJsonArray("outputs").getJsonObject(1);
          assertThat(first.getString("file")).isEqualTo(running.getJsonArray("outputs").getJsonObject(0).getString("file"));
          assertThat(first.getJsonObject("meta").getBoolean("kept")).isTrue();
          assertThat(first.getJsonObject("meta").getInteger("width")).isEqualTo(11);
          assertThat(second.getJsonObject("meta").getInteger("width")).isEqualTo(21);
          assertThat(second.getString("file")).isNotNull();
          assertThat(cdn.hits.get()).as("each link fetched once").isEqualTo(2);
          ctx.completeNow();
        })));
  }

  private Future<Void> loaded() {
    return host.get("/v1/providers").compose(r -> {
      boolean up = r.bodyAsJsonObject().getJsonArray("providers").stream()
          .anyMatch(p -> "drip".equals(((JsonObject) p).getString("id")) && "started".equals(((JsonObject) p).getString("state")));
      return up ? Future.succeededFuture()
          : Future.<Void>future(p -> host.vertx.setTimer(50, t -> p.complete())).compose(v -> loaded());
    });
  }
}
