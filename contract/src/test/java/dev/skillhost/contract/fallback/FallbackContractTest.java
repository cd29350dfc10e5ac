package dev.skillhost.contract.fallback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.host.testing.TestHost;
import dev.skillhost.simulators.Faults;
import dev.skillhost.simulators.chatart.ChatArtSimulator;
import dev.skillhost.simulators.lovart.LovartScript;
import dev.skillhost.simulators.lovart.LovartSimulator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Provider fallback between the real Lovart and ChatArt plugins, each against its simulator: a
 * task Lovart refuses before any spend moves to ChatArt (its manifest's {@code fallback:}), one
 * whose submit may have been charged never moves, and Lovart's circuit breaker opens after
 * repeated 5xx (routing then says so and new tasks go to ChatArt unsent), then recovers half-open.
 */
@ExtendWith(VertxExtension.class)
class FallbackContractTest {

  private static final Set<String> TERMINAL = Set.of("succeeded", "failed", "cancelled");
  private static final String UID = "id_fallback";
  private static final String KEY = "sk-chatart-fallback";
  private static final int MAX_FAILURES = 3;
  private static final long RESET_MS = 3_000;
  private static final String ERR = "{\"code\":500,\"message\":\"internal error\"}";

  @TempDir
  Path dir;
  LovartSimulator lovart;
  ChatArtSimulator chatart;
  TestHost host;

  @BeforeEach
  void start(Vertx vertx) {
    lovart = LovartSimulator.start(vertx, new LovartSimulator.Options().script(LovartScript.image(300)).retryAfter(1))
        .await();
    chatart = ChatArtSimulator.start(vertx, new JsonObject().put("polls_until_done", 2)).await();
    chatart.account(UID, KEY, 1000);
    JsonObject lovartConfig = new JsonObject().put("base_url", lovart.baseUrl())
        .put("secrets", new JsonObject().put("LOVART_ACCESS_KEY", lovart.options().accessKey)
            .put("LOVART_SECRET_KEY", lovart.options().secretKey))
        .put("circuit", new JsonObject().put("max_failures", MAX_FAILURES).put("reset_ms", RESET_MS));
    JsonObject chatartConfig = new JsonObject().put("base_url", chatart.baseUrl()).put("oss_endpoint", chatart.ossEndpoint())
        .put("secrets", new JsonObject().put("CHATARTPRO_UID", UID).put("CHATARTPRO_API_KEY", KEY));
    host = TestHost.start(vertx, dir.resolve("host"), Map.of("lovart", lovartConfig, "chatart", chatartConfig),
        List.of("lovart", "chatart")).await();
  }

  @AfterEach
  void stop() {
    if (host != null) host.close().await();
    if (lovart != null) lovart.close().await();
    if (chatart != null) chatart.close().await();
  }

  @Test
  @Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
  void a_refusal_before_any_spend_moves_the_task_to_chatart_and_says_so_in_the_users_locale() {
    lovart.credits(0); // Lovart answers POST /chat with 402 / 2012: no task made, nothing charged

    JsonObject task = run("lovart", "text2image", new JsonObject().put("prompt", "一只橘猫"), "zh");

    assertThat(task.getString("state")).as(task.encodePrettily()).isEqualTo("succeeded");
    assertThat(task.getString("skill")).isEqualTo("chatart");
    assertThat(task.getString("provider")).isEqualTo("chatart");
    assertThat(task.getJsonObject("params").getString("prompt")).isEqualTo("一只橘猫");
    assertThat(task.getJsonObject("params").getString("model")).isEqualTo("nano-banana-2"); // ChatArt's default
    assertThat(lovart.requests("POST /chat")).isEqualTo(1);
    assertThat(lovart.spends().total()).isZero();
    assertThat(chatart.spends().total()).isEqualTo(1);
    JsonObject moved = fallbackEvent(task.getString("id"));
    assertThat(moved.getJsonObject("data").getJsonObject("fallback").getString("kind")).isEqualTo("quota");
    assertThat(moved.getString("message")).startsWith("↪️ lovart 无法处理该请求(Lovart 拒绝了该请求")
        .endsWith("那边没有产生任何消耗,已改由 ChatArt 处理。");
  }

  @Test
  @Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
  void a_submit_whose_answer_was_lost_or_was_a_5xx_never_moves() {
    lovart.faults().next("POST /chat", new Faults.ResetAfter()) // received and charged, answer lost
        .next("POST /chat", new Faults.Status(500, ERR, null)); // a server error: nobody can say

    JsonObject lost = run("lovart", "text2image", new JsonObject().put("prompt", "a cat"), "en");
    JsonObject error500 = run("lovart", "text2image", new JsonObject().put("prompt", "a dog"), "en");

    for (JsonObject task : List.of(lost, error500)) {
      assertThat(task.getString("skill")).as(task.encodePrettily()).isEqualTo("lovart");
      assertThat(task.getString("state")).isEqualTo("failed");
      assertThat(events(task.getString("id")).stream().map(e -> (JsonObject) e)
          .noneMatch(e -> e.getJsonObject("data").containsKey("fallback"))).isTrue();
    }
    assertThat(lost.getJsonObject("error").getString("code")).isEqualTo("submission_unknown");
    assertThat(lovart.requests("POST /chat")).as("exactly one submit each, never re-sent").isEqualTo(2);
    assertThat(lovart.spends().total()).isEqualTo(1);
    assertThat(chatart.requests(ChatArtSimulator.IMAGE_SUBMIT)).isZero();
    assertThat(chatart.spends().total()).isZero();
  }

  @Test
  @Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
  void the_circuit_opens_after_repeated_5xx_routing_says_so_new_tasks_go_to_chatart_unsent_and_it_recovers() {
    lovart.faults().next("GET /chat/status", new Faults.Status(500, ERR, null), MAX_FAILURES);
    String running = submit("lovart", "text2image", new JsonObject().put("prompt", "a red fox"), "en").await();

    awaitRoute(lovartReason(r -> r.contains("circuit open: " + MAX_FAILURES + " upstream failures")));

    JsonObject moved = run("lovart", "text2image", new JsonObject().put("prompt", "一只狐狸"), "zh");
    assertThat(moved.getString("state")).as(moved.encodePrettily()).isEqualTo("succeeded");
    assertThat(moved.getString("skill")).isEqualTo("chatart");
    assertThat(fallbackEvent(moved.getString("id")).getString("message"))
        .startsWith("↪️ lovart 无法处理该请求(Lovart 当前连续出错,本次请求没有发送给它。)");
    assertThat(lovart.requests("POST /chat")).as("nothing sent to Lovart while open").isEqualTo(1);

    // the task sent before the circuit opened was still watched, and finished on Lovart
    JsonObject first = host.await(running, t -> TERMINAL.contains(t.getString("state"))).await();
    assertThat(first.getString("state")).as(first.encodePrettily()).isEqualTo("succeeded");
    assertThat(first.getString("skill")).isEqualTo("lovart");

    // after reset_ms one trial goes through; its answer closes the circuit
    awaitRoute(lovartReason(r -> r.contains("circuit half-open")));
    JsonObject trial = run("lovart", "text2image", new JsonObject().put("prompt", "a blue fox"), "en");
    assertThat(trial.getString("state")).as(trial.encodePrettily()).isEqualTo("succeeded");
    assertThat(trial.getString("skill")).isEqualTo("lovart");
    assertThat(lovart.requests("POST /chat")).isEqualTo(2);
    awaitRoute(lovartReason(r -> !r.contains("circuit")));
    assertThat(lovart.spends().repeated()).isEmpty();
  }

  private Future<String> submit(String skill, String operation, JsonObject params, String locale) {
    JsonObject body = new JsonObject().put("skill", skill).put("operation", operation).put("params", params)
        .put("locale", locale);
    return host.post("/v1/tasks", body).map(r -> {
      if (r.statusCode() != 202) throw new AssertionError("submit answered " + r.statusCode() + ": " + r.bodyAsString());
      return r.bodyAsJsonObject().getString("id");
    });
  }

  /** Submits, confirms the spend when the skill asks (ChatArt asks before every generation), waits for the end. */
  private JsonObject run(String skill, String operation, JsonObject params, String locale) {
    String id = submit(skill, operation, params, locale).await();
    JsonObject t = host.await(id, x -> TERMINAL.contains(x.getString("state"))
        || "awaiting_confirmation".equals(x.getString("state"))).await();
    if ("awaiting_confirmation".equals(t.getString("state"))) {
      int status = host.post("/v1/tasks/" + id + "/confirm", new JsonObject()).await().statusCode();
      assertThat(status).isLessThan(300);
      t = host.await(id, x -> TERMINAL.contains(x.getString("state"))).await();
    }
    return t;
  }

  private JsonArray events(String id) {
    String text = host.request(HttpMethod.GET, "/v1/tasks/" + id + "/events", host.key)
        .putHeader("Accept", "application/json").send().await().bodyAsString().trim();
    if (text.startsWith("[")) return new JsonArray(text);
    if (text.startsWith("{")) return new JsonObject(text).getJsonArray("events", new JsonArray());
    JsonArray out = new JsonArray();
    for (String line : text.split("\n")) {
      if (line.startsWith("data:")) out.add(new JsonObject(line.substring(5).trim()));
    }
    return out;
  }

  /** The one state event that moved the task to another skill. */
  private JsonObject fallbackEvent(String id) {
    List<JsonObject> moves = events(id).stream().map(e -> (JsonObject) e)
        .filter(e -> "state".equals(e.getString("type")) && e.getJsonObject("data").containsKey("fallback")).toList();
    assertThat(moves).hasSize(1);
    return moves.get(0);
  }

  /** Routes "draw a cat" until the answer holds (every 50 ms; the test's @Timeout bounds it). */
  private JsonObject awaitRoute(Predicate<JsonObject> done) {
    while (true) {
      JsonObject answer = host.post("/v1/route", new JsonObject().put("text", "draw a cat").put("locale", "en"))
          .await().bodyAsJsonObject();
      if (done.test(answer)) {
        return answer;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  /** What routing says stands in Lovart's way (as the winner, or as a losing candidate) matches {@code reason}. */
  private static Predicate<JsonObject> lovartReason(Predicate<String> reason) {
    return answer -> "lovart".equals(answer.getString("skill"))
        ? reason.test(String.join("; ", answer.getJsonObject("needs").getJsonArray("reasons").stream()
            .map(String::valueOf).toList()))
        : answer.getJsonArray("candidates", new JsonArray()).stream().map(c -> (JsonObject) c)
            .anyMatch(c -> "lovart".equals(c.getString("skill")) && reason.test(c.getString("reason", "")));
  }
}
