package dev.skillhost.contract.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.host.testing.RawMcp;
import dev.skillhost.host.testing.TestHost;
import dev.skillhost.simulators.chatart.ChatArtSimulator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A request in words that only ChatArt serves, before anyone signed in to it: a client that takes
 * URL-mode elicitation is sent to the device-login link, and once the user has signed in there the
 * same call goes on and makes the task; a client that does not gets the skill's login message.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class McpSignInTest {

  private static final String WORDS = "Generate an image of a red fox in the snow";

  @TempDir
  Path dir;

  private static JsonObject generate() {
    return new JsonObject().put("name", "generate").put("arguments", new JsonObject().put("text", WORDS).put("locale", "en"));
  }

  @Test
  void an_operation_tool_or_a_named_skill_not_signed_in_answers_the_login_link(Vertx vertx, VertxTestContext ctx) {
    ChatArtSimulator.start(vertx, new JsonObject()).compose(sim -> {
      JsonObject config = new JsonObject().put("base_url", sim.baseUrl()).put("oss_endpoint", sim.ossEndpoint());
      return TestHost.start(vertx, dir, Map.of("chatart", config), List.of("chatart")).compose(host -> {
        RawMcp plain = new RawMcp(vertx, host.port(), host.key);
        return plain.initialize(new JsonObject())
            .compose(i -> Future.all(
                plain.call(1, "tools/call", new JsonObject().put("name", "chatart_text2image")
                    .put("arguments", new JsonObject().put("prompt", "a red fox in the snow").put("locale", "en"))),
                plain.call(2, "tools/call", new JsonObject().put("name", "generate")
                    .put("arguments", new JsonObject().put("text", WORDS).put("skill", "chatart").put("locale", "en")))))
            .map(all -> List.of(all.<JsonObject>resultAt(0), all.<JsonObject>resultAt(1), sim.spends().total()))
            .eventually(plain::close)
            .eventually(host::close);
      }).eventually(sim::close);
    }).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      for (Object o : r.subList(0, 2)) {
        JsonObject answer = (JsonObject) o;
        assertThat(answer.getBoolean("isError")).as(answer.encode()).isTrue();
        assertThat(answer.getJsonArray("content").getJsonObject(0).getString("text")).as("the skill's login message")
            .contains("http").contains("ask again");
      }
      assertThat((Integer) r.get(2)).as("nothing sent to be charged").isZero();
      ctx.completeNow();
    })));
  }

  @Test
  void url_elicitation_signs_the_user_in_and_the_call_goes_on(Vertx vertx, VertxTestContext ctx) {
    WebClient browser = WebClient.create(vertx);
    ChatArtSimulator.start(vertx, new JsonObject()).compose(sim -> {
      JsonObject config = new JsonObject().put("base_url", sim.baseUrl()).put("oss_endpoint", sim.ossEndpoint());
      return TestHost.start(vertx, dir, Map.of("chatart", config), List.of("chatart")).compose(host -> {
        RawMcp plain = new RawMcp(vertx, host.port(), host.key);
        RawMcp mcp = new RawMcp(vertx, host.port(), host.key);
        JsonObject caps = new JsonObject().put("elicitation", new JsonObject().put("form", new JsonObject()).put("url", new JsonObject()));
        return plain.initialize(new JsonObject())
            .compose(files -> plain.call(3, "tools/call", generate())
                .compose(withoutUrl -> mcp.initialize(caps)
                    .compose(i -> mcp.post(RawMcp.request(4, "tools/call", generate())))
                    .compose(s -> s.until(vertx, e -> "elicitation/create".equals(e.message().getString("method")))
                        .compose(ask -> {
                          JsonObject params = ask.message().getJsonObject("params");
                          // the user agrees, opens the link and signs in; the client acknowledges at once
                          return mcp.post(new JsonObject().put("jsonrpc", "2.0").put("id", ask.message().getValue("id"))
                                  .put("result", new JsonObject().put("action", "accept")))
                              .compose(ack -> browser.getAbs(params.getString("url")).send())
                              // signed in, the call goes on; ChatArt asks to confirm every spend: accept that too
                              .compose(page -> s.until(vertx, e -> "elicitation/create".equals(e.message().getString("method"))
                                  && "form".equals(e.message().getJsonObject("params").getString("mode"))))
                              .compose(confirm -> mcp.post(new JsonObject().put("jsonrpc", "2.0")
                                  .put("id", confirm.message().getValue("id")).put("result", new JsonObject().put("action", "accept"))))
                              .compose(ack -> s.until(vertx, e -> Integer.valueOf(4).equals(e.message().getValue("id"))))
                              .map(answer -> List.of(withoutUrl, params, answer.message().getJsonObject("result"),
                                  RawMcp.notifications(s, "notifications/elicitation/complete")));
                        }))))
            .eventually(plain::close)
            .eventually(mcp::close)
            .eventually(host::close);
      }).eventually(sim::close);
    }).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      JsonObject withoutUrl = (JsonObject) r.get(0);
      JsonObject asked = (JsonObject) r.get(1);
      JsonObject answer = (JsonObject) r.get(2);
      @SuppressWarnings("unchecked")
      List<JsonObject> completed = (List<JsonObject>) r.get(3);
      assertThat(withoutUrl.getBoolean("isError")).isTrue();
      assertThat(withoutUrl.getJsonArray("content").getJsonObject(0).getString("text")).contains("http").contains("ask again");
      assertThat(asked.getString("mode")).isEqualTo("url");
      assertThat(asked.getString("url")).startsWith("http");
      assertThat(asked.getString("message")).contains(asked.getString("url"));
      assertThat(answer.getBoolean("isError")).as(answer.encode()).isFalse();
      assertThat(answer.getJsonObject("structuredContent").getString("skill")).isEqualTo("chatart");
      assertThat(answer.getJsonObject("structuredContent").getString("operation")).isEqualTo("text2image");
      assertThat(answer.getJsonObject("structuredContent").getString("state")).isNotEqualTo("awaiting_confirmation");
      assertThat(completed).hasSize(1);
      assertThat(completed.get(0).getJsonObject("params").getString("elicitationId")).isEqualTo(asked.getString("elicitationId"));
      browser.close();
      ctx.completeNow();
    })));
  }
}
