package dev.skillhost.host.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.host.testing.PluginJarBuilder;
import dev.skillhost.host.testing.TestHost;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Metrics of what plugins do, with a plugin compiled for the test. Its own HTTP requests through
 * {@code ctx.http()} (wrapped in a Web Client, as the cloud plugins do) are counted host-side,
 * under the provider and the rate bucket of the call making them, against a local server that
 * answers 200, 429 and 500, plus a port nobody listens on; tasks waiting for their lane are counted.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, timeUnit = TimeUnit.SECONDS) // compiles a plugin with javac first
class PluginMetricsTest {

  /**
   * Submits with four requests (200, 429, 500, refused); polls with one (200) and succeeds, or
   * stays running when the task's {@code hold} is set. Tasks with the same {@code thread} share a lane.
   */
  static final String CALLER = """
      package dev.skillhost.testplugin;

      import dev.skillhost.api.*;
      import io.vertx.core.Future;
      import io.vertx.core.json.JsonObject;
      import io.vertx.ext.web.client.WebClient;
      import java.time.Duration;
      import java.util.List;
      import java.util.Optional;
      import java.util.Set;

      @org.pf4j.Extension
      public final class Caller implements Provider {
        private WebClient web;
        public ProviderInfo info() {
          return new ProviderInfo("caller", "Caller", "calls a local server", ProviderInfo.Kind.SIMULATED,
              List.of(new OperationInfo("t2v", "nothing", List.of(), Duration.ofMillis(50))), List.of(),
              List.of(new RateBucket("caller-submit", 50, Duration.ofMinutes(1), Set.of(RateBucket.Call.SUBMIT)),
                  new RateBucket("caller-poll", 100, Duration.ofMinutes(1), Set.of(RateBucket.Call.POLL))), false);
        }
        public Optional<String> queueKey(Job job) {
          return Optional.ofNullable(job.params().getString("thread"));
        }
        private WebClient web(ProviderContext ctx) {
          if (web == null) web = WebClient.wrap(ctx.http());
          return web;
        }
        public Future<Handle> submit(Job job, ProviderContext ctx) {
          String base = ctx.config().getString("base");
          int closed = ctx.config().getInteger("closed_port");
          WebClient w = web(ctx);
          return w.getAbs(base + "/ok").send()
              .compose(r -> w.getAbs(base + "/busy").send())
              .compose(r -> w.getAbs(base + "/boom").send())
              .compose(r -> w.get(closed, "127.0.0.1", "/nobody").send().transform(ar -> Future.succeededFuture()))
              .map(v -> Handle.of("h-" + job.taskId(), new JsonObject().put("hold", job.params().getBoolean("hold", false))));
        }
        public Future<Progress> poll(Handle handle, ProviderContext ctx) {
          return web(ctx).getAbs(ctx.config().getString("base") + "/ok").send().map(r -> handle.data().getBoolean("hold")
              ? Progress.running(0.5, "held") : Progress.succeeded(List.of()));
        }
      }
      """;

  @TempDir Path dir;
  private TestHost host;
  private HttpServer upstream;
  private final Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();

  @AfterEach
  void stop(VertxTestContext ctx) {
    (host == null ? Future.<Void>succeededFuture() : host.close())
        .eventually(() -> upstream == null ? Future.succeededFuture() : upstream.close())
        .onComplete(ctx.succeedingThenComplete());
  }

  /** A local upstream, the caller plugin in the plugins dir, and a host configured to call them. */
  private Future<TestHost> start(Vertx vertx) throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    Files.createDirectories(dir.resolve("plugins"));
    PluginJarBuilder.create("caller", "1.0.0").withClass("dev.skillhost.testplugin.Caller", CALLER)
        .withExtensionIndex("dev.skillhost.testplugin.Caller").deploy(dir.resolve("plugins"), "caller.jar");
    return vertx.createHttpServer().requestHandler(req -> {
          seen.computeIfAbsent(req.path(), p -> new AtomicInteger()).incrementAndGet();
          req.response().setStatusCode(switch (req.path()) {
            case "/busy" -> 429;
            case "/boom" -> 500;
            default -> 200;
          }).end("{}");
        }).listen(0, "127.0.0.1")
        .compose(server -> {
          upstream = server;
          JsonObject config = new JsonObject().put("base", "http://127.0.0.1:" + server.actualPort())
              .put("closed_port", closedPort);
          return TestHost.start(vertx, dir, c -> c.withProviders(Map.of("caller", config)));
        })
        .onSuccess(h -> host = h);
  }

  private Future<String> submit(JsonObject params) {
    return host.post("/v1/tasks", new JsonObject().put("provider", "caller").put("operation", "t2v").put("params", params))
        .map(r -> {
          if (r.statusCode() != 202) {
            throw new AssertionError("submit answered " + r.statusCode() + ": " + r.bodyAsString());
          }
          return r.bodyAsJsonObject().getString("id");
        });
  }

  @Test
  void requests_errors_429s_and_latency_are_counted_per_provider_and_bucket(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    start(vertx)
        .compose(h -> submit(new JsonObject()))
        .compose(id -> host.awaitState(id, "succeeded"))
        .compose(task -> host.get("/metrics"))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          List<PrometheusText.Sample> s = PrometheusText.parse(r.bodyAsString());
          Map<String, String> submit = Map.of("provider", "caller", "bucket", "caller-submit");
          Map<String, String> poll = Map.of("provider", "caller", "bucket", "caller-poll");
          assertThat(PrometheusText.sum(s, "skillhost_upstream_http_requests_total", submit)).isEqualTo(4.0);
          assertThat(PrometheusText.sum(s, "skillhost_upstream_http_requests_total", poll)).isGreaterThanOrEqualTo(1.0);
          assertThat(PrometheusText.sum(s, "skillhost_upstream_http_errors_total", with(submit, "status", "429"))).isEqualTo(1.0);
          assertThat(PrometheusText.sum(s, "skillhost_upstream_http_errors_total", with(submit, "status", "500"))).isEqualTo(1.0);
          assertThat(PrometheusText.sum(s, "skillhost_upstream_http_errors_total", with(submit, "status", "none")))
              .as("the refused connection").isEqualTo(1.0);
          assertThat(PrometheusText.sum(s, "skillhost_upstream_http_errors_total", poll)).isZero();
          assertThat(PrometheusText.sum(s, "skillhost_upstream_http_rate_limited_total", submit)).isEqualTo(1.0);
          assertThat(PrometheusText.sum(s, "skillhost_upstream_http_latency_seconds_count", with(submit, "outcome", "ok")))
              .isEqualTo(1.0);
          assertThat(PrometheusText.sum(s, "skillhost_upstream_http_latency_seconds_count", with(submit, "outcome", "error")))
              .isEqualTo(3.0);
          assertThat(PrometheusText.sum(s, "skillhost_upstream_http_latency_seconds_sum", submit)).isPositive();
          assertThat(PrometheusText.sum(s, "skillhost_upstream_http_requests_total", Map.of("bucket", "none")))
              .as("no request escaped its call's bucket").isZero();
          assertThat(PrometheusText.sum(s, "skillhost_rate_bucket_used", submit)).as("the one submit").isEqualTo(1.0);
          assertThat(PrometheusText.sum(s, "skillhost_rate_bucket_limit", poll)).isEqualTo(100.0);
          assertThat(seen.get("/busy")).hasValue(1);
          assertThat(seen.get("/boom")).hasValue(1);
          assertThat(seen.get("/ok").get()).isGreaterThanOrEqualTo(2);
          ctx.completeNow();
        })));
  }

  @Test
  void tasks_waiting_for_their_lane_are_counted_until_it_frees(Vertx vertx, VertxTestContext ctx) throws Exception {
    JsonObject held = new JsonObject().put("thread", "t1").put("hold", true);
    start(vertx)
        .compose(h -> submit(held))
        .compose(first -> host.awaitState(first, "running").compose(t -> submit(held))
            .compose(second -> host.awaitState(second, "queued").compose(t -> lanesWaiting(vertx, 1)))
            .compose(n -> host.post("/v1/tasks/" + first + "/cancel", new JsonObject())))
        .compose(cancelled -> lanesWaiting(vertx, 0))
        .onComplete(ctx.succeeding(n -> ctx.completeNow()));
  }

  /** Scrapes every 50 ms until {@code skillhost_lanes_waiting} is {@code n} (the test's timeout bounds it). */
  private Future<Double> lanesWaiting(Vertx vertx, double n) {
    return host.get("/metrics").compose(r -> {
      double now = PrometheusText.sum(PrometheusText.parse(r.bodyAsString()), "skillhost_lanes_waiting", Map.of());
      return now == n ? Future.succeededFuture(now) : vertx.timer(50).compose(t -> lanesWaiting(vertx, n));
    });
  }

  private static Map<String, String> with(Map<String, String> tags, String key, String value) {
    Map<String, String> out = new java.util.HashMap<>(tags);
    out.put(key, value);
    return out;
  }
}
