package dev.skillhost.host.plugins;

import static dev.skillhost.host.plugins.PluginFixture.job;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.api.Progress;
import dev.skillhost.host.testing.PluginJarBuilder;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The ways a jar reaches the plugins dir: plain copies, in-place overwrites, half-written files, touches. */
@ExtendWith(VertxExtension.class)
class PluginDeployTest {

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
  void a_plain_copy_over_the_jar_swaps_the_version(VertxTestContext ctx) throws Exception {
    PluginJarBuilder.simJar(f.pluginsDir, "sim.jar", "1.0.0");
    f.start()
        .compose(host -> f.blocking(() -> PluginJarBuilder.create("sim", "2.0.0").withSimClasses().copyOver(f.pluginsDir, "sim.jar"))
            .compose(jar -> f.until(() -> PluginFixture.version(host).equals(Optional.of("2.0.0")), WAIT, () -> "2.0.0 after copy"))
            .compose(v -> f.until(() -> f.shadows().size() == 1, WAIT, () -> "one shadow copy: " + f.shadows())))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void keeps_working_when_its_jar_is_overwritten_in_place(VertxTestContext ctx) throws Exception {
    Path jar = PluginJarBuilder.simJar(f.pluginsDir, "sim.jar", "1.0.0");
    f.start().compose(host -> {
      LiveProvider v1 = host.provider("sim").orElseThrow();
      // Garbage over the very inode the jar had, like cp: classes 1.0.0 has not loaded yet
      // (rendering, the ledger) must still come from its own copy.
      return f.blocking(() -> PluginJarBuilder.overwriteInPlace(jar, new byte[] {1, 2, 3, 4}))
          .compose(p -> f.until(() -> PluginFixture.error(host).contains("sim.jar refused"), WAIT, () -> "the garbage to be refused"))
          .compose(v -> v1.call(p -> p.submit(job("after", "t2v", new JsonObject().put("duration_ms", 0)), v1.context())))
          .compose(handle -> v1.call(p -> p.poll(handle, v1.context())))
          .compose(progress -> {
            ctx.verify(() -> {
              assertThat(progress.status()).isEqualTo(Progress.Status.SUCCEEDED);
              assertThat(PluginFixture.version(host)).contains("1.0.0");
            });
            return f.blocking(() -> PluginJarBuilder.create("sim", "2.0.0").withSimClasses().overwriteInPlace(f.pluginsDir, "sim.jar"));
          })
          .compose(p -> f.until(() -> PluginFixture.version(host).equals(Optional.of("2.0.0")) && PluginFixture.error(host).isEmpty(), WAIT,
              () -> "2.0.0 after an in-place overwrite: " + host.statuses()));
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void retries_a_half_written_jar_once_it_is_complete(VertxTestContext ctx) throws Exception {
    byte[] whole = PluginJarBuilder.create("sim", "1.0.0").withSimClasses().toBytes();
    byte[] half = java.util.Arrays.copyOf(whole, whole.length / 2);
    Path jar = f.pluginsDir.resolve("sim.jar");
    PluginJarBuilder.overwriteInPlace(jar, half);
    f.start().compose(host -> {
      ctx.verify(() -> assertThat(host.statuses()).singleElement().satisfies(s -> {
        assertThat(s.state()).isEqualTo(ProviderStatus.State.FAILED);
        assertThat(s.id()).isNull();
        assertThat(s.error()).startsWith("sim.jar refused: ");
      }));
      return f.blocking(() -> PluginJarBuilder.overwriteInPlace(jar, whole))
          .compose(p -> f.until(() -> host.provider("sim").isPresent() && PluginFixture.error(host).isEmpty(), WAIT,
              () -> "the completed jar to load: " + host.statuses()));
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void does_not_reload_a_jar_that_was_only_touched(VertxTestContext ctx) throws Exception {
    Path jar = PluginJarBuilder.simJar(f.pluginsDir, "sim.jar", "1.0.0");
    f.start().compose(host -> {
      LiveProvider before = host.provider("sim").orElseThrow();
      return f.blocking(() -> Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(60))))
          .compose(p -> host.rescan())
          .map(v -> {
            ctx.verify(() -> {
              assertThat(host.provider("sim")).containsSame(before);
              assertThat(f.shadows()).hasSize(1);
            });
            return v;
          });
    }).onComplete(ctx.succeedingThenComplete());
  }
}
