package dev.skillhost.host.plugins;

import static dev.skillhost.host.plugins.PluginFixture.job;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.api.Handle;
import dev.skillhost.api.Progress;
import dev.skillhost.api.Provider;
import dev.skillhost.api.ProviderInfo;
import dev.skillhost.host.testing.PluginJarBuilder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Loading, hot loading, swapping and unloading plugins through the watched directory. */
@ExtendWith(VertxExtension.class)
class PluginHostTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path tmp;
  private PluginFixture f;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    f = new PluginFixture(vertx, tmp, Clock.systemUTC());
  }

  @AfterEach
  void tearDown(VertxTestContext ctx) {
    f.close().onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void loads_the_sim_from_a_jar_and_runs_a_task_through_it(VertxTestContext ctx) throws Exception {
    PluginJarBuilder.simJar(f.pluginsDir, "sim.jar", "1.0.0");
    f.start()
        .compose(host -> {
          LiveProvider sim = host.provider("sim").orElseThrow();
          ctx.verify(() -> {
            assertThat(sim.version()).isEqualTo("1.0.0");
            assertThat(sim.info().kind()).isEqualTo(ProviderInfo.Kind.SIMULATED);
            assertThat(host.statuses()).singleElement().satisfies(s -> {
              assertThat(s.state()).isEqualTo(ProviderStatus.State.STARTED);
              assertThat(s.file()).isEqualTo("sim.jar");
              assertThat(s.error()).isNull();
              JsonObject json = s.toJson();
              assertThat(json.getString("state")).isEqualTo("started");
              assertThat(json.getString("loaded_at")).isNotNull();
              assertThat(json.getJsonObject("info").getString("kind")).isEqualTo("simulated");
              assertThat(json.getJsonObject("info").getJsonArray("operations")).hasSize(3);
              assertThat(json.getJsonObject("info").getJsonArray("rate_buckets").getJsonObject(0).getJsonArray("calls"))
                  .containsExactly("poll");
            });
            assertThat(f.shadows()).hasSize(1).noneMatch(n -> n.equals("sim.jar"));
          });
          return sim.call(p -> p.submit(job("t1", "text2image", new JsonObject().put("duration_ms", 0)), sim.context()))
              .compose(handle -> sim.call(p -> p.poll(handle, sim.context())));
        })
        .onComplete(ctx.succeeding(progress -> ctx.verify(() -> {
          assertThat(progress.status()).isEqualTo(Progress.Status.SUCCEEDED);
          assertThat(progress.outputs()).singleElement().satisfies(o -> assertThat(o.mime()).isEqualTo("image/png"));
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void hot_loads_a_jar_added_while_running(VertxTestContext ctx) {
    f.start()
        .compose(host -> {
          ctx.verify(() -> assertThat(host.statuses()).isEmpty());
          return f.blocking(() -> PluginJarBuilder.simJar(f.pluginsDir, "sim.jar", "1.0.0"))
              .compose(jar -> f.until(() -> host.provider("sim").isPresent(), WAIT, () -> "sim to load"));
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @Timeout(value = 40, timeUnit = TimeUnit.SECONDS)
  void swaps_versions_while_a_call_is_in_flight_with_no_gap(Vertx vertx, VertxTestContext ctx) throws Exception {
    PluginJarBuilder.simJar(f.pluginsDir, "sim.jar", "1.0.0");
    AtomicInteger looks = new AtomicInteger();
    AtomicInteger gaps = new AtomicInteger();
    f.start().compose(host -> {
      LiveProvider v1 = host.provider("sim").orElseThrow();
      long watch = vertx.setPeriodic(1, id -> {
        looks.incrementAndGet();
        if (host.provider("sim").isEmpty()) gaps.incrementAndGet();
      });
      JsonObject slow = new JsonObject().put("duration_ms", 0).put("slow_submit_ms", 4000);
      Future<Handle> inFlight = v1.call(p -> p.submit(job("slow", "t2v", slow), v1.context()));
      return f.blocking(() -> PluginJarBuilder.simJar(f.pluginsDir, "sim.jar", "2.0.0"))
          .compose(jar -> f.until(() -> PluginFixture.version(host).equals(Optional.of("2.0.0")), WAIT, () -> "2.0.0 to go live"))
          .compose(v -> {
            ctx.verify(() -> {
              assertThat(inFlight.isComplete()).as("the call on 1.0.0 is still running").isFalse();
              assertThat(v1.inFlight()).isEqualTo(1);
              assertThat(f.shadows()).as("1.0.0 is not unloaded while its call runs").hasSize(2);
            });
            return inFlight;
          })
          .compose(handle -> {
            LiveProvider v2 = host.provider("sim").orElseThrow();
            ctx.verify(() -> assertThat(v2.provider().getClass()).isNotSameAs(v1.provider().getClass()));
            // A handle made by 1.0.0 is polled by 2.0.0; a call on the replaced instance goes to 2.0.0.
            return v2.call(p -> p.poll(handle, v2.context()))
                .compose(progress -> {
                  ctx.verify(() -> assertThat(progress.status()).isEqualTo(Progress.Status.SUCCEEDED));
                  return v1.<Provider>call(Future::succeededFuture);
                })
                .compose(redirected -> {
                  ctx.verify(() -> assertThat(redirected).isSameAs(v2.provider()));
                  return f.until(() -> f.shadows().size() == 1, WAIT, () -> "1.0.0 to be unloaded: " + f.shadows());
                });
          })
          .onComplete(ar -> vertx.cancelTimer(watch));
    }).onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      assertThat(looks.get()).isGreaterThan(10);
      assertThat(gaps.get()).as("looks that found no sim").isZero();
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void unloads_a_plugin_when_its_jar_is_deleted(VertxTestContext ctx) throws Exception {
    Path jar = PluginJarBuilder.simJar(f.pluginsDir, "sim.jar", "1.0.0");
    f.start()
        .compose(host -> f.blocking(() -> Files.deleteIfExists(jar))
            .compose(deleted -> f.until(() -> host.provider("sim").isEmpty() && host.statuses().isEmpty(), WAIT,
                () -> "sim to be unloaded"))
            .compose(v -> f.until(() -> f.shadows().isEmpty(), WAIT, () -> "the shadow copy to go: " + f.shadows())))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void refuses_a_second_jar_with_the_same_plugin_id_until_the_first_is_gone(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    Path first = PluginJarBuilder.simJar(f.pluginsDir, "sim.jar", "1.0.0");
    AtomicInteger gaps = new AtomicInteger();
    f.start().compose(host -> {
      long watch = vertx.setPeriodic(1, id -> {
        if (host.provider("sim").isEmpty()) gaps.incrementAndGet();
      });
      return f.blocking(() -> PluginJarBuilder.simJar(f.pluginsDir, "sim-copy.jar", "2.0.0"))
          .compose(jar -> f.until(() -> !PluginFixture.error(host).isEmpty(), WAIT, () -> "the copy to be refused"))
          .compose(v -> {
            ctx.verify(() -> {
              assertThat(PluginFixture.version(host)).contains("1.0.0");
              assertThat(host.statuses()).singleElement().satisfies(s -> assertThat(s.error()).isEqualTo(
                  "sim-copy.jar refused: plugin id 'sim' is already provided by sim.jar; one jar per plugin id;"
                      + " version 1.0.0 stays live"));
            });
            return f.blocking(() -> Files.deleteIfExists(first));
          })
          .compose(deleted -> f.until(() -> PluginFixture.version(host).equals(Optional.of("2.0.0")), WAIT, () -> "the copy to take over"))
          .onComplete(ar -> vertx.cancelTimer(watch));
    }).onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      assertThat(gaps.get()).as("looks that found no sim during the takeover").isZero();
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void close_unloads_everything_and_removes_the_shadow_copies(VertxTestContext ctx) throws Exception {
    PluginJarBuilder.simJar(f.pluginsDir, "sim.jar", "1.0.0");
    f.start()
        .compose(host -> host.close().map(v -> {
          ctx.verify(() -> {
            assertThat(host.provider("sim")).isEmpty();
            assertThat(host.statuses()).isEmpty();
            assertThat(f.shadows()).isEmpty();
            assertThat(f.pluginsDir.resolve("sim.jar")).exists();
          });
          return v;
        }))
        .onComplete(ctx.succeedingThenComplete());
  }
}
