package dev.skillhost.contract.chatart;

import static dev.skillhost.contract.chatart.ChatArtFixture.inputs;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.simulators.chatart.ChatArtSimulator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every ChatArt operation through the host's API against the simulator: inputs uploaded by STS +
 * signed OSS PUT (the simulator refuses a bad signature), generate, GET-with-body polls to status 1,
 * results copied into the host's store; credits and history as the account operation; the price the
 * client's tables give, before anything is spent.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
class ChatArtOperationsTest {

  @TempDir
  Path dir;
  ChatArtFixture f;
  String photo;
  String video;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) throws Exception {
    Path clip = ChatArtFixture.video(dir);
    ChatArtFixture.start(vertx, dir.resolve("host"), 5000)
        .compose(fx -> {
          f = fx;
          return f.upload(ChatArtFixture.PHOTO, "image/png");
        })
        .compose(p -> {
          photo = p;
          return f.upload(clip, "video/mp4");
        })
        .onComplete(ctx.succeeding(v -> {
          video = v;
          ctx.completeNow();
        }));
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    (f == null ? Future.<Void>succeededFuture() : f.close()).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void every_operation_runs_end_to_end_and_is_charged_once(VertxTestContext ctx) {
    record Case(String op, JsonObject params, JsonArray inputs, double price) {}
    List<Case> cases = List.of(
        new Case("t2v", new JsonObject().put("prompt", "a neon city at night"), new JsonArray(), 40),
        new Case("i2v", new JsonObject().put("prompt", "slow zoom"), inputs("image", photo), 40),
        new Case("i2v", new JsonObject().put("prompt", "morph").put("model", "seedance-2.0").put("resolution", 480),
            inputs("image", photo, "image", photo), 60),
        new Case("omni", new JsonObject().put("prompt", "a collage comes alive").put("model", "seedance-2.0-fast"),
            inputs("image", photo, "image", photo, "image", photo), 60),
        new Case("extend", new JsonObject().put("prompt", "keep going"), inputs("video", video), 40),
        new Case("mimic", new JsonObject(), inputs("image", photo, "video", video), 36),
        new Case("text2image", new JsonObject().put("prompt", "a red fox in the snow"), new JsonArray(), 6),
        new Case("image_edit", new JsonObject().put("prompt", "make the background a beach").put("model", "gpt-image-2")
            .put("resolution", "1K").put("quality", "low"), inputs("image", photo), 6));
    List<JsonObject> done = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (Case c : cases) {
      chain = chain.compose(v -> f.run(c.op(), c.params(), c.inputs(), "en")).map(t -> {
        done.add(t);
        return null;
      });
    }
    chain.compose(v -> f.run("account", new JsonObject().put("view", "credits"), new JsonArray(), "en"))
        .compose(credits -> f.run("account", new JsonObject().put("view", "history").put("kind", "video"), new JsonArray(), "en")
            .map(history -> List.of(credits, history)))
        .compose(acct -> f.host.get("/v1/files/" + done.get(0).getJsonArray("outputs").getJsonObject(0).getString("file"))
            .map(file -> {
              ctx.verify(() -> {
                double total = cases.stream().mapToDouble(Case::price).sum();
                for (int i = 0; i < cases.size(); i++) {
                  JsonObject t = done.get(i);
                  assertThat(t.getString("state")).as(cases.get(i).op() + ": " + t.encodePrettily()).isEqualTo("succeeded");
                  JsonObject out = t.getJsonArray("outputs").getJsonObject(0);
                  assertThat(out.getString("file")).as("result copied into the host's store").isNotNull();
                  assertThat(out.getString("kind")).isEqualTo(cases.get(i).op().contains("image") ? "image" : "video");
                  assertThat(out.getJsonObject("meta").getDouble("cost")).isEqualTo(cases.get(i).price());
                }
                assertThat(file.statusCode()).isEqualTo(200);
                assertThat(file.getHeader("Content-Type")).isEqualTo("video/mp4");
                JsonObject credits = acct.get(0).getJsonArray("outputs").getJsonObject(0).getJsonObject("meta");
                assertThat(credits.getDouble("credits")).isEqualTo(5000 - total);
                JsonObject history = acct.get(1).getJsonArray("outputs").getJsonObject(0).getJsonObject("meta");
                assertThat(history.getInteger("total")).isEqualTo(6);
                assertThat(history.getJsonArray("entries").getJsonObject(0).getString("state")).isEqualTo("completed");
                assertThat(f.sim.spends().total()).isEqualTo(cases.size());
                assertThat(f.sim.spends().repeated()).isEmpty();
                assertThat(f.sim.spends().credits()).isEqualTo(total);
                // one STS policy per task with inputs; every input a signed PUT the simulator verified
                assertThat(f.sim.uploadedObjects()).isPositive();
                assertThat(f.sim.refusedUploads()).isZero();
                assertThat(f.sim.requests(ChatArtSimulator.POLICY)).isEqualTo(6);
              });
              return null;
            }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void estimate_comes_from_the_client_tables_before_anything_is_spent(VertxTestContext ctx) {
    Future<JsonObject> video = f.host.post("/v1/route", new JsonObject().put("text", "Generate a video about a neon city at night")
        .put("locale", "en")).map(r -> r.bodyAsJsonObject());
    Future<JsonObject> image = f.host.post("/v1/route", new JsonObject().put("text", "Generate an image of a red fox in the snow")
        .put("locale", "en")).map(r -> r.bodyAsJsonObject());
    Future<JsonObject> pricey = f.create("t2v", new JsonObject().put("prompt", "x").put("model", "kling-3-0")
            .put("resolution", 2160).put("duration", 15), new JsonArray(), "en")
        .compose(id -> f.host.awaitState(id, "awaiting_confirmation"));
    Future.all(video, image, pricey).onComplete(ctx.succeeding(all -> ctx.verify(() -> {
      JsonObject v = video.result();
      assertThat(v.getString("operation")).as(v.encodePrettily()).isEqualTo("t2v");
      assertThat(v.getJsonObject("estimate").getDouble("credits")).isEqualTo(40.0); // kling-3-0, 720p, 5 s
      assertThat(image.result().getJsonObject("estimate").getDouble("credits")).isEqualTo(6.0); // nano-banana-2, 2K
      assertThat(pricey.result().getString("state")).isEqualTo("awaiting_confirmation");
      assertThat(f.sim.spends().total()).as("nothing spent before confirmation").isZero();
      ctx.completeNow();
    })));
  }
}
