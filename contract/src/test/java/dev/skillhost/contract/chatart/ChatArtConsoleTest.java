package dev.skillhost.contract.chatart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.host.testing.BrowserScript;
import dev.skillhost.host.testing.TestHost;
import dev.skillhost.simulators.chatart.ChatArtSimulator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web console in Debian's chromium against the real ChatArt plugin and the ChatArt simulator,
 * with no credentials configured: the user signs in with the Providers page's device-login button,
 * asks in words, sees the estimate in the route preview, confirms the spend on the task page, and
 * the result shows (script: host/src/test/browser/chatart.mjs). Nothing is spent before the click.
 */
@Tag("browser")
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
class ChatArtConsoleTest {

  private static final Path SHOTS = Path.of("target", "console-screenshots");

  @TempDir Path dir;
  ChatArtSimulator sim;
  TestHost host;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    ChatArtSimulator.start(vertx, new JsonObject().put("polls_until_done", 3)).compose(s -> {
      sim = s;
      JsonObject config = new JsonObject().put("base_url", s.baseUrl()).put("oss_endpoint", s.ossEndpoint());
      return TestHost.start(vertx, dir, Map.of("chatart", config), List.of("chatart"));
    }).onComplete(ctx.succeeding(h -> {
      host = h;
      ctx.completeNow();
    }));
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    (host == null ? Future.<Void>succeededFuture() : host.close())
        .eventually(() -> sim == null ? Future.succeededFuture() : sim.close())
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void device_login_then_a_confirmed_spend_from_the_console(VertxTestContext ctx) throws Exception {
    Files.createDirectories(SHOTS);
    Path log = SHOTS.resolve("chatart.stderr.log");
    List<JsonObject> lines = BrowserScript.run("chatart.mjs", Map.of(
        "SKILLHOST_URL", "http://127.0.0.1:" + host.port(),
        "SKILLHOST_KEY", host.key,
        "SCREENSHOTS", SHOTS.toAbsolutePath().toString()), Duration.ofSeconds(90), log);
    Map<String, JsonObject> checks = lines.stream().filter(l -> l.containsKey("check"))
        .collect(Collectors.toMap(l -> l.getString("check"), l -> l, (a, b) -> b));
    String all = lines.stream().map(JsonObject::encode).collect(Collectors.joining("\n"));
    Files.writeString(SHOTS.resolve("chatart.results.jsonl"), all + "\n"); // beside the screenshots, for a person
    all += "\n(stderr: " + log + ")";

    SoftAssertions soft = new SoftAssertions();
    for (String name : List.of("chatart_preview_says_what_is_missing", "chatart_device_login",
        "chatart_words_confirm_and_result", "accessible_names",
        "no_page_errors", "done")) {
      JsonObject c = checks.get(name);
      soft.assertThat(c).as("%s ran\n%s", name, all).isNotNull();
      if (c != null) {
        soft.assertThat(c.getBoolean("ok")).as("%s\n%s", name, c.encodePrettily()).isTrue();
      }
    }
    JsonObject run = checks.getOrDefault("chatart_words_confirm_and_result", new JsonObject());
    soft.assertThat(run.getString("asks", "")).as("the preview says it asks to confirm").startsWith("yes");
    soft.assertThat(run.getString("asked", "")).as("the estimate on the confirm panel").matches("\\d+(\\.\\d+)? \\S+");
    soft.assertThat(sim.spends().total()).as("one spend, made after the click").isEqualTo(1);
    soft.assertThat(sim.spends().repeated()).isEmpty();
    soft.assertAll();
    ctx.completeNow();
  }
}
