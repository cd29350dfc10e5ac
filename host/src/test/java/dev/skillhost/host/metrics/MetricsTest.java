package dev.skillhost.host.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.host.boot.HostConfig;
import dev.skillhost.host.testing.RawMcp;
import dev.skillhost.host.testing.TestHost;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class MetricsTest {

  @TempDir Path dir;
  private TestHost host;
  private WebClient client;
  private RawMcp mcp;

  @AfterEach
  void stop(Vertx vertx, VertxTestContext ctx) {
    if (client != null) {
      client.close();
    }
    if (mcp != null) {
      mcp.close();
    }
    (host == null ? Future.<Void>succeededFuture() : host.close()).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void metrics_need_the_key(Vertx vertx, VertxTestContext ctx) {
    TestHost.start(vertx, dir)
        .compose(h -> {
          host = h;
          return Future.all(h.request(HttpMethod.GET, "/metrics", null).send(),
              h.request(HttpMethod.GET, "/metrics", "sk-wrong").send(), h.get("/metrics"));
        })
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          HttpResponse<Buffer> none = all.resultAt(0);
          HttpResponse<Buffer> wrong = all.resultAt(1);
          HttpResponse<Buffer> ok = all.resultAt(2);
          assertThat(none.statusCode()).isEqualTo(401);
          assertThat(wrong.statusCode()).isEqualTo(401);
          assertThat(ok.statusCode()).isEqualTo(200);
          assertThat(ok.getHeader("Content-Type")).startsWith("text/plain; version=0.0.4");
          List<PrometheusText.Sample> samples = PrometheusText.parse(ok.bodyAsString());
          assertThat(samples).extracting(PrometheusText.Sample::name)
              .contains("skillhost_throttle_waiting", "skillhost_lanes_waiting", "skillhost_outbox_backlog",
                  "skillhost_stream_subscribers", "skillhost_mcp_sessions", "skillhost_store_write_group_writes_count");
          assertThat(samples).filteredOn(x -> x.name().equals("skillhost_stream_subscribers"))
              .extracting(x -> x.labels().get("transport")).contains("websocket", "sse", "mcp");
          ctx.completeNow();
        })));
  }

  @Test
  void a_sim_task_is_counted_by_state_and_provider_and_its_duration_observed(Vertx vertx, VertxTestContext ctx) {
    TestHost.start(vertx, dir)
        .compose(h -> {
          host = h;
          return h.submit("text2image", new JsonObject().put("duration_ms", 50).put("prompt", "a cat"));
        })
        .compose(id -> host.awaitState(id, "succeeded"))
        .compose(task -> host.get("/metrics"))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r.statusCode()).isEqualTo(200);
          List<PrometheusText.Sample> s = PrometheusText.parse(r.bodyAsString());
          Map<String, String> sim = Map.of("provider", "sim");
          for (String state : List.of("queued", "submitting", "running", "succeeded")) {
            assertThat(PrometheusText.sum(s, "skillhost_task_transitions_total", Map.of("provider", "sim", "state", state)))
                .as("tasks that entered %s", state).isEqualTo(1.0);
          }
          assertThat(PrometheusText.sum(s, "skillhost_task_duration_seconds_count",
              Map.of("provider", "sim", "outcome", "succeeded"))).isEqualTo(1.0);
          assertThat(PrometheusText.sum(s, "skillhost_task_duration_seconds_sum", sim)).isPositive();
          assertThat(s).anyMatch(x -> x.name().equals("skillhost_task_duration_seconds_bucket")
              && x.labels().get("le") != null && "sim".equals(x.labels().get("provider")));
          assertThat(PrometheusText.sum(s, "skillhost_upstream_calls_total", Map.of("provider", "sim", "call", "submit")))
              .isEqualTo(1.0);
          assertThat(PrometheusText.sum(s, "skillhost_upstream_latency_seconds_count", sim)).isGreaterThanOrEqualTo(1.0);
          ctx.completeNow();
        })));
  }

  @Test
  void a_separate_listener_serves_metrics_without_the_key(Vertx vertx, VertxTestContext ctx) {
    client = WebClient.create(vertx);
    TestHost.start(vertx, dir, c -> c.withMetrics(new HostConfig.Metrics("127.0.0.1", 0)))
        .compose(h -> {
          host = h;
          assertThat(h.host().metricsPort()).isPositive().isNotEqualTo(h.port());
          return client.get(h.host().metricsPort(), "127.0.0.1", "/metrics").send();
        })
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r.statusCode()).isEqualTo(200);
          assertThat(PrometheusText.parse(r.bodyAsString())).isNotEmpty();
          ctx.completeNow();
        })));
  }

  @Test
  void vertx_http_server_metrics_appear_when_vertx_is_built_with_the_registry(VertxTestContext ctx) {
    HostMetrics metrics = HostMetrics.create();
    Vertx own = Vertx.builder()
        .with(new io.vertx.core.VertxOptions().setMetricsOptions(
            new io.vertx.micrometer.MicrometerMetricsOptions().setEnabled(true)))
        .withMetrics(new io.vertx.micrometer.MicrometerMetricsFactory(metrics.registry()))
        .build();
    TestHost.start(own, dir, c -> c, metrics)
        .compose(h -> {
          host = h;
          return h.get("/v1/health").compose(x -> h.get("/metrics"));
        })
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          List<PrometheusText.Sample> s = PrometheusText.parse(r.bodyAsString());
          assertThat(s).anyMatch(x -> x.name().startsWith("vertx_http_server_requests"));
          assertThat(s).anyMatch(x -> x.name().startsWith("skillhost_"));
          host.close().eventually(own::close).onComplete(ar -> {
            host = null;
            ctx.completeNow();
          });
        })));
  }

  @Test
  void a_running_task_shows_in_its_rate_bucket_on_metrics_and_on_providers(Vertx vertx, VertxTestContext ctx) {
    Map<String, String> simPoll = Map.of("provider", "sim", "bucket", "sim-poll");
    TestHost.start(vertx, dir)
        .compose(h -> {
          host = h;
          return h.submit("text2image", new JsonObject().put("duration_ms", 4_000).put("prompt", "a cat"));
        })
        .compose(id -> host.awaitState(id, "running"))
        // the sim's poll bucket has a window of one second: looks every 30-300 ms keep it in use
        .compose(task -> scrapeUntil(vertx, s -> PrometheusText.sum(s, "skillhost_rate_bucket_used", simPoll) >= 1))
        .compose(s -> {
          ctx.verify(() -> {
            assertThat(PrometheusText.sum(s, "skillhost_rate_bucket_limit", simPoll)).isEqualTo(2000.0);
            double used = PrometheusText.sum(s, "skillhost_rate_bucket_used", simPoll);
            assertThat(PrometheusText.sum(s, "skillhost_rate_bucket_fill", simPoll)).isPositive().isLessThanOrEqualTo(1.0)
                .isCloseTo(used / 2000, org.assertj.core.data.Offset.offset(0.01));
            assertThat(PrometheusText.sum(s, "skillhost_store_write_group_writes_count", Map.of()))
                .as("commits of the task's writes").isPositive();
            assertThat(PrometheusText.sum(s, "skillhost_store_write_group_writes_sum", Map.of()))
                .isGreaterThanOrEqualTo(PrometheusText.sum(s, "skillhost_store_write_group_writes_count", Map.of()));
          });
          return providersUntil(vertx, b -> b.getLong("used") >= 1);
        })
        .onComplete(ctx.succeeding(bucket -> ctx.verify(() -> {
          assertThat(bucket.getString("name")).isEqualTo("sim-poll");
          assertThat(bucket.getLong("permits")).isEqualTo(2000L);
          assertThat(bucket.getLong("used")).isBetween(1L, 2000L);
          ctx.completeNow();
        })));
  }

  @Test
  void mcp_sessions_and_their_open_streams_are_counted(Vertx vertx, VertxTestContext ctx) {
    Map<String, String> mcpStreams = Map.of("transport", "mcp");
    TestHost.start(vertx, dir)
        .compose(h -> {
          host = h;
          mcp = new RawMcp(vertx, h.port(), h.key);
          return mcp.initialize(new JsonObject());
        })
        .compose(init -> mcp.get(null))
        .compose(stream -> scrapeUntil(vertx, s -> PrometheusText.sum(s, "skillhost_stream_subscribers", mcpStreams) == 1)
            .compose(s -> {
              ctx.verify(() -> assertThat(PrometheusText.sum(s, "skillhost_mcp_sessions", Map.of())).isEqualTo(1.0));
              stream.cut();
              return scrapeUntil(vertx, x -> PrometheusText.sum(x, "skillhost_stream_subscribers", mcpStreams) == 0);
            }))
        .onComplete(ctx.succeeding(s -> ctx.verify(() -> {
          assertThat(PrometheusText.sum(s, "skillhost_mcp_sessions", Map.of())).as("the session outlives its stream")
              .isEqualTo(1.0);
          ctx.completeNow();
        })));
  }

  /** Scrapes every 50 ms until {@code done} holds (the test's timeout bounds it). */
  private Future<List<PrometheusText.Sample>> scrapeUntil(Vertx vertx, Predicate<List<PrometheusText.Sample>> done) {
    return host.get("/metrics").compose(r -> {
      List<PrometheusText.Sample> s = PrometheusText.parse(r.bodyAsString());
      return done.test(s) ? Future.succeededFuture(s) : vertx.timer(50).compose(t -> scrapeUntil(vertx, done));
    });
  }

  /** The sim's poll bucket from GET /v1/providers, asked every 50 ms until {@code done} holds. */
  private Future<JsonObject> providersUntil(Vertx vertx, Predicate<JsonObject> done) {
    return host.get("/v1/providers").compose(r -> {
      JsonObject bucket = r.bodyAsJsonObject().getJsonArray("providers").stream().map(JsonObject.class::cast)
          .filter(p -> "sim".equals(p.getString("id"))).findFirst().orElseThrow()
          .getJsonObject("info").getJsonArray("rate_buckets").getJsonObject(0);
      return done.test(bucket) ? Future.succeededFuture(bucket) : vertx.timer(50).compose(t -> providersUntil(vertx, done));
    });
  }
}
