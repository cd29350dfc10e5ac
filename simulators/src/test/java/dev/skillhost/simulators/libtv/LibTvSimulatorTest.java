package dev.skillhost.simulators.libtv;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The two wires as the official clients' tests exercise them, over real HTTP. */
@ExtendWith(VertxExtension.class)
class LibTvSimulatorTest {

  private LibTvSimulator sim;
  private WebClient client;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    client = WebClient.create(vertx);
    LibTvSimulator.start(vertx, new JsonObject().put("step_ms", 1)).onComplete(ctx.succeeding(s -> {
      sim = s;
      ctx.completeNow();
    }));
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    client.close();
    sim.close().onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void the_gateway_answers_bare_objects_accepts_a_double_slash_and_serves_messages_after_seq(Vertx vertx, VertxTestContext ctx) {
    client.postAbs(sim.baseUrl() + "//libtv/v1/session").putHeader("X-API-KEY", LibTvSimulator.DEMO_GATEWAY_KEY)
        .sendJsonObject(new JsonObject().put("message", "a cat video"))
        .compose(r -> {
          JsonObject body = r.bodyAsJsonObject();
          ctx.verify(() -> {
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(body.fieldNames()).containsExactlyInAnyOrder("sessionId", "projectUuid", "projectUrl");
          });
          return vertx.timer(50).compose(v -> client.getAbs(sim.baseUrl() + "/libtv/v1/session/" + body.getString("sessionId")
              + "?afterSeq=2").putHeader("X-API-KEY", LibTvSimulator.DEMO_GATEWAY_KEY).send());
        })
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          var messages = r.bodyAsJsonObject().getJsonArray("messages");
          assertThat(messages.getJsonObject(0).getLong("seq")).isEqualTo(3);
          assertThat(messages.getJsonObject(0).getString("role")).isEqualTo("tool");
          assertThat(messages.getJsonObject(1).getString("content")).contains("task_result").contains("previewPath");
          assertThat(sim.spends().total()).isEqualTo(1);
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void each_backend_refuses_in_its_own_shape_and_a_personal_key_at_the_gateway_is_counted(VertxTestContext ctx) {
    Future<JsonObject> gateway = client.postAbs(sim.baseUrl() + "/libtv/v1/session")
        .bearerTokenAuthentication(LibTvSimulator.DEMO_DIRECT_KEY).sendJsonObject(new JsonObject().put("message", "x"))
        .map(r -> new JsonObject().put("status", r.statusCode()).put("body", r.bodyAsJsonObject()));
    Future<JsonObject> direct = client.postAbs(sim.baseUrl() + "/openapi/session")
        .bearerTokenAuthentication("sk-libtv-unknown").sendJsonObject(new JsonObject().put("message", "x"))
        .map(r -> new JsonObject().put("status", r.statusCode()).put("body", r.bodyAsJsonObject()));
    Future.all(gateway, direct).onComplete(ctx.succeeding(all -> ctx.verify(() -> {
      assertThat(gateway.result().getInteger("status")).isEqualTo(401);
      assertThat(gateway.result().getJsonObject("body").getJsonObject("error").getString("user_message")).isEqualTo("Missing API Key");
      assertThat(direct.result().getInteger("status")).isEqualTo(401);
      assertThat(direct.result().getJsonObject("body").getString("message")).isEqualTo("Invalid API Key");
      assertThat(direct.result().getJsonObject("body").getInteger("code")).isEqualTo(401);
      assertThat(sim.directKeysAtGateway()).isEqualTo(1);
      assertThat(sim.spends().total()).isZero();
      ctx.completeNow();
    })));
  }
}
