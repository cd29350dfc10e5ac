package dev.skillhost.host.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.host.boot.HostConfig;
import dev.skillhost.host.testing.TestHost;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class HealthTest {

  @TempDir Path dir;
  private Path skills;
  private TestHost host;

  /** A copy of the repository's manifests, so a test can break one. */
  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) throws IOException {
    skills = dir.resolve("skills");
    Files.createDirectories(skills);
    try (Stream<Path> files = Files.list(Path.of("..", "skills"))) {
      for (Path f : files.toList()) {
        Files.copy(f, skills.resolve(f.getFileName()));
      }
    }
    TestHost.start(vertx, dir.resolve("data"), c -> c.withSkills(new HostConfig.Skills(skills, c.skills().prefer())))
        .onComplete(ctx.succeeding(h -> {
          host = h;
          ctx.completeNow();
        }));
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    host.close().onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void liveness_readiness_and_the_old_health_answer_without_a_key(VertxTestContext ctx) {
    Future.all(get("/v1/health"), get("/v1/health/live"), get("/v1/health/ready"))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          HttpResponse<Buffer> health = all.resultAt(0);
          HttpResponse<Buffer> live = all.resultAt(1);
          HttpResponse<Buffer> ready = all.resultAt(2);
          assertThat(health.statusCode()).isEqualTo(200);
          assertThat(health.bodyAsJsonObject().getString("status")).isEqualTo("ok");
          assertThat(health.bodyAsJsonObject().getInteger("providers")).isPositive();
          assertThat(live.statusCode()).isEqualTo(200);
          assertThat(live.bodyAsJsonObject().getString("status")).isEqualTo("live");
          assertThat(ready.statusCode()).as(ready.bodyAsString()).isEqualTo(200);
          JsonObject body = ready.bodyAsJsonObject();
          assertThat(body.getString("status")).isEqualTo("ready");
          assertThat(body.getJsonArray("reasons")).isEmpty();
          for (String check : new String[] {"store", "plugins", "skills"}) {
            assertThat(body.getJsonObject("checks").getJsonObject(check).getBoolean("ok")).as(check).isTrue();
          }
          ctx.completeNow();
        })));
  }

  @Test
  void readiness_is_503_with_the_reason_while_a_manifest_is_refused_and_200_once_fixed(VertxTestContext ctx)
      throws IOException {
    Path manifest = skills.resolve("sim.yaml");
    String good = Files.readString(manifest);
    Files.writeString(manifest, "id: sim\nversion: [unclosed\n");
    awaitReady(r -> r.statusCode() == 503)
        .compose(r -> {
          ctx.verify(() -> {
            JsonObject body = r.bodyAsJsonObject();
            assertThat(body.getString("status")).isEqualTo("not_ready");
            assertThat(body.getJsonObject("checks").getJsonObject("skills").getBoolean("ok")).isFalse();
            assertThat(body.getJsonObject("checks").getJsonObject("store").getBoolean("ok")).isTrue();
            assertThat(body.getJsonArray("reasons").getString(0)).contains("sim.yaml").contains("refused");
          });
          write(manifest, good);
          return awaitReady(x -> x.statusCode() == 200);
        })
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r.bodyAsJsonObject().getJsonArray("reasons")).isEmpty();
          ctx.completeNow();
        })));
  }

  private Future<HttpResponse<Buffer>> get(String path) {
    return host.request(HttpMethod.GET, path, null).send();
  }

  /** Asks for readiness every 25 ms until {@code done} holds (the watcher reloads within its debounce). */
  private Future<HttpResponse<Buffer>> awaitReady(Predicate<HttpResponse<Buffer>> done) {
    return get("/v1/health/ready").compose(r -> done.test(r) ? Future.succeededFuture(r)
        : host.vertx.timer(25).compose(v -> awaitReady(done)));
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
