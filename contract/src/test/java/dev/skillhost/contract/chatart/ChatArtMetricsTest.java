package dev.skillhost.contract.chatart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.host.metrics.PrometheusText;
import dev.skillhost.simulators.chatart.ChatArtSimulator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ChatArt plugin's own HTTP requests, unchanged plugin code, are counted host-side under its
 * rate buckets: what the host counts as 429s is what the simulator says it answered.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
class ChatArtMetricsTest {

  @TempDir
  Path dir;
  ChatArtFixture f;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    ChatArtFixture.start(vertx, dir, 1000).onComplete(ctx.succeeding(fx -> {
      f = fx;
      ctx.completeNow();
    }));
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    (f == null ? Future.<Void>succeededFuture() : f.close()).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void the_plugins_requests_and_the_429s_it_met_are_counted_per_bucket(VertxTestContext ctx) {
    f.sim.rateLimit(2, 1000);
    f.sim.pollsUntilDone(4);
    Future.all(f.run("t2v", new JsonObject().put("prompt", "one"), new JsonArray(), "en"),
            f.run("text2image", new JsonObject().put("prompt", "two"), new JsonArray(), "en"))
        .compose(all -> f.host.get("/metrics").map(r -> {
          ctx.verify(() -> {
            for (int i = 0; i < 2; i++) {
              JsonObject t = all.resultAt(i);
              assertThat(t.getString("state")).as(t.encodePrettily()).isEqualTo("succeeded");
            }
            List<PrometheusText.Sample> s = PrometheusText.parse(r.bodyAsString());
            Map<String, String> chatart = Map.of("provider", "chatart");
            assertThat(f.sim.rateLimited()).as("the simulator's limit was met").isPositive();
            assertThat(PrometheusText.sum(s, "skillhost_upstream_http_rate_limited_total", chatart))
                .isEqualTo(f.sim.rateLimited());
            assertThat(PrometheusText.sum(s, "skillhost_upstream_http_requests_total",
                Map.of("provider", "chatart", "bucket", "chatart-submit")))
                .as("at least the two generate calls")
                .isGreaterThanOrEqualTo(f.sim.requests(ChatArtSimulator.VIDEO_SUBMIT) + f.sim.requests(ChatArtSimulator.IMAGE_SUBMIT));
            assertThat(PrometheusText.sum(s, "skillhost_upstream_http_requests_total",
                Map.of("provider", "chatart", "bucket", "chatart-read")))
                .as("the polls").isGreaterThanOrEqualTo(f.sim.requests(ChatArtSimulator.VIDEO_POLL)
                    + f.sim.requests(ChatArtSimulator.IMAGE_POLL));
            assertThat(PrometheusText.sum(s, "skillhost_upstream_http_latency_seconds_count", chatart)).isPositive();
          });
          return null;
        }))
        .onComplete(ctx.succeedingThenComplete());
  }
}
