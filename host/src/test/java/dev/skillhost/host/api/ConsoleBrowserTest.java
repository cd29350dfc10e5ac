package dev.skillhost.host.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.host.boot.HostConfig;
import dev.skillhost.host.testing.BrowserScript;
import dev.skillhost.host.testing.TestHost;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web console in a real browser: Debian's chromium, driven by playwright-core
 * ({@code src/test/browser/console.mjs}, the admin pages' scenarios in {@code admin.mjs}), against
 * a real host with the real local plugin jar, a skills directory of its own (the script breaks a
 * manifest in it) and webhooks allowed to 127.0.0.1 with a fast retry schedule (the script runs
 * the receiver). One browser session walks every scenario; each prints a JSON line, asserted
 * here. Screenshots go to {@code target/console-screenshots/} for a person to look at.
 */
@Tag("browser")
@ExtendWith(VertxExtension.class)
@Timeout(value = 240, timeUnit = TimeUnit.SECONDS)
class ConsoleBrowserTest {

  private static final Path LOCAL_JAR = Path.of("../plugins/local/target/skillhost-plugin-local-0.1.0.jar");
  private static final Path PHOTO = Path.of("../samples/photo.png");
  private static final Path SHOTS = Path.of("target", "console-screenshots");
  private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(200);

  @TempDir Path dir;
  TestHost host;
  Path skills;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) throws IOException {
    assertThat(LOCAL_JAR).as("build the local plugin first: mvn -B package -DskipTests -pl plugins/local -am").exists();
    skills = Files.createDirectories(dir.resolve("skills"));
    try (Stream<Path> files = Files.list(Path.of("..", "skills"))) {
      for (Path f : files.toList()) {
        Files.copy(f, skills.resolve(f.getFileName()));
      }
    }
    Path data = dir.resolve("data");
    Files.createDirectories(data.resolve("plugins"));
    Files.copy(LOCAL_JAR, data.resolve("plugins").resolve("local.jar"));
    // webhooks to the script's own receiver on 127.0.0.1, retried 200 ms apart, four attempts at most
    List<Duration> retries = List.of(Duration.ZERO, Duration.ofMillis(200), Duration.ofMillis(200), Duration.ofMillis(200));
    TestHost.start(vertx, data, c -> c.withSkills(new HostConfig.Skills(skills, HostConfig.Skills.DEFAULT_PREFER))
            .withNet(new HostConfig.Net(List.of("127.0.0.1")))
            .withOutbox(new HostConfig.Outbox(retries, Duration.ofMillis(50), Duration.ofSeconds(5))))
        .onComplete(ctx.succeeding(h -> {
          host = h;
          ctx.completeNow();
        }));
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    (host == null ? io.vertx.core.Future.<Void>succeededFuture() : host.close()).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void sign_in_submit_watch_play_confirm_cancel_deliveries_break_a_manifest_and_switch_to_zh(VertxTestContext ctx) throws Exception {
    Files.createDirectories(SHOTS);
    Path log = SHOTS.resolve("console.stderr.log");
    List<JsonObject> lines = BrowserScript.run("console.mjs", Map.of(
        "SKILLHOST_URL", "http://127.0.0.1:" + host.port(),
        "SKILLHOST_KEY", host.key,
        "SCREENSHOTS", SHOTS.toAbsolutePath().toString(),
        "PHOTO", PHOTO.toAbsolutePath().toString(),
        "SKILLS_DIR", skills.toString(),
        "PLUGINS_DIR", host.pluginsDir.toString()), SCRIPT_TIMEOUT, log);
    Map<String, JsonObject> checks = lines.stream().filter(l -> l.containsKey("check"))
        .collect(Collectors.toMap(l -> l.getString("check"), l -> l, (a, b) -> b));
    String all = lines.stream().map(JsonObject::encode).collect(Collectors.joining("\n"));
    Files.writeString(SHOTS.resolve("console.results.jsonl"), all + "\n"); // beside the screenshots, for a person
    all += "\n(stderr: " + log + ")";

    SoftAssertions soft = new SoftAssertions();
    for (String name : List.of("sign_in", "task_list_live_filters_pages", "local_i2v_from_words_with_upload",
        "sim_confirm_with_estimate", "cancel_from_the_task_page", "zh_locale", "phone_width", "providers_page",
        "refused_plugin_shows_its_cause", "deliveries_page_with_attempts", "broken_manifest_shows_position",
        "failing_example_refuses_the_edit", "accessible_names", "no_page_errors", "done")) {
      JsonObject c = checks.get(name);
      soft.assertThat(c).as("%s ran\n%s", name, all).isNotNull();
      if (c != null) {
        soft.assertThat(c.getBoolean("ok")).as("%s\n%s", name, c.encodePrettily()).isTrue();
      }
    }
    JsonObject i2v = checks.getOrDefault("local_i2v_from_words_with_upload", new JsonObject());
    JsonObject video = i2v.getJsonObject("video", new JsonObject());
    soft.assertThat(video.getInteger("readyState", 0)).as("video readyState").isGreaterThanOrEqualTo(2);
    soft.assertThat(video.getDouble("duration", 0.0)).as("video duration").isGreaterThan(9.5);
    soft.assertThat(i2v.getJsonArray("progress", new JsonArray()).size()).as("progress values seen").isGreaterThanOrEqualTo(2);
    soft.assertThat(i2v.getString("download", "")).as("download link").contains("/v1/files/").contains("sig=");
    JsonObject confirm = checks.getOrDefault("sim_confirm_with_estimate", new JsonObject());
    soft.assertThat(confirm.getString("estimate")).isEqualTo("150 sim_credits");
    soft.assertThat(confirm.getString("message", "")).contains("This will cost 150");
    JsonObject broken = checks.getOrDefault("broken_manifest_shows_position", new JsonObject());
    soft.assertThat(broken.getInteger("line")).as("the problem is on the edited line").isEqualTo(broken.getInteger("edited_line"));
    soft.assertThat(broken.getString("version")).as("the last good version stays live").isEqualTo("1.0.0");
    JsonObject providers = checks.getOrDefault("providers_page", new JsonObject());
    soft.assertThat(providers.getJsonObject("busy", new JsonObject()).getInteger("value", 0))
        .as("calls shown in the sim's poll bucket while a task ran").isPositive();
    JsonObject deliveries = checks.getOrDefault("deliveries_page_with_attempts", new JsonObject());
    soft.assertThat(deliveries.getString("good")).as("a delivery refused once shows 2 attempts").isEqualTo("2");
    soft.assertThat(deliveries.getString("bad")).as("a delivery nobody takes fails after the 4 of the schedule").isEqualTo("4");
    JsonObject zh = checks.getOrDefault("zh_locale", new JsonObject());
    soft.assertThat(zh.getString("lang")).isEqualTo("zh-CN");
    soft.assertThat(Files.exists(SHOTS.resolve("04-task-video.png"))).as("screenshots kept").isTrue();
    soft.assertAll();
    ctx.completeNow();
  }
}
