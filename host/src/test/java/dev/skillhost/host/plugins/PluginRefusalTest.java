package dev.skillhost.host.plugins;

import static dev.skillhost.host.plugins.PluginFixture.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.skillhost.api.Progress;
import dev.skillhost.host.testing.PluginJarBuilder;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Broken jars are refused with their cause, and whatever version was live stays live. */
@ExtendWith(VertxExtension.class)
class PluginRefusalTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  /** Writes a jar into the plugins dir. */
  @FunctionalInterface
  interface Deploy {
    Path into(Path dir) throws IOException;
  }

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

  static Stream<Arguments> brokenJars() {
    return Stream.of(
        arguments("not a zip", (Deploy) dir -> PluginJarBuilder.corruptJar(dir, "sim.jar"),
            "PluginRuntimeException: Cannot read manifest from sim.jar <- caused by ZipException"),
        arguments("static initialiser throws", (Deploy) dir -> PluginJarBuilder.failingInitJar(dir, "sim.jar", "sim", "2.0.0"),
            "ExceptionInInitializerError <- caused by IllegalStateException: static initialiser failed on purpose"),
        arguments("extension class missing", (Deploy) dir -> PluginJarBuilder.missingClassJar(dir, "sim.jar", "sim", "2.0.0"),
            "ClassNotFoundException: dev.skillhost.testplugin.Missing"),
        arguments("needs a newer host", (Deploy) dir -> PluginJarBuilder.futureHostJar(dir, "sim.jar", "2.0.0"),
            "it requires host version >=9.0.0, this host is 0.1.0"),
        arguments("no plugin id", (Deploy) dir -> PluginJarBuilder.create(null, "2.0.0").withSimClasses().deploy(dir, "sim.jar"),
            "Field 'id' cannot be empty"),
        arguments("no extension index", (Deploy) dir -> PluginJarBuilder.create("sim", "2.0.0").deploy(dir, "sim.jar"),
            "no Provider or Channel extension: META-INF/extensions.idx is missing or empty"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenJars")
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void refuses_a_broken_replacement_and_keeps_the_old_version(String name, Deploy broken, String cause,
      VertxTestContext ctx) throws Exception {
    PluginJarBuilder.simJar(f.pluginsDir, "sim.jar", "1.0.0");
    f.start().compose(host -> {
      LiveProvider v1 = host.provider("sim").orElseThrow();
      return f.blocking(() -> broken.into(f.pluginsDir))
          .compose(jar -> f.until(() -> PluginFixture.error(host).contains("refused"), WAIT, () -> "a refusal"))
          .compose(v -> {
            ctx.verify(() -> assertThat(host.statuses()).singleElement().satisfies(s -> {
              assertThat(s.state()).isEqualTo(ProviderStatus.State.STARTED);
              assertThat(s.version()).isEqualTo("1.0.0");
              assertThat(s.error()).startsWith("sim.jar refused: ").contains(cause).endsWith("; version 1.0.0 stays live");
              assertThat(s.toJson().getString("error")).isEqualTo(s.error());
            }));
            ctx.verify(() -> assertThat(host.provider("sim")).containsSame(v1));
            ctx.verify(() -> assertThat(f.shadows()).as("the refused jar's copy is deleted").hasSize(1));
            return v1.call(p -> p.submit(job("still", "text2image", new JsonObject().put("duration_ms", 0)), v1.context()));
          })
          .compose(handle -> v1.call(p -> p.poll(handle, v1.context())));
    }).onComplete(ctx.succeeding(progress -> ctx.verify(() -> {
      assertThat(progress.status()).isEqualTo(Progress.Status.SUCCEEDED);
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void refuses_a_provider_whose_id_is_not_its_plugin_id(VertxTestContext ctx) throws Exception {
    PluginJarBuilder.create("other", "1.0.0").withSimClasses().deploy(f.pluginsDir, "other.jar");
    f.start().onComplete(ctx.succeeding(host -> ctx.verify(() -> {
      assertThat(host.provider("other")).isEmpty();
      assertThat(host.provider("sim")).isEmpty();
      assertThat(host.statuses()).singleElement().satisfies(s -> {
        assertThat(s.id()).isEqualTo("other");
        assertThat(s.state()).isEqualTo(ProviderStatus.State.FAILED);
        assertThat(s.version()).isEqualTo("1.0.0");
        assertThat(s.info()).isNull();
        assertThat(s.error()).isEqualTo(
            "other.jar refused: its provider calls itself 'sim' but the plugin id is 'other'; they must be equal");
        assertThat(s.toJson().getString("state")).isEqualTo("failed");
      });
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void a_broken_jar_with_nothing_live_is_reported_failed_and_a_fixed_one_loads(VertxTestContext ctx) throws Exception {
    PluginJarBuilder.failingInitJar(f.pluginsDir, "sim.jar", "sim", "1.0.0");
    f.start().compose(host -> {
      ctx.verify(() -> assertThat(host.statuses()).singleElement().satisfies(s -> {
        assertThat(s.state()).isEqualTo(ProviderStatus.State.FAILED);
        assertThat(s.error()).contains("static initialiser failed on purpose").doesNotContain("stays live");
      }));
      return f.blocking(() -> PluginJarBuilder.simJar(f.pluginsDir, "sim.jar", "1.0.1"))
          .compose(jar -> f.until(() -> host.provider("sim").isPresent(), WAIT, () -> "the fixed jar to load"))
          .map(v -> {
            ctx.verify(() -> assertThat(host.statuses()).singleElement()
                .satisfies(s -> assertThat(s.error()).isNull()));
            return v;
          });
    }).onComplete(ctx.succeedingThenComplete());
  }
}
