package dev.skillhost.host.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.host.testing.HostTestBase;
import dev.skillhost.host.testing.PluginJarBuilder;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Many tasks on a small read budget: looks wait in line for tokens, the backend never sees more
 * than its limit (it would answer 429), and every task gets its turns.
 */
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class ThrottleTest extends HostTestBase {

  /** A backend allowing 10 reads per 500 ms (it answers 429 beyond), whose tasks take 1.5 s. */
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
        static final Deque<Long> READS = new ArrayDeque<>();

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
          synchronized (READS) {
            while (!READS.isEmpty() && READS.peekFirst() <= now - 500) READS.pollFirst();
            if (READS.size() >= 11) { // one token of slack for timer granularity
              note(ctx, h.id() + " 429");
              return Future.failedFuture(new ProviderException("rate", 429, "too many reads"));
            }
            READS.addLast(now);
          }
          note(ctx, h.id() + " poll");
          if (now - h.data().getLong("t0") >= 1500) {
            return Future.succeededFuture(Progress.succeeded(List.of(new Output("image", null, "https://cdn.test/" + h.id(), "image/png", null))));
          }
          return Future.succeededFuture(Progress.running(-1, null));
        }
        static synchronized void note(ProviderContext ctx, String line) {
          try {
            Files.createDirectories(ctx.dataDir());
            Files.writeString(ctx.dataDir().resolve("reads.log"), line + "\\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }
      }
      """;

  @Test
  void thirty_tasks_on_twenty_reads_a_second_all_finish_without_a_429_and_share_the_reads(VertxTestContext ctx) {
    host.vertx.executeBlocking(() -> PluginJarBuilder.create("metered", "1.0.0")
            .withClass("dev.skillhost.testplugin.Metered", SOURCE)
            .withExtensionIndex("dev.skillhost.testplugin.Metered")
            .deploy(host.pluginsDir, "metered.jar"))
        .compose(jar -> loaded())
        .compose(v -> Future.all(IntStream.range(0, 30).mapToObj(i -> submit()).toList()))
        .compose(ids -> Future.all(ids.<String>list().stream()
            .map(id -> host.await(id, t -> t.getString("state").matches("succeeded|failed"))).toList()))
        .onComplete(ctx.succeeding(done -> ctx.verify(() -> {
          assertThat(done.<JsonObject>list()).allSatisfy(t -> assertThat(t.getString("state")).isEqualTo("succeeded"));
          List<String> log = Files.readAllLines(host.dataDir.resolve("providers/metered/reads.log"));
          assertThat(log).noneMatch(l -> l.endsWith(" 429"));
          Map<String, Long> perTask = log.stream().map(l -> l.split(" ")[0])
              .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
          long most = perTask.values().stream().mapToLong(Long::longValue).max().orElseThrow();
          long least = perTask.values().stream().mapToLong(Long::longValue).min().orElseThrow();
          assertThat(perTask).hasSize(30);
          assertThat(most - least).as("reads per task: %s", perTask.values()).isLessThanOrEqualTo(2);
          ctx.completeNow();
        })));
  }

  private Future<String> submit() {
    return host.post("/v1/tasks", new JsonObject().put("provider", "metered").put("operation", "text2image"))
        .map(r -> r.bodyAsJsonObject().getString("id"));
  }

  private Future<Void> loaded() {
    return host.get("/v1/providers").compose(r -> {
      boolean up = r.bodyAsJsonObject().getJsonArray("providers").stream()
          .anyMatch(p -> "metered".equals(((JsonObject) p).getString("id")) && "started".equals(((JsonObject) p).getString("state")));
      return up ? Future.succeededFuture()
          : Future.<Void>future(p -> host.vertx.setTimer(50, t -> p.complete())).compose(v -> loaded());
    });
  }
}
