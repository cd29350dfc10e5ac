package dev.skillhost.contract.mcp;

import static dev.skillhost.contract.mcp.McpJavaFixture.call;
import static dev.skillhost.contract.mcp.McpJavaFixture.structured;
import static dev.skillhost.contract.mcp.McpJavaFixture.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Spend confirmation over MCP with the official Java SDK client: the real ChatArt plugin jar
 * against its simulator (the chatart skill asks before every spend) and sim tasks whose estimate
 * is over 100 credits. A client that declares elicitation is asked with {@code elicitation/create};
 * one that does not gets {@code awaiting_confirmation} and calls {@code confirm}.
 */
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class McpJavaConfirmTest extends McpJavaTestBase {

  @Override
  Future<McpJavaFixture> fixture(Vertx vertx, Path dir) {
    return McpJavaFixture.startWithChatArt(vertx, dir, 1_000);
  }

  @Test
  void an_accepted_elicitation_confirms_the_chatart_spend_and_the_task_succeeds(VertxTestContext ctx) {
    List<McpSchema.ElicitFormRequest> asked = new CopyOnWriteArrayList<>();
    McpSyncClient c = f.open(s -> s.capabilities(McpSchema.ClientCapabilities.builder().elicitation().build())
        .elicitation(req -> {
          asked.add(req);
          return new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.ACCEPT, Map.of());
        }));
    McpSchema.CallToolResult submitted = call(c, "generate", Map.of("text", "Generate an image of a red fox in the snow",
        "skill", "chatart", "locale", "en"));
    JsonObject t = structured(submitted);
    JsonObject done = structured(call(c, "task_wait", Map.of("task_id", t.getString("task_id"), "timeout_s", 40)));
    ctx.verify(() -> {
      assertThat(asked).as("one elicitation/create for the one spend").hasSize(1);
      McpSchema.ElicitFormRequest req = asked.get(0);
      assertThat(req.message()).as("the skill's confirm message with the estimate").contains("6").contains("nano-banana-2");
      assertThat(req.requestedSchema()).containsEntry("type", "object");
      assertThat(submitted.isError()).as(t.encodePrettily()).isNotEqualTo(Boolean.TRUE);
      assertThat(t.getString("skill")).isEqualTo("chatart");
      assertThat(t.getString("operation")).isEqualTo("text2image");
      assertThat(t.getString("state")).as("confirmed before the result returned").isNotEqualTo("awaiting_confirmation");
      assertThat(done.getString("state")).as(done.encodePrettily()).isEqualTo("succeeded");
      assertThat(done.getJsonArray("outputs")).isNotEmpty();
      assertThat(f.chatart.spends().total()).as("charged once").isEqualTo(1);
    });
    ctx.completeNow();
  }

  @Test
  void a_declined_elicitation_cancels_and_spends_nothing(VertxTestContext ctx) {
    McpSyncClient c = f.open(s -> s.capabilities(McpSchema.ClientCapabilities.builder().elicitation().build())
        .elicitation(req -> new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.DECLINE, null)));
    JsonObject chatart = structured(call(c, "chatart_text2image", Map.of("prompt", "a red fox in the snow", "locale", "en")));
    JsonObject sim = structured(call(c, "sim_t2v", Map.of("prompt", "pricey", "params", Map.of("cost", 150))));
    JsonObject cheap = structured(call(c, "sim_t2v", Map.of("prompt", "cheap", "duration_ms", 100, "wait_s", 20)));
    ctx.verify(() -> {
      assertThat(chatart.getString("state")).as(chatart.encodePrettily()).isEqualTo("cancelled");
      assertThat(sim.getString("state")).as(sim.encodePrettily()).isEqualTo("cancelled");
      assertThat(cheap.getString("state")).as("no confirmation under 100 credits").isEqualTo("succeeded");
      assertThat(f.chatart.spends().total()).isZero();
    });
    ctx.completeNow();
  }

  @Test
  void without_elicitation_the_task_waits_for_the_confirm_tool(VertxTestContext ctx) {
    McpSyncClient c = f.open();
    McpSchema.CallToolResult asked = call(c, "chatart_text2image", Map.of("prompt", "a red fox in the snow", "locale", "en"));
    JsonObject waiting = structured(asked);
    String id = waiting.getString("task_id");
    JsonObject stillWaiting = structured(call(c, "task_status", Map.of("task_id", id)));
    int spentBefore = f.chatart.spends().total();
    JsonObject confirmed = structured(call(c, "confirm", Map.of("task_id", id)));
    JsonObject done = structured(call(c, "task_wait", Map.of("task_id", id, "timeout_s", 40)));
    ctx.verify(() -> {
      assertThat(waiting.getString("state")).as(waiting.encodePrettily()).isEqualTo("awaiting_confirmation");
      assertThat(waiting.getJsonObject("estimate").getDouble("credits")).isEqualTo(6.0);
      assertThat(text(asked)).contains("6").contains("nano-banana-2");
      assertThat(stillWaiting.getString("state")).isEqualTo("awaiting_confirmation");
      assertThat(spentBefore).as("nothing spent before confirm").isZero();
      assertThat(confirmed.getString("state")).isNotEqualTo("awaiting_confirmation");
      assertThat(done.getString("state")).as(done.encodePrettily()).isEqualTo("succeeded");
      assertThat(f.chatart.spends().total()).isEqualTo(1);
    });
    ctx.completeNow();
  }
}
