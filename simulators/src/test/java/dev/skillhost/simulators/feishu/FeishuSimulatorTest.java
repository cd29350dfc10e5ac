package dev.skillhost.simulators.feishu;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.multipart.MultipartForm;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The simulator's wire behaviour, raw: the token's refresh window, the gateway's refusals, multipart checks. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class FeishuSimulatorTest {

  @TempDir
  Path dir;
  FeishuSimulator sim;
  WebClient web;
  Vertx vertx;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext tc) {
    this.vertx = vertx;
    web = WebClient.create(vertx);
    FeishuSimulator.start(vertx, new JsonObject().put("app_id", "cli_x").put("app_secret", "sec").put("chats",
            new io.vertx.core.json.JsonArray().add("oc_1")))
        .onSuccess(s -> sim = s).onComplete(tc.succeedingThenComplete());
  }

  @AfterEach
  void stop(VertxTestContext tc) {
    web.close();
    sim.close().onComplete(tc.succeedingThenComplete());
  }

  private Future<HttpResponse<Buffer>> token(String secret) {
    return web.postAbs(sim.baseUrl() + "/open-apis/auth/v3/tenant_access_token/internal")
        .sendJsonObject(new JsonObject().put("app_id", "cli_x").put("app_secret", secret));
  }

  @Test
  void a_token_is_reused_until_its_refresh_window_then_a_new_one_is_issued(VertxTestContext tc) {
    sim.tokenTtl(Duration.ofSeconds(2));
    token("sec").compose(a -> token("sec").map(b -> {
      tc.verify(() -> {
        assertThat(a.bodyAsJsonObject().getString("tenant_access_token")).startsWith("t-")
            .isEqualTo(b.bodyAsJsonObject().getString("tenant_access_token"));
        assertThat(a.bodyAsJsonObject().getInteger("expire")).isBetween(1, 2);
      });
      return a.bodyAsJsonObject().getString("tenant_access_token");
    })).compose(first -> vertx.timer(1_100).compose(t -> token("sec")).map(c -> {
      tc.verify(() -> assertThat(c.bodyAsJsonObject().getString("tenant_access_token")).isNotEqualTo(first));
      return c;
    })).compose(c -> token("wrong")).onComplete(tc.succeeding(bad -> tc.verify(() -> {
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(bad.bodyAsJsonObject().getInteger("code")).isEqualTo(10014);
      assertThat(sim.tokensIssued()).isEqualTo(2);
      tc.completeNow();
    })));
  }

  @Test
  void the_gateway_refuses_a_missing_or_unknown_token(VertxTestContext tc) {
    String url = sim.baseUrl() + "/open-apis/im/v1/messages?receive_id_type=chat_id";
    JsonObject msg = new JsonObject().put("receive_id", "oc_1").put("msg_type", "text")
        .put("content", new JsonObject().put("text", "hi").encode());
    web.postAbs(url).sendJsonObject(msg)
        .compose(none -> web.postAbs(url).putHeader("Authorization", "Bearer t-made-up").sendJsonObject(msg)
            .map(bad -> new HttpResponse<?>[] {none, bad}))
        .onComplete(tc.succeeding(r -> tc.verify(() -> {
          assertThat(r[0].bodyAsJsonObject().getInteger("code")).isEqualTo(99991661);
          assertThat(r[1].bodyAsJsonObject().getInteger("code")).isEqualTo(99991663);
          assertThat(sim.messages()).isEmpty();
          tc.completeNow();
        })));
  }

  @Test
  void an_upload_needs_its_form_fields_and_a_media_message_needs_an_mp4(VertxTestContext tc) throws Exception {
    Path notMp4 = Files.writeString(dir.resolve("x.mp4"), "not a video at all");
    token("sec").map(r -> "Bearer " + r.bodyAsJsonObject().getString("tenant_access_token"))
        .compose(auth -> web.postAbs(sim.baseUrl() + "/open-apis/im/v1/files").putHeader("Authorization", auth)
            .sendMultipartForm(MultipartForm.create().attribute("file_name", "x.mp4")
                .binaryFileUpload("file", "x.mp4", notMp4.toString(), "video/mp4"))
            .compose(noType -> web.postAbs(sim.baseUrl() + "/open-apis/im/v1/files").putHeader("Authorization", auth)
                .sendMultipartForm(MultipartForm.create().attribute("file_type", "mp4").attribute("file_name", "x.mp4")
                    .binaryFileUpload("file", "x.mp4", notMp4.toString(), "video/mp4"))
                .map(fake -> new HttpResponse<?>[] {noType, fake})))
        .onComplete(tc.succeeding(r -> tc.verify(() -> {
          assertThat(r[0].statusCode()).isEqualTo(400);
          assertThat(r[0].bodyAsJsonObject().getInteger("code")).isEqualTo(234001);
          assertThat(r[0].bodyAsJsonObject().getString("msg")).contains("file_type");
          assertThat(r[1].bodyAsJsonObject().getInteger("code")).isEqualTo(234001);
          assertThat(r[1].bodyAsJsonObject().getString("msg")).contains("not an mp4");
          tc.completeNow();
        })));
  }
}
