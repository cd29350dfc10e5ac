package dev.skillhost.contract.mcp;

import static dev.skillhost.contract.mcp.McpJavaFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What the SDK hides, in raw JSON-RPC over HTTP to {@code /mcp}: a retried request id submits
 * once, the session header rules (400 without, 404 unknown, DELETE ends it), 401 without a key,
 * JSON-RPC errors for malformed messages, and never a 5xx for any of it.
 */
@Timeout(value = 40, timeUnit = TimeUnit.SECONDS)
class McpJavaRawTest extends McpJavaTestBase {

  static final JsonObject LONG_T2V = new JsonObject().put("prompt", "retry me").put("duration_ms", 3_600_000);


  @Test
  void a_retried_request_id_submits_once(VertxTestContext ctx) {
    String key = f.host.key;
    f.initialize(key).compose(session -> f.callTool(key, session, 7, "sim_t2v", LONG_T2V)
            .compose(first -> f.callTool(key, session, 7, "sim_t2v", LONG_T2V).map(second -> List.of(first, second)))
            // and two copies of another id at the same time
            .compose(seq -> Future.all(f.callTool(key, session, 8, "generate", new JsonObject().put("text", "a video of a cat")
                    .put("skill", "sim").put("params", new JsonObject().put("duration_ms", 3_600_000))),
                f.callTool(key, session, 8, "generate", new JsonObject().put("text", "a video of a cat")
                    .put("skill", "sim").put("params", new JsonObject().put("duration_ms", 3_600_000))))
                .map(par -> List.of(seq.get(0), seq.get(1), par.<JsonObject>resultAt(0), par.<JsonObject>resultAt(1))))
            .compose(answers -> f.callTool(key, session, 9, "list_tasks", new JsonObject())
                .map(list -> new JsonArray(new java.util.ArrayList<>(answers)).add(list))))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          JsonObject first = all.getJsonObject(0).getJsonObject("result").getJsonObject("structuredContent");
          JsonObject second = all.getJsonObject(1);
          assertThat(first.getString("task_id")).isNotBlank();
          if (second.containsKey("result")) {
            assertThat(second.getJsonObject("result").getJsonObject("structuredContent").getString("task_id"))
                .as("the retry answers the same task").isEqualTo(first.getString("task_id"));
          }
          List<String> ids = all.getJsonObject(4).getJsonObject("result").getJsonObject("structuredContent")
              .getJsonArray("tasks").stream().map(t -> ((JsonObject) t).getString("task_id")).toList();
          assertThat(ids).as("one task per request id").hasSize(2).contains(first.getString("task_id"));
          assertThat(f.host.simSubmits(first.getString("task_id"))).isLessThanOrEqualTo(1);
          assertThat(f.statuses).allSatisfy(s -> assertThat(s).isLessThan(500));
          ctx.completeNow();
        })));
  }

  @Test
  void session_header_rules_400_without_404_unknown_and_delete_ends_it(VertxTestContext ctx) {
    String key = f.host.key;
    JsonObject list = request(1, "tools/list", new JsonObject());
    f.initialize(key).compose(session -> Future.all(
                f.post(key, null, list),
                f.post(key, "no-such-session", list),
                f.post(key, session, list))
            .compose(before -> f.send(HttpMethod.DELETE, key, session, null)
                .compose(deleted -> f.post(key, session, list)
                    .map(after -> List.of(before.<McpJavaFixture.Answer>resultAt(0), before.<McpJavaFixture.Answer>resultAt(1),
                        before.<McpJavaFixture.Answer>resultAt(2), deleted, after)))))
        .onComplete(ctx.succeeding(a -> ctx.verify(() -> {
          assertThat(a.get(0).status()).as("no Mcp-Session-Id on tools/list").isEqualTo(400);
          assertThat(a.get(1).status()).as("unknown session").isEqualTo(404);
          assertThat(a.get(2).status()).isEqualTo(200);
          assertThat(a.get(2).response(1).getJsonObject("result").getJsonArray("tools")).isNotEmpty();
          assertThat(a.get(3).status()).as("DELETE ends the session").isIn(200, 202, 204);
          assertThat(a.get(4).status()).as("the session is gone").isEqualTo(404);
          assertThat(f.statuses).allSatisfy(s -> assertThat(s).isLessThan(500));
          ctx.completeNow();
        })));
  }

  @Test
  void no_key_or_a_wrong_key_is_401_and_another_keys_session_is_not_yours(VertxTestContext ctx) {
    JsonObject init = request(0, "initialize", new JsonObject().put("protocolVersion", McpJavaFixture.LATEST)
        .put("capabilities", new JsonObject()).put("clientInfo", new JsonObject().put("name", "raw").put("version", "0")));
    JsonObject list = request(1, "tools/list", new JsonObject());
    f.initialize(f.host.key).compose(session -> Future.all(
            f.post(null, null, init),
            f.post("sk-not-a-key", null, init),
            f.post(null, session, list),
            f.post(f.host.otherKey, session, list)))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          assertThat(all.<McpJavaFixture.Answer>resultAt(0).status()).isEqualTo(401);
          assertThat(all.<McpJavaFixture.Answer>resultAt(1).status()).isEqualTo(401);
          assertThat(all.<McpJavaFixture.Answer>resultAt(2).status()).isEqualTo(401);
          assertThat(all.<McpJavaFixture.Answer>resultAt(3).status()).as("a session belongs to the key that made it")
              .isIn(401, 403, 404);
          assertThat(f.statuses).allSatisfy(s -> assertThat(s).isLessThan(500));
          ctx.completeNow();
        })));
  }

  @Test
  void malformed_messages_get_json_rpc_errors_never_a_5xx(VertxTestContext ctx) {
    String key = f.host.key;
    f.initialize(key).compose(session -> Future.all(List.of(
            f.send(HttpMethod.POST, key, session, Buffer.buffer("{not json")),
            f.post(key, session, request(2, "no/such/method", new JsonObject())),
            f.post(key, session, request(3, "tools/call", new JsonObject())),
            f.post(key, session, request(4, "tools/call", new JsonObject().put("name", "sim_t2v").put("arguments", "x"))),
            f.post(key, session, request(5, "resources/read", new JsonObject().put("uri", "skillhost://tasks/nope/outputs/0"))),
            f.post(key, session, new JsonObject().put("jsonrpc", "2.0").put("id", 6)),
            f.send(HttpMethod.POST, key, session, Buffer.buffer("[]")))))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          McpJavaFixture.Answer parse = all.resultAt(0);
          assertThat(parse.status()).isIn(200, 400);
          assertThat(parse.messages()).isNotEmpty();
          assertThat(parse.messages().get(0).getJsonObject("error").getInteger("code")).isEqualTo(-32700);
          assertThat(error(all.resultAt(1), 2)).isEqualTo(-32601);
          assertThat(error(all.resultAt(2), 3)).isEqualTo(-32602);
          // arguments that are not an object: a JSON-RPC error or an isError result, both name them
          JsonObject notObject = all.<McpJavaFixture.Answer>resultAt(3).response(4);
          assertThat(notObject.encode()).contains(notObject.containsKey("error") ? "-32602" : "\"isError\":true")
              .contains("arguments");
          assertThat(error(all.resultAt(4), 5)).as("unknown resource").isIn(-32002, -32602);
          assertThat(f.statuses).allSatisfy(s -> assertThat(s).isLessThan(500));
          ctx.completeNow();
        })));
  }

  @Test
  void tools_advertise_task_support_and_the_server_tasks_capability(VertxTestContext ctx) {
    String key = f.host.key;
    JsonObject init = request(0, "initialize", new JsonObject().put("protocolVersion", McpJavaFixture.LATEST)
        .put("capabilities", new JsonObject()).put("clientInfo", new JsonObject().put("name", "raw").put("version", "0")));
    f.post(key, null, init).compose(a -> f.initialize(key)
            .compose(session -> f.post(key, session, request(1, "tools/list", new JsonObject())))
            .map(tools -> List.of(a, tools)))
        .onComplete(ctx.succeeding(a -> ctx.verify(() -> {
          JsonObject caps = a.get(0).response(0).getJsonObject("result").getJsonObject("capabilities");
          assertThat(caps.getJsonObject("tasks").getJsonObject("requests").getJsonObject("tools").containsKey("call")).isTrue();
          for (Object o : a.get(1).response(1).getJsonObject("result").getJsonArray("tools")) {
            JsonObject tool = (JsonObject) o;
            String support = tool.getJsonObject("execution", new JsonObject()).getString("taskSupport");
            if (tool.getString("name").equals("generate") || tool.getString("name").startsWith("sim_")) {
              assertThat(support).as(tool.getString("name")).isEqualTo("optional");
            }
          }
          ctx.completeNow();
        })));
  }

  private static Integer error(McpJavaFixture.Answer a, int id) {
    JsonObject res = a.response(id);
    assertThat(res).as("HTTP " + a.status() + ": " + a.body()).isNotNull();
    assertThat(res.containsKey("error")).as(res.encode()).isTrue();
    return res.getJsonObject("error").getInteger("code");
  }
}
