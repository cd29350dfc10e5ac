package dev.skillhost.host.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.host.testing.HostTestBase;
import dev.skillhost.host.testing.RawMcp;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A spend the skill wants confirmed (sim t2v over 100 credits): asked through elicitation where the
 * client takes it (accept goes on, decline cancels), else answered awaiting_confirmation.
 */
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class McpConfirmTest extends HostTestBase {

  private RawMcp mcp;

  @AfterEach
  void disconnect(VertxTestContext ctx) {
    mcp.close().onComplete(ctx.succeedingThenComplete());
  }

  private static JsonObject costly() {
    return new JsonObject().put("name", "sim_t2v").put("arguments", new JsonObject().put("duration_ms", 300).put("params", new JsonObject().put("cost", 150)));
  }

  private Future<JsonObject> answered(Vertx vertx, String action) {
    mcp = new RawMcp(vertx, host.port(), host.key);
    return mcp.initialize(new JsonObject().put("elicitation", new JsonObject().put("form", new JsonObject())))
        .compose(i -> mcp.post(RawMcp.request(1, "tools/call", costly())))
        .compose(s -> s.until(vertx, e -> "elicitation/create".equals(e.message().getString("method")))
            .compose(ask -> {
              JsonObject params = ask.message().getJsonObject("params");
              assertThat(params.getString("mode")).isEqualTo("form");
              assertThat(params.getString("message")).contains("150");
              return mcp.post(new JsonObject().put("jsonrpc", "2.0").put("id", ask.message().getValue("id"))
                  .put("result", new JsonObject().put("action", action)));
            })
            .compose(ack -> s.until(vertx, e -> Integer.valueOf(1).equals(e.message().getValue("id")))))
        .map(e -> e.message().getJsonObject("result").getJsonObject("structuredContent"));
  }

  @Test
  void an_accepted_elicitation_confirms_the_spend(Vertx vertx, VertxTestContext ctx) {
    answered(vertx, "accept").onComplete(ctx.succeeding(task -> ctx.verify(() -> {
      assertThat(task.getString("state")).isIn("submitting", "running", "succeeded");
      ctx.completeNow();
    })));
  }

  @Test
  void a_declined_elicitation_cancels_the_task_before_anything_is_spent(Vertx vertx, VertxTestContext ctx) {
    answered(vertx, "decline").onComplete(ctx.succeeding(task -> ctx.verify(() -> {
      assertThat(task.getString("state")).isEqualTo("cancelled");
      ctx.completeNow();
    })));
  }

  @Test
  void without_elicitation_the_call_answers_the_estimate_and_confirm_goes_on(Vertx vertx, VertxTestContext ctx) {
    mcp = new RawMcp(vertx, host.port(), host.key);
    mcp.initialize(new JsonObject())
        .compose(i -> mcp.call(1, "tools/call", costly()))
        .compose(r -> {
          JsonObject task = r.getJsonObject("structuredContent");
          ctx.verify(() -> {
            assertThat(task.getString("state")).isEqualTo("awaiting_confirmation");
            assertThat(task.getJsonObject("estimate").getDouble("credits")).isEqualTo(150.0);
            assertThat(task.getString("message")).contains("150");
          });
          return mcp.call(2, "tools/call", new JsonObject().put("name", "confirm")
              .put("arguments", new JsonObject().put("task_id", task.getString("task_id"))));
        })
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r.getJsonObject("structuredContent").getString("state")).isNotEqualTo("awaiting_confirmation");
          ctx.completeNow();
        })));
  }
}
