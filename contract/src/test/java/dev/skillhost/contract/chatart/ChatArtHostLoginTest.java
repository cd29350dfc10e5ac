package dev.skillhost.contract.chatart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.host.testing.TestHost;
import dev.skillhost.simulators.chatart.ChatArtSimulator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
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
 * ChatArt's device login the way a user meets it: no credentials configured, so the skill is not
 * ready; POST /v1/providers/chatart/login answers the link inside the skill's own login message in
 * the user's language; the user opens it; the host notices, and the skill is ready.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class ChatArtHostLoginTest {

  @TempDir
  Path dir;

  @Test
  void a_user_signs_in_through_the_host_and_the_skill_becomes_ready(Vertx vertx, VertxTestContext ctx) {
    WebClient browser = WebClient.create(vertx);
    ChatArtSimulator.start(vertx, new JsonObject()).compose(sim -> {
      JsonObject config = new JsonObject().put("base_url", sim.baseUrl()).put("oss_endpoint", sim.ossEndpoint());
      return TestHost.start(vertx, dir, Map.of("chatart", config), List.of("chatart")).compose(host -> ready(host)
          .compose(before -> host.request(HttpMethod.POST, "/v1/providers/chatart/login", host.key)
              .putHeader("Accept-Language", "zh-CN,zh;q=0.9").sendJsonObject(new JsonObject())
              .compose(started -> browser.getAbs(started.bodyAsJsonObject().getString("url")).send()
                  .compose(page -> signedIn(host))
                  .compose(done -> ready(host).map(after -> List.of(before, started.bodyAsJsonObject(), done, after)))))
          .eventually(() -> host.close()))
          .eventually(() -> sim.close());
    }).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      JsonObject before = (JsonObject) r.get(0);
      JsonObject started = (JsonObject) r.get(1);
      JsonObject done = (JsonObject) r.get(2);
      JsonObject after = (JsonObject) r.get(3);
      assertThat("chatart".equals(before.getString("skill")) && before.getBoolean("ready")).as(before.encode()).isFalse();
      assertThat(before.encode()).contains("needs login");
      assertThat(started.getString("state")).isEqualTo("pending");
      assertThat(started.getString("message")).contains(started.getString("url")).contains("登录");
      assertThat(started.getString("locale")).isEqualTo("zh");
      assertThat(done.getString("account")).isNotBlank();
      assertThat(after.getString("skill")).as(after.encode()).isEqualTo("chatart");
      assertThat(after.getBoolean("ready")).as(after.encode()).isTrue();
      browser.close();
      ctx.completeNow();
    })));
  }

  /** How the host would route a ChatArt-style request now (the ready skill wins over unready ones). */
  private static Future<JsonObject> ready(TestHost host) {
    return host.post("/v1/route", new JsonObject().put("text", "Generate a video about a neon city at night").put("locale", "en"))
        .map(r -> r.bodyAsJsonObject());
  }

  private static Future<JsonObject> signedIn(TestHost host) {
    return host.get("/v1/providers/chatart/login").compose(r -> {
      JsonObject body = r.bodyAsJsonObject();
      if ("signed_in".equals(body.getString("state"))) {
        return Future.succeededFuture(body);
      }
      if ("failed".equals(body.getString("state"))) {
        return Future.failedFuture(new AssertionError("sign-in failed: " + body.encode()));
      }
      return host.vertx.timer(50).compose(v -> signedIn(host));
    });
  }
}
