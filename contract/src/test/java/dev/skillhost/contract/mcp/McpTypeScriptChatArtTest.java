package dev.skillhost.contract.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.host.testing.TestHost;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spend confirmation over MCP with the TypeScript SDK client, against the real ChatArt plugin jar
 * and its simulator (the skill asks before every spend): a client that declared elicitation is
 * asked in the call itself; one that did not gets {@code awaiting_confirmation} and uses the
 * {@code confirm} tool.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class McpTypeScriptChatArtTest {

  static final String UID = "id_mcp";
  static final String KEY = "sk-chatart-mcp";

  @TempDir
  Path dir;
  ChatArtSimulator sim;
  TestHost host;

  @BeforeAll
  static void installSdk() throws Exception {
    NodeScenario.install();
  }

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    ChatArtSimulator.start(vertx, new JsonObject().put("polls_until_done", 2))
        .compose(s -> {
          sim = s;
          sim.account(UID, KEY, 1000);
          JsonObject config = new JsonObject().put("base_url", sim.baseUrl()).put("oss_endpoint", sim.ossEndpoint())
              .put("secrets", new JsonObject().put("CHATARTPRO_UID", UID).put("CHATARTPRO_API_KEY", KEY));
          return TestHost.start(vertx, dir.resolve("host"), Map.of("chatart", config), List.of("chatart"));
        })
        .onComplete(ctx.succeeding(h -> {
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

  private Future<NodeScenario> scenario(Vertx vertx, String name) {
    Map<String, String> env = NodeScenario.env(host);
    return vertx.executeBlocking(() -> NodeScenario.run(name, env, McpTypeScriptClientTest.SCENARIO_TIMEOUT));
  }

  @Test
  void client_with_elicitation_is_asked_in_the_call_and_a_decline_spends_nothing(Vertx vertx, VertxTestContext ctx) {
    scenario(vertx, "confirm_elicit").onComplete(ctx.succeeding(s -> ctx.verify(() -> {
      s.succeeded();
      JsonArray asked = s.obs("elicitations").getJsonArray("asked");
      assertThat(asked).as("one elicitation/create for the spend").hasSize(1);
      JsonObject question = asked.getJsonObject(0);
      assertThat(question.getString("mode")).isIn("form", null);
      assertThat(question.getString("message")).as("the skill's confirm message with the estimate").contains("💰").containsPattern("\\d");
      assertThat(question.getJsonObject("schema").getString("type")).isEqualTo("object");
      JsonObject accepted = s.obs("generate");
      assertThat(accepted.getString("skill")).isEqualTo("chatart");
      assertThat(accepted.getString("state")).isNotEqualTo("awaiting_confirmation").isNotEqualTo("cancelled");
      JsonObject done = s.obs("wait");
      assertThat(done.getString("state")).isEqualTo("succeeded");
      assertThat(done.getJsonArray("outputs").getJsonObject(0).getString("mime")).startsWith("image/");

      assertThat(s.obs("elicitations_declined").getJsonArray("asked")).hasSize(1);
      assertThat(s.obs("declined").getString("state")).isEqualTo("cancelled");
      assertThat(sim.spends().total()).as("the accepted spend only").isEqualTo(1);
      assertThat(s.obs("client_errors").getJsonArray("errors")).isEmpty();
      ctx.completeNow();
    })));
  }

  @Test
  void client_without_elicitation_confirms_with_the_confirm_tool(Vertx vertx, VertxTestContext ctx) {
    scenario(vertx, "confirm_tool").onComplete(ctx.succeeding(s -> ctx.verify(() -> {
      s.succeeded();
      assertThat(s.obs("generate").getString("state")).as("generate answers the question").isEqualTo("awaiting_confirmation");
      JsonObject awaiting = s.obs("awaiting");
      assertThat(awaiting.getString("state")).isEqualTo("awaiting_confirmation");
      assertThat(awaiting.getJsonObject("estimate").getDouble("credits")).isPositive();
      assertThat(awaiting.getString("message")).contains("💰");
      assertThat(s.obs("confirm").getString("state")).isNotIn("awaiting_confirmation", "failed", "cancelled");
      assertThat(s.obs("wait").getString("state")).isEqualTo("succeeded");
      assertThat(sim.spends().total()).isEqualTo(1);
      assertThat(s.obs("client_errors").getJsonArray("errors")).isEmpty();
      ctx.completeNow();
    })));
  }
}
