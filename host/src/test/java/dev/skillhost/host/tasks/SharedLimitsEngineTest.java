package dev.skillhost.host.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.host.testing.PluginJarBuilder;
import dev.skillhost.host.testing.TestHost;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three whole hosts, each with its own rate ledger connection to one PostgreSQL, run tasks
 * against one backend that allows 10 reads per 500 ms: the backend's log of reads from all three
 * never holds more than 10 in any 500 ms, where each host alone would allow itself 10.
 */
@ExtendWith(VertxExtension.class)
class SharedLimitsEngineTest {

  /** A backend allowing 10 reads per 500 ms; each read is logged with its time to the file its config names. */
  private static final String SOURCE = """
      package dev.skillhost.testplugin;

      import dev.skillhost.api.*;
      import io.vertx.core.Future;
      import io.vertx.core.json.JsonObject;
      import java.nio.file.*;
      import java.time.Duration;
      import java.util.*;

      @org.pf4j.Extension
      public final class Metered implements Provider {
        public ProviderInfo info() {
          return new ProviderInfo("metered", "Metered", "a small read budget", ProviderInfo.Kind.SIMULATED,
              List.of(new OperationInfo("text2image", "images", List.of(), Duration.ofMillis(1500))), List.of(),
              List.of(new RateBucket("reads", 10, Duration.ofMillis(500), Set.of(RateBucket.Call.POLL))), false);
        }
        public Future<Handle> submit(Job job, ProviderContext ctx) {
          return Future.succeededFuture(Handle.of(job.taskId(), new JsonObject().put("t0", System.currentTimeMillis())));
        }
        public Future<Progress> poll(Handle h, ProviderContext ctx) {
          long now = System.currentTimeMillis();
          try {
            Files.writeString(Path.of(ctx.config().getString("log")), h.id() + " " + now + "\\n",
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
          } catch (java.io.IOException e) {
            return Future.failedFuture(e);
          }
          if (now - h.data().getLong("t0") >= 1500) {
            return Future.succeededFuture(Progress.succeeded(List.of(new Output("image", null, "https://cdn.test/" + h.id(), "image/png", null))));
          }
          return Future.succeededFuture(Progress.running(-1, null));
        }
      }
      """;

  @TempDir Path dir;
  private final List<TestHost> hosts = new ArrayList<>();
  private final List<RateLedger> ledgers = new ArrayList<>();

  @AfterEach
  void stop(Vertx vertx, VertxTestContext ctx) {
    Future.all(hosts.stream().map(TestHost::close).toList())
        .compose(v -> vertx.executeBlocking(() -> {
          ledgers.forEach(RateLedger::close);
          return null;
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
  void three_hosts_on_one_ledger_stay_inside_the_backends_reads_window(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    // the blocking setup runs here, on the test's own thread, never on an event loop
    Path log = dir.resolve("reads.log");
    Path jar = PluginJarBuilder.create("metered", "1.0.0")
        .withClass("dev.skillhost.testplugin.Metered", SOURCE)
        .withExtensionIndex("dev.skillhost.testplugin.Metered")
        .deploy(Files.createDirectories(dir.resolve("jar")), "metered.jar");
    LedgerDb db = LedgerDb.create();
    Map<String, JsonObject> providers = Map.of("metered", new JsonObject().put("log", log.toString()));
    List<Future<TestHost>> starting = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Path node = dir.resolve("node" + i);
      Files.copy(jar, Files.createDirectories(node.resolve("plugins")).resolve("metered.jar"));
      RateLedger ledger = RateLedger.open(vertx, db.connector());
      ledgers.add(ledger);
      starting.add(TestHost.start(vertx, node, c -> c.withProviders(providers))
          .onSuccess(hosts::add)
          .compose(h -> h.host().engine().rateLedger(ledger).map(h)));
    }
    Future.all(starting)
        .compose(started -> Future.all(hosts.stream().map(h -> loaded(vertx, h)).toList()))
        .compose(v -> Future.all(hosts.stream()
            .flatMap(h -> IntStream.range(0, 10).mapToObj(i -> submit(h).compose(id -> h.await(id,
                t -> t.getString("state").matches("succeeded|failed")))))
            .toList()))
        .onComplete(ctx.succeeding(done -> ctx.verify(() -> {
          assertThat(done.<JsonObject>list()).hasSize(30)
              .allSatisfy(t -> assertThat(t.getString("state")).isEqualTo("succeeded"));
          List<Long> reads = Files.readAllLines(log).stream().map(l -> Long.parseLong(l.split(" ")[1])).sorted().toList();
          assertThat(reads.size()).as("reads").isGreaterThanOrEqualTo(30);
          assertThat(LedgerDb.mostInWindow(reads, 500)).as("reads in any 500 ms of %s", reads.size())
              .isLessThanOrEqualTo(10);
          ctx.completeNow();
        })));
  }

  private static Future<String> submit(TestHost h) {
    return h.post("/v1/tasks", new JsonObject().put("provider", "metered").put("operation", "text2image"))
        .map(r -> r.bodyAsJsonObject().getString("id"));
  }

  private static Future<Void> loaded(Vertx vertx, TestHost h) {
    return h.get("/v1/providers").compose(r -> {
      boolean up = r.bodyAsJsonObject().getJsonArray("providers").stream()
          .anyMatch(p -> "metered".equals(((JsonObject) p).getString("id"))
              && "started".equals(((JsonObject) p).getString("state")));
      return up ? Future.succeededFuture() : vertx.timer(50).compose(v -> loaded(vertx, h));
    });
  }
}
