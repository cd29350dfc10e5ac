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
import org.junit.jupiter.api.Test;

/**
 * The {@code route} tool's chat text is for the user, in their language: a route is where the
 * request would go (a dry run: not the skill's "submitted" message); a request nothing serves
 * reads the router's question about the closest jobs (in Chinese for a Chinese locale), an unclear
 * one reads just the question; the closest candidates stay in structuredContent for the agent.
 */
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class McpRouteTextTest extends HostTestBase {

  private static final String WEATHER = "what is the weather tomorrow";

  private static JsonObject route(String text, String locale) {
    return new JsonObject().put("name", "route").put("arguments", new JsonObject().put("text", text).put("locale", locale));
  }

  private static String text(JsonObject result) {
    return result.getJsonArray("content").getJsonObject(0).getString("text");
  }

  @Test
  void a_request_nothing_serves_is_answered_in_the_callers_language(Vertx vertx, VertxTestContext ctx) {
    RawMcp mcp = new RawMcp(vertx, host.port(), host.key);
    mcp.initialize(new JsonObject())
        .compose(i -> Future.all(mcp.call(1, "tools/call", route(WEATHER, "zh-CN")), mcp.call(2, "tools/call", route(WEATHER, "en")),
            mcp.call(3, "tools/call", route("extend this video", "en")),
            mcp.call(4, "tools/call", route("make a short video of a cat", "en")),
            mcp.call(5, "tools/call", route("make a short video of a cat", "zh-CN"))))
        .eventually(mcp::close)
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          JsonObject zh = all.resultAt(0);
          JsonObject en = all.resultAt(1);
          JsonObject unclear = all.resultAt(2);
          String zhText = text(zh);
          String enText = text(en);
          assertThat(zh.getJsonObject("structuredContent").getString("kind")).isEqualTo("no_route");
          assertThat(zhText).as("Chinese, with the router's question").startsWith("没有技能")
              .contains(zh.getJsonObject("structuredContent").getString("question"));
          assertThat(zhText).as("no English sentence for a Chinese user").doesNotContain("No skill", "Closest", "Ask the user");
          assertThat(enText).startsWith("No skill serves this request.")
              .contains(en.getJsonObject("structuredContent").getString("question"));
          assertThat(en.getJsonObject("structuredContent").getJsonArray("candidates")).as("the closest, for the agent")
              .isNotEmpty();
          assertThat(unclear.getJsonObject("structuredContent").getString("kind")).isEqualTo("unclear");
          assertThat(text(unclear)).as("the question as the user reads it")
              .isEqualTo(unclear.getJsonObject("structuredContent").getString("question"));
          for (int i = 3; i <= 4; i++) {
            JsonObject routed = all.resultAt(i);
            JsonObject sc = routed.getJsonObject("structuredContent");
            assertThat(sc.getString("kind")).isEqualTo("route");
            assertThat(text(routed)).as("a dry run, not the skill's submitted message")
                .startsWith(i == 3 ? "This would go to " : "这个请求会交给")
                .contains(sc.getString("skill") + " · " + sc.getString("operation"))
                .contains(sc.getJsonObject("eta").getString("text"))
                .isNotEqualTo(sc.getString("message"));
          }
          ctx.completeNow();
        })));
  }
}
