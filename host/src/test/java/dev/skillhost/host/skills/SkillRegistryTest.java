package dev.skillhost.host.skills;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The registry over a real directory: real files written, real WatchService events. */
@ExtendWith(VertxExtension.class)
class SkillRegistryTest {

  @TempDir
  Path dir;

  private SkillRegistry registry;

  static String manifest(String id, String version) {
    return """
        skill: %s
        version: %s
        provider: sim
        locales: [en]
        operations:
          t2v: {}
        routes:
          - when: "says(['video'])"
            to: t2v
        examples:
          - {text: "a video", expect: t2v}
        """.formatted(id, version);
  }

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) throws IOException {
    Files.writeString(dir.resolve("demo.yaml"), manifest("demo", "1.0.0"));
    Files.writeString(dir.resolve("broken.yaml"), "skill: broken\nversion: [\n");
    Files.writeString(dir.resolve("skill.schema.json"), "{}");
    SkillRegistry.start(vertx, new SkillRegistryOptions(dir,
            id -> id.equals("sim") ? Optional.of(ManifestFixturesTest.SIM) : Optional.empty(), null))
        .onComplete(ctx.succeeding(r -> {
          registry = r;
          ctx.completeNow();
        }));
  }

  @AfterEach
  void stop() {
    if (registry != null) {
      registry.close();
    }
  }

  /** Completes once {@code condition} holds, checking every 5 ms. */
  static Future<Void> eventually(Vertx vertx, BooleanSupplier condition) {
    Promise<Void> done = Promise.promise();
    vertx.setPeriodic(0, 5, id -> {
      if (condition.getAsBoolean()) {
        vertx.cancelTimer(id);
        done.tryComplete();
      }
    });
    return done.future();
  }

  private SkillStatus status(String file) {
    return registry.statuses().stream().filter(s -> s.file().endsWith(file)).findFirst().orElseThrow();
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void loads_every_manifest_at_start_and_reports_each_file(VertxTestContext ctx) {
    ctx.verify(() -> {
      assertThat(registry.skills()).extracting(Skill::id).containsExactly("demo");
      assertThat(registry.skill("demo").orElseThrow().version()).isEqualTo("1.0.0");
      assertThat(registry.statuses()).extracting(SkillStatus::file)
          .containsExactly(dir.resolve("broken.yaml").toString(), dir.resolve("demo.yaml").toString());
      SkillStatus broken = status("broken.yaml");
      assertThat(broken.refused()).isTrue();
      assertThat(broken.live()).isFalse();
      assertThat(broken.problems()).extracting(p -> p.at().line() + ":" + p.at().column() + ": " + p.message())
          .containsExactly("3:1: expected the node content, but found '<stream end>'");
      assertThat(status("demo.yaml").toJson().fieldNames())
          .containsExactlyInAnyOrder("file", "skill", "version", "live", "refused", "problems", "checked_at");
    });
    ctx.completeNow();
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void an_edit_goes_live_without_a_restart(Vertx vertx, VertxTestContext ctx) throws IOException {
    long written = System.nanoTime();
    Files.writeString(dir.resolve("demo.yaml"), manifest("demo", "1.1.0"));

    eventually(vertx, () -> registry.skill("demo").map(s -> s.version().equals("1.1.0")).orElse(false))
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - written)).isLessThan(2_000);
          assertThat(status("demo.yaml").refused()).isFalse();
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void a_bad_edit_is_refused_and_the_last_good_version_stays_live(Vertx vertx, VertxTestContext ctx) throws IOException {
    Files.writeString(dir.resolve("demo.yaml"), manifest("demo", "1.2.0").replace("to: t2v", "to: t3v"));

    eventually(vertx, () -> status("demo.yaml").refused()).onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      assertThat(registry.skill("demo").orElseThrow().version()).isEqualTo("1.0.0");
      SkillStatus s = status("demo.yaml");
      assertThat(s.live()).isTrue();
      assertThat(s.version()).isEqualTo("1.0.0");
      assertThat(s.problems()).extracting(ManifestProblem::toString).containsExactly(
          dir.resolve("demo.yaml") + ":9:9: error: route to undeclared operation 't3v' (hint: declared: t2v)");
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void a_removed_manifest_takes_its_skill_away(Vertx vertx, VertxTestContext ctx) throws IOException {
    Files.delete(dir.resolve("demo.yaml"));

    eventually(vertx, () -> registry.skill("demo").isEmpty()).onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      assertThat(registry.skills()).isEmpty();
      assertThat(registry.statuses()).extracting(SkillStatus::file).containsExactly(dir.resolve("broken.yaml").toString());
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void a_fixed_manifest_goes_live_and_a_second_claim_on_an_id_is_refused_until_the_first_goes(
      Vertx vertx, VertxTestContext ctx) throws IOException {
    Files.writeString(dir.resolve("broken.yaml"), manifest("broken", "1.0.0"));
    Files.writeString(dir.resolve("other.yaml"), manifest("demo", "9.0.0"));

    eventually(vertx, () -> registry.skill("broken").isPresent() && status("other.yaml").refused())
        .compose(v -> {
          ctx.verify(() -> {
            assertThat(registry.skill("demo").orElseThrow().version()).isEqualTo("1.0.0");
            assertThat(status("other.yaml").problems()).extracting(ManifestProblem::message)
                .containsExactly("skill 'demo' is already served from " + dir.resolve("demo.yaml"));
          });
          vertx.executeBlocking(() -> {
            Files.delete(dir.resolve("demo.yaml"));
            return null;
          });
          return eventually(vertx, () -> registry.skill("demo").map(s -> s.version().equals("9.0.0")).orElse(false));
        })
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertThat(status("other.yaml").refused()).isFalse();
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void editor_droppings_are_ignored(Vertx vertx, VertxTestContext ctx) throws IOException {
    Files.writeString(dir.resolve(".demo.yaml.swp"), "junk");
    Files.writeString(dir.resolve("demo.yaml~"), "junk");
    Files.writeString(dir.resolve("new.yaml"), manifest("new", "1.0.0"));

    eventually(vertx, () -> registry.skill("new").isPresent()).onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      assertThat(registry.statuses()).extracting(SkillStatus::file).noneMatch(f -> f.contains("swp") || f.endsWith("~"));
      ctx.completeNow();
    })));
  }
}
