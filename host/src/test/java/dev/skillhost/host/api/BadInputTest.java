package dev.skillhost.host.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.host.testing.HostTestBase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Every client mistake gets a 4xx problem+json whose detail a person can act on; never a 500. */
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class BadInputTest extends HostTestBase {

  record Case(String name, HttpMethod method, String path, String contentType, String body, String header,
      int status, String type, String detailContains) {}


  static List<Case> cases() {
    String json = "application/json";
    String big = "{\"provider\":\"sim\",\"operation\":\"t2v\",\"params\":{\"p\":\"" + "x".repeat(1_100_000) + "\"}}";
    return List.of(
        new Case("malformed JSON", HttpMethod.POST, "/v1/tasks", json, "{\"provider\": ", null, 400, "invalid-json", "not valid JSON"),
        new Case("JSON list", HttpMethod.POST, "/v1/tasks", json, "[1,2]", null, 400, "bad-request", "must be a JSON object"),
        new Case("empty body", HttpMethod.POST, "/v1/tasks", json, "", null, 400, "bad-request", "JSON object body"),
        new Case("provider of wrong type", HttpMethod.POST, "/v1/tasks", json, "{\"provider\":5,\"operation\":\"t2v\"}", null, 400, "invalid-request", "'provider' must be a non-empty string"),
        new Case("params of wrong type", HttpMethod.POST, "/v1/tasks", json, "{\"provider\":\"sim\",\"operation\":\"t2v\",\"params\":[]}", null, 400, "invalid-request", "'params' must be an object"),
        new Case("deadline of wrong type", HttpMethod.POST, "/v1/tasks", json, "{\"provider\":\"sim\",\"operation\":\"t2v\",\"deadline_s\":\"soon\"}", null, 400, "invalid-request", "deadline_s"),
        new Case("unknown field", HttpMethod.POST, "/v1/tasks", json, "{\"provider\":\"sim\",\"operation\":\"t2v\",\"param\":{}}", null, 400, "invalid-request", "unknown field 'param'"),
        new Case("missing operation", HttpMethod.POST, "/v1/tasks", json, "{\"provider\":\"sim\"}", null, 400, "invalid-request", "'operation' is required"),
        new Case("bad input role", HttpMethod.POST, "/v1/tasks", json, "{\"provider\":\"sim\",\"operation\":\"i2v\",\"inputs\":[{\"role\":\"picture\",\"file\":\"x\"}]}", null, 400, "invalid-request", "inputs[0].role"),
        new Case("unknown provider", HttpMethod.POST, "/v1/tasks", json, "{\"provider\":\"nope\",\"operation\":\"t2v\"}", null, 422, "unknown-provider", "GET /v1/providers"),
        new Case("unknown operation", HttpMethod.POST, "/v1/tasks", json, "{\"provider\":\"sim\",\"operation\":\"paint\"}", null, 422, "unknown-operation", "t2v"),
        new Case("unknown input file", HttpMethod.POST, "/v1/tasks", json, "{\"provider\":\"sim\",\"operation\":\"i2v\",\"inputs\":[{\"role\":\"image\",\"file\":\"" + "a".repeat(64) + "\"}]}", null, 422, "unknown-input", "/v1/uploads"),
        new Case("oversized body", HttpMethod.POST, "/v1/tasks", json, big, null, 413, "too-large", "larger"),
        new Case("blank idempotency key", HttpMethod.POST, "/v1/tasks", json, "{\"provider\":\"sim\",\"operation\":\"t2v\"}", "Idempotency-Key: ", 400, "bad-request", "Idempotency-Key"),
        new Case("unknown task", HttpMethod.GET, "/v1/tasks/t_doesnotexist", null, null, null, 404, "task-not-found", "t_doesnotexist"),
        new Case("unknown task events", HttpMethod.GET, "/v1/tasks/t_doesnotexist/events", null, null, null, 404, "task-not-found", "t_doesnotexist"),
        new Case("cancel unknown task", HttpMethod.POST, "/v1/tasks/t_doesnotexist/cancel", null, null, null, 404, "task-not-found", "t_doesnotexist"),
        new Case("bad since", HttpMethod.GET, "/v1/tasks/t_x/events?since=-3", null, null, null, 400, "bad-request", "since"),
        new Case("bad Last-Event-ID", HttpMethod.GET, "/v1/tasks/t_x/events", null, null, "Last-Event-ID: abc", 400, "bad-request", "Last-Event-ID"),
        new Case("bad limit", HttpMethod.GET, "/v1/tasks?limit=0", null, null, null, 400, "bad-request", "'limit'"),
        new Case("bad state filter", HttpMethod.GET, "/v1/tasks?state=done", null, null, null, 400, "bad-request", "unknown state 'done'"),
        new Case("bad cursor", HttpMethod.GET, "/v1/tasks?cursor=bm9wZQ", null, null, null, 400, "bad-request", "cursor"),
        new Case("malformed query string", HttpMethod.GET, "/v1/tasks?cursor=%%%", null, null, null, 400, "bad-request", "query"),
        new Case("unknown path", HttpMethod.GET, "/v1/nothing-here", null, null, null, 404, "not-found", "nothing at this path"),
        new Case("unknown file", HttpMethod.GET, "/v1/files/" + "b".repeat(64), null, null, null, 404, "not-found", ""));
  }

  @Test
  void every_client_mistake_is_a_4xx_problem_that_says_what_to_fix(VertxTestContext ctx) {
    Future<Void> chain = Future.succeededFuture();
    for (Case c : cases()) {
      chain = chain.compose(v -> send(c).map(r -> {
        ctx.verify(() -> {
          assertThat(r.statusCode()).as(c.name() + ": " + r.bodyAsString()).isEqualTo(c.status());
          assertThat(r.getHeader("Content-Type")).as(c.name()).isEqualTo("application/problem+json");
          JsonObject p = r.bodyAsJsonObject();
          assertThat(p.getString("type")).as(c.name()).isEqualTo("/problems/" + c.type());
          assertThat(p.getString("detail")).as(c.name()).contains(c.detailContains());
        });
        return null;
      }));
    }
    chain.onComplete(ctx.succeedingThenComplete());
  }

  private Future<io.vertx.ext.web.client.HttpResponse<Buffer>> send(Case c) {
    HttpRequest<Buffer> r = host.request(c.method(), c.path(), host.key);
    if (c.contentType() != null) {
      r.putHeader("Content-Type", c.contentType());
    }
    if (c.header() != null) {
      int colon = c.header().indexOf(':');
      r.putHeader(c.header().substring(0, colon), c.header().substring(colon + 1).strip());
    }
    return c.body() == null ? r.send() : r.sendBuffer(Buffer.buffer(c.body()));
  }
}
