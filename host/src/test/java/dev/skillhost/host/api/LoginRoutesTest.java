package dev.skillhost.host.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.host.testing.HostTestBase;
import dev.skillhost.host.testing.SignerPlugin;
import dev.skillhost.host.testing.PluginJarBuilder;
import dev.skillhost.host.testing.Problems;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The host's side of a device-style sign-in, against a provider compiled at test time. */
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class LoginRoutesTest extends HostTestBase {


  @BeforeEach
  void deploySigner(VertxTestContext ctx) {
    host.vertx.executeBlocking(() -> PluginJarBuilder.create("signer", "1.0.0")
            .withClass("dev.skillhost.testplugin.Signer", SignerPlugin.SOURCE)
            .withExtensionIndex("dev.skillhost.testplugin.Signer")
            .deploy(host.pluginsDir, "signer.jar"))
        .compose(jar -> loaded())
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void a_sign_in_answers_the_link_then_reports_the_account_once_the_user_signed_in(VertxTestContext ctx) {
    host.post("/v1/providers/signer/login", new JsonObject().put("looks", 3))
        .compose(started -> {
          ctx.verify(() -> {
            assertThat(started.statusCode()).isEqualTo(202);
            JsonObject body = started.bodyAsJsonObject();
            assertThat(body.getString("state")).isEqualTo("pending");
            assertThat(body.getString("url")).isEqualTo("https://signer.test/device?code=ABCD");
            assertThat(body.getString("message")).contains("https://signer.test/device?code=ABCD");
            assertThat(body.getString("expires_at")).isNotNull();
          });
          return awaitLogin("signed_in");
        })
        .onComplete(ctx.succeeding(done -> ctx.verify(() -> {
          assertThat(done.getString("account")).isEqualTo("user-42");
          assertThat(done.containsKey("url")).isFalse();
          assertThat(Files.readString(host.dataDir.resolve("providers/signer/account"))).isEqualTo("user-42");
          ctx.completeNow();
        })));
  }

  @Test
  void a_denied_sign_in_fails_with_the_reason(VertxTestContext ctx) {
    host.post("/v1/providers/signer/login", new JsonObject().put("deny", true))
        .compose(r -> awaitLogin("failed"))
        .onComplete(ctx.succeeding(done -> ctx.verify(() -> {
          assertThat(done.getJsonObject("error").getString("kind")).isEqualTo("auth");
          assertThat(done.getJsonObject("error").getString("code")).isEqualTo("403");
          ctx.completeNow();
        })));
  }

  @Test
  void a_link_nobody_opens_expires(VertxTestContext ctx) {
    host.post("/v1/providers/signer/login", new JsonObject().put("expire_ms", 150))
        .compose(r -> awaitLogin("failed"))
        .onComplete(ctx.succeeding(done -> ctx.verify(() -> {
          assertThat(done.getJsonObject("error").getString("code")).isEqualTo("login_expired");
          ctx.completeNow();
        })));
  }

  @Test
  void signing_out_forgets_the_account(VertxTestContext ctx) {
    host.post("/v1/providers/signer/login", new JsonObject().put("looks", 1))
        .compose(r -> awaitLogin("signed_in"))
        .compose(r -> host.request(HttpMethod.DELETE, "/v1/providers/signer/login", host.key).send())
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r.statusCode()).isEqualTo(204);
          assertThat(host.dataDir.resolve("providers/signer/account")).doesNotExist();
          ctx.completeNow();
        })));
  }

  @Test
  void providers_without_a_sign_in_flow_and_unknown_providers_answer_problems(VertxTestContext ctx) {
    host.post("/v1/providers/sim/login", new JsonObject())
        .compose(sim -> host.post("/v1/providers/nope/login", new JsonObject()).map(nope -> new Object[] {sim, nope}))
        .compose(r -> host.get("/v1/providers/signer/login").map(none -> new Object[] {r[0], r[1], none}))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          Problems.assertProblem((io.vertx.ext.web.client.HttpResponse<?>) r[0], 404, "login-not-supported");
          Problems.assertProblem((io.vertx.ext.web.client.HttpResponse<?>) r[1], 404, "not-found");
          Problems.assertProblem((io.vertx.ext.web.client.HttpResponse<?>) r[2], 404, "not-found");
          ctx.completeNow();
        })));
  }

  private Future<JsonObject> awaitLogin(String state) {
    return host.get("/v1/providers/signer/login").compose(r -> {
      JsonObject body = r.bodyAsJsonObject();
      if (r.statusCode() == 200 && state.equals(body.getString("state"))) {
        return Future.succeededFuture(body);
      }
      return Future.<Void>future(p -> host.vertx.setTimer(20, t -> p.complete())).compose(v -> awaitLogin(state));
    });
  }

  private Future<Void> loaded() {
    return host.get("/v1/providers").compose(r -> {
      boolean up = r.bodyAsJsonObject().getJsonArray("providers").stream()
          .anyMatch(p -> "signer".equals(((JsonObject) p).getString("id")) && "started".equals(((JsonObject) p).getString("state")));
      return up ? Future.succeededFuture()
          : Future.<Void>future(p -> host.vertx.setTimer(50, t -> p.complete())).compose(v -> loaded());
    });
  }
}
