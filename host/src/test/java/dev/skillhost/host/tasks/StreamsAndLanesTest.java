package dev.skillhost.host.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.host.testing.HostTestBase;
import dev.skillhost.host.testing.PluginJarBuilder;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three engine duties a pushing, thread-based backend needs, against a scripted provider compiled
 * at test time: its stream followed (and polls taking over when the stream drops), results that
 * appear one by one announced once each, and one task at a time per queue key.
 */
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class StreamsAndLanesTest extends HostTestBase {

  /**
   * A backend in miniature. Each task makes {@code parts} images, one every 60 ms from submit; the
   * stream pushes them and drops after {@code cut} of them when asked; poll answers from the clock.
   * It refuses (409) a submit on a thread whose previous task has not finished, as Lovart does,
   * and counts polls and streams per task in a file the test reads.
   */
  private static final String SOURCE = """
      package dev.skillhost.testplugin;

      import dev.skillhost.api.*;
      import io.vertx.core.Future;
      import io.vertx.core.Promise;
      import io.vertx.core.json.JsonObject;
      import java.nio.file.*;
      import java.time.Duration;
      import java.util.*;
      import java.util.concurrent.ConcurrentHashMap;

      @org.pf4j.Extension
      public final class Scripted implements Provider {
        static final Map<String, Long> BUSY_UNTIL = new ConcurrentHashMap<>();

        public ProviderInfo info() {
          return new ProviderInfo("scripted", "Scripted", "streams, threads", ProviderInfo.Kind.SIMULATED,
              List.of(new OperationInfo("text2image", "images", List.of(), Duration.ofMillis(200))),
              List.of(), List.of(), true);
        }
        public Optional<String> queueKey(Job job) {
          return Optional.ofNullable(job.params().getString("thread"));
        }
        public Future<Handle> submit(Job job, ProviderContext ctx) {
          long now = System.currentTimeMillis();
          int parts = job.params().getInteger("parts", 3);
          String thread = job.params().getString("thread");
          if (thread != null) {
            Long busy = BUSY_UNTIL.get(thread);
            if (busy != null && busy > now) {
              return Future.failedFuture(new ProviderException("thread_busy", 409, "a task is running on this thread"));
            }
            BUSY_UNTIL.put(thread, now + 60L * parts); // done from then on, as poll and stream say
          }
          note(ctx, job.taskId() + " submit " + now);
          return Future.succeededFuture(Handle.of(job.taskId(), new JsonObject()
              .put("t0", now).put("parts", parts).put("cut", job.params().getInteger("cut", -1))));
        }
        static List<Output> ready(Handle h, long now) {
          int n = (int) Math.min(h.data().getInteger("parts"), (now - h.data().getLong("t0")) / 60);
          List<Output> out = new ArrayList<>();
          for (int i = 1; i <= n; i++) out.add(new Output("image", null, "https://cdn.test/" + h.id() + "/" + i + ".png", "image/png", null));
          return out;
        }
        static Progress at(Handle h, long now) {
          List<Output> out = ready(h, now);
          if (out.size() == h.data().getInteger("parts")) return Progress.succeeded(out);
          return new Progress(Progress.Status.RUNNING, out.size() / (double) h.data().getInteger("parts"), null, out,
              null, null, Duration.ofMillis(20), null);
        }
        public Future<Progress> poll(Handle h, ProviderContext ctx) {
          note(ctx, h.id() + " poll");
          return Future.succeededFuture(at(h, System.currentTimeMillis()));
        }
        public Future<Void> stream(Handle h, ProviderContext ctx, ProgressSink sink) {
          note(ctx, h.id() + " stream");
          Promise<Void> done = Promise.promise();
          int cut = h.data().getInteger("cut");
          int[] sent = {0};
          ctx.vertx().setPeriodic(15, id -> {
            Progress p = at(h, System.currentTimeMillis());
            if (p.outputs().size() > sent[0]) {
              sent[0] = p.outputs().size();
              sink.accept(p);
            }
            if (p.terminal() || (cut >= 0 && sent[0] >= cut)) {
              ctx.vertx().cancelTimer(id);
              done.complete();
            }
          });
          return done.future();
        }
        static synchronized void note(ProviderContext ctx, String line) {
          try {
            Files.createDirectories(ctx.dataDir());
            Files.writeString(ctx.dataDir().resolve("calls.log"), line + "\\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }
      }
      """;

  @BeforeEach
  void deployScripted(VertxTestContext ctx) {
    host.vertx.executeBlocking(() -> PluginJarBuilder.create("scripted", "1.0.0")
            .withClass("dev.skillhost.testplugin.Scripted", SOURCE)
            .withExtensionIndex("dev.skillhost.testplugin.Scripted")
            .deploy(host.pluginsDir, "scripted.jar"))
        .compose(jar -> loaded())
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void a_streamed_task_announces_each_result_once_as_it_appears_and_is_never_polled(VertxTestContext ctx) {
    submit(new JsonObject().put("parts", 3))
        .compose(id -> host.awaitState(id, "succeeded").compose(task -> events(id).map(ev -> List.of(task, ev))))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          JsonObject task = (JsonObject) r.get(0);
          JsonArray events = (JsonArray) r.get(1);
          List<String> urls = outputUrls(events);
          assertThat(urls).hasSize(3).doesNotHaveDuplicates();
          assertThat(urls.get(0)).endsWith("/1.png");
          assertThat(urls.get(2)).endsWith("/3.png");
          assertThat(task.getJsonArray("outputs")).hasSize(3);
          // the first output event came while the task still ran
          int firstOutput = indexOf(events, "output");
          int done = lastIndexOfState(events, "succeeded");
          assertThat(firstOutput).isLessThan(done);
          List<String> calls = calls(task.getString("id"));
          assertThat(calls).contains("stream").doesNotContain("poll");
          ctx.completeNow();
        })));
  }

  @Test
  void a_stream_that_drops_midway_is_finished_by_polling_with_one_submit(VertxTestContext ctx) {
    submit(new JsonObject().put("parts", 4).put("cut", 1))
        .compose(id -> host.awaitState(id, "succeeded").compose(task -> events(id).map(ev -> List.of(task, ev))))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          JsonObject task = (JsonObject) r.get(0);
          assertThat(outputUrls((JsonArray) r.get(1))).hasSize(4).doesNotHaveDuplicates();
          List<String> calls = calls(task.getString("id"));
          assertThat(calls).containsOnlyOnce("submit").containsOnlyOnce("stream").contains("poll");
          ctx.completeNow();
        })));
  }

  @Test
  void tasks_on_one_thread_run_one_after_another_and_none_sees_the_backends_409(VertxTestContext ctx) {
    JsonObject params = new JsonObject().put("parts", 2).put("thread", "th-1");
    Future.all(List.of(submit(params), submit(params), submit(params)))
        .compose(all -> {
          List<String> ids = all.list();
          return Future.all(ids.stream().map(id -> host.await(id, t -> t.getString("state").matches("succeeded|failed"))).toList())
              .compose(done -> events(ids.get(1)).map(ev -> List.<Object>of(done.list(), ev)));
        })
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          @SuppressWarnings("unchecked")
          List<JsonObject> tasks = (List<JsonObject>) r.get(0);
          assertThat(tasks).allSatisfy(t -> assertThat(t.getString("state")).as(t.encode()).isEqualTo("succeeded"));
          JsonArray second = (JsonArray) r.get(1);
          assertThat(second.stream().map(e -> ((JsonObject) e).encode()).collect(Collectors.joining()))
              .contains("Waiting for the task before it in the same conversation");
          ctx.completeNow();
        })));
  }

  @Test
  void tasks_on_different_threads_do_not_wait_for_each_other(VertxTestContext ctx) {
    Future.all(List.of(submit(new JsonObject().put("parts", 2).put("thread", "a")),
            submit(new JsonObject().put("parts", 2).put("thread", "b"))))
        .compose(all -> Future.all(all.<String>list().stream().map(id -> host.awaitState(id, "succeeded")
            .compose(t -> events(id))).toList()))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          for (Object ev : all.list()) {
            assertThat(((JsonArray) ev).encode()).doesNotContain("Waiting for the task before it");
          }
          ctx.completeNow();
        })));
  }

  private Future<String> submit(JsonObject params) {
    return host.post("/v1/tasks", new JsonObject().put("provider", "scripted").put("operation", "text2image").put("params", params))
        .map(r -> {
          if (r.statusCode() != 202) throw new AssertionError(r.statusCode() + " " + r.bodyAsString());
          return r.bodyAsJsonObject().getString("id");
        });
  }

  private Future<JsonArray> events(String taskId) {
    return host.request(HttpMethod.GET, "/v1/tasks/" + taskId + "/events", host.key)
        .putHeader("Accept", "application/json").send().map(HttpResponse::bodyAsJsonArray);
  }

  private static List<String> outputUrls(JsonArray events) {
    return events.stream().map(e -> (JsonObject) e).filter(e -> "output".equals(e.getString("type")))
        .map(e -> e.getJsonObject("data").getString("url")).toList();
  }

  private static int indexOf(JsonArray events, String type) {
    for (int i = 0; i < events.size(); i++) {
      if (type.equals(events.getJsonObject(i).getString("type"))) return i;
    }
    return -1;
  }

  private static int lastIndexOfState(JsonArray events, String state) {
    for (int i = events.size() - 1; i >= 0; i--) {
      if (events.getJsonObject(i).encode().contains("\"" + state + "\"")) return i;
    }
    return -1;
  }

  private List<String> calls(String taskId) {
    try {
      return java.nio.file.Files.readAllLines(host.dataDir.resolve("providers/scripted/calls.log")).stream()
          .filter(l -> l.startsWith(taskId + " ")).map(l -> l.split(" ")[1]).toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private Future<Void> loaded() {
    return host.get("/v1/providers").compose(r -> {
      boolean up = r.bodyAsJsonObject().getJsonArray("providers").stream()
          .anyMatch(p -> "scripted".equals(((JsonObject) p).getString("id")) && "started".equals(((JsonObject) p).getString("state")));
      return up ? Future.succeededFuture()
          : Future.<Void>future(p -> host.vertx.setTimer(50, t -> p.complete())).compose(v -> loaded());
    });
  }
}
