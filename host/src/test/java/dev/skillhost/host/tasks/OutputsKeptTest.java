package dev.skillhost.host.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.host.api.FileLinks;
import dev.skillhost.host.boot.HostConfig;
import dev.skillhost.host.testing.Problems;
import dev.skillhost.host.testing.TestCdn;
import dev.skillhost.host.testing.TestHost;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outputs a provider reports only at its CDN (the sim's {@code cdn_url} with {@code cdn_only}) are
 * copied into the host's store before the task reports success, with the headers that CDN asks
 * for, probed for their facts, and still served once the CDN link has expired; a copy that cannot
 * be made leaves the original link and says so; result messages link with a signed URL.
 */
@ExtendWith(VertxExtension.class)
class OutputsKeptTest {

  static final byte[] PNG = png(37, 23);
  static final Pattern SIGNED = Pattern.compile("http://127\\.0\\.0\\.1:\\d+(/v1/files/[0-9a-f]{64}\\?exp=(\\d+)&sig=([A-Za-z0-9_-]+))");

  @TempDir Path dir;
  @TempDir Path skills;
  TestHost host;
  TestCdn cdn;
  final AtomicBoolean expired = new AtomicBoolean();
  final AtomicInteger flaky = new AtomicInteger();
  byte[] mp4;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) throws IOException {
    try (InputStream in = getClass().getResourceAsStream("/media/tiny-64x48-1500ms.mp4")) {
      mp4 = in.readAllBytes();
    }
    // the sim skill as shipped, also accepting results from the test CDN
    String sim = Files.readString(Path.of("..", "skills", "sim.yaml"))
        .replace("outputs: [\"https://cdn.sim.skillhost.invalid/\"]", "outputs: [\"https://cdn.sim.skillhost.invalid/\", \"http://127.0.0.1:\"]");
    assertThat(sim).contains("http://127.0.0.1:");
    Files.writeString(skills.resolve("sim.yaml"), sim);
    TestCdn.start(vertx, this::routes)
        .compose(c -> {
          cdn = c;
          return TestHost.start(vertx, dir, config -> config
              .withSkills(new HostConfig.Skills(skills, HostConfig.Skills.DEFAULT_PREFER))
              .withFetch(new HostConfig.Fetch(List.of("127.0.0.1/32"), HostConfig.Fetch.DEFAULT_MAX_BYTES,
                  Duration.ofSeconds(5), Duration.ofSeconds(2), HostConfig.Fetch.DEFAULT_CONTENT_TYPES)));
        })
        .onComplete(ctx.succeeding(h -> {
          host = h;
          ctx.completeNow();
        }));
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    host.close().eventually(cdn::close).onComplete(ctx.succeedingThenComplete());
  }

  private void routes(Router r) {
    r.get("/img.png").handler(c -> {
      if (expired.get()) {
        c.response().setStatusCode(404).end("link expired");
      } else if (!"k1".equals(c.request().getHeader("X-Cdn-Key"))) {
        c.response().setStatusCode(403).end("signed requests only");
      } else {
        TestCdn.send(c, "image/png", PNG);
      }
    });
    r.get("/clip.mp4").handler(c -> TestCdn.send(c, "video/mp4", mp4));
    r.get("/flaky.png").handler(c -> {
      if (flaky.incrementAndGet() <= 2) {
        c.response().setStatusCode(503).end();
      } else {
        TestCdn.send(c, "image/png", PNG);
      }
    });
    r.get("/gone.png").handler(c -> c.response().setStatusCode(410).end());
  }

  private Future<JsonObject> run(String operation, JsonObject params) {
    return host.submit(operation, params.put("duration_ms", 50).put("cdn_only", true))
        .compose(id -> host.await(id, t -> t.getString("state").matches("succeeded|failed")));
  }

  private Future<JsonArray> events(String id) {
    return host.request(HttpMethod.GET, "/v1/tasks/" + id + "/events", host.key)
        .putHeader("Accept", "application/json").send().map(HttpResponse::bodyAsJsonArray);
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void an_output_at_a_cdn_is_copied_with_its_headers_probed_and_still_served_after_the_link_expires(VertxTestContext ctx) {
    JsonObject[] task = new JsonObject[1];
    run("text2image", new JsonObject().put("cdn_url", cdn.url("/img.png")).put("cdn_headers", new JsonObject().put("X-Cdn-Key", "k1")))
        .compose(t -> {
          task[0] = t;
          expired.set(true); // the provider's link dies; the host's copy must not
          return host.get("/v1/files/" + t.getJsonArray("outputs").getJsonObject(0).getString("file"));
        })
        .compose(file -> events(task[0].getString("id")).map(ev -> List.<Object>of(file, ev)))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(task[0].getString("state")).isEqualTo("succeeded");
          JsonObject out = task[0].getJsonArray("outputs").getJsonObject(0);
          assertThat(out.getString("url")).isEqualTo(cdn.url("/img.png"));
          assertThat(out.getString("file")).isEqualTo(UrlUploadTestSupport.sha256(PNG));
          assertThat(out.getString("mime")).isEqualTo("image/png");
          JsonObject meta = out.getJsonObject("meta");
          assertThat(meta.getBoolean("kept")).isTrue();
          // probed from the bytes, not the sim's claim of 512 × 512
          assertThat(meta.getInteger("width")).isEqualTo(37);
          assertThat(meta.getInteger("height")).isEqualTo(23);
          assertThat(meta.getLong("bytes")).isEqualTo(PNG.length);
          HttpResponse<?> file = (HttpResponse<?>) r.get(0);
          assertThat(file.statusCode()).isEqualTo(200);
          assertThat(file.bodyAsBuffer().getBytes()).isEqualTo(PNG);
          String messages = ((JsonArray) r.get(1)).encode();
          assertThat(SIGNED.matcher(messages).find()).as(messages).isTrue();
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void a_video_is_probed_for_size_and_duration_from_its_mp4_boxes(VertxTestContext ctx) {
    run("t2v", new JsonObject().put("cdn_url", cdn.url("/clip.mp4")))
        .onComplete(ctx.succeeding(t -> ctx.verify(() -> {
          assertThat(t.getString("state")).isEqualTo("succeeded");
          JsonObject out = t.getJsonArray("outputs").getJsonObject(0);
          assertThat(out.getString("mime")).isEqualTo("video/mp4");
          JsonObject meta = out.getJsonObject("meta");
          assertThat(meta.getInteger("width")).isEqualTo(64);
          assertThat(meta.getInteger("height")).isEqualTo(48);
          assertThat(meta.getLong("duration_ms")).isEqualTo(1500);
          assertThat(meta.getString("mime")).isEqualTo("video/mp4");
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void a_failing_copy_is_retried_and_one_that_never_works_keeps_the_original_link_and_says_so(VertxTestContext ctx) {
    run("text2image", new JsonObject().put("cdn_url", cdn.url("/flaky.png")))
        .compose(flakyTask -> run("text2image", new JsonObject().put("cdn_url", cdn.url("/gone.png")))
            .compose(gone -> events(gone.getString("id")).map(ev -> List.<Object>of(flakyTask, gone, ev))))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          JsonObject retried = ((JsonObject) r.get(0)).getJsonArray("outputs").getJsonObject(0);
          assertThat(flaky.get()).isEqualTo(3);
          assertThat(retried.getString("file")).isEqualTo(UrlUploadTestSupport.sha256(PNG));
          JsonObject gone = (JsonObject) r.get(1);
          assertThat(gone.getString("state")).isEqualTo("succeeded");
          JsonObject out = gone.getJsonArray("outputs").getJsonObject(0);
          assertThat(out.getString("url")).isEqualTo(cdn.url("/gone.png"));
          assertThat(out.containsKey("file")).isFalse();
          assertThat(out.getJsonObject("meta").getBoolean("kept")).isFalse();
          assertThat(out.getJsonObject("meta").getString("not_kept")).contains("answered HTTP 410");
          assertThat(((JsonArray) r.get(2)).encode()).contains("could not be copied to the host", cdn.url("/gone.png"));
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void a_signed_file_link_works_without_a_key_until_it_expires_and_not_at_all_when_tampered_with(VertxTestContext ctx)
      throws IOException {
    FileLinks past = FileLinks.loadOrCreate(dir, Duration.ofMinutes(1),
        Clock.fixed(Instant.now().minus(Duration.ofHours(2)), ZoneOffset.UTC));
    String[] link = new String[1];
    run("text2image", new JsonObject().put("cdn_url", cdn.url("/img.png")).put("cdn_headers", new JsonObject().put("X-Cdn-Key", "k1")))
        .compose(t -> events(t.getString("id")))
        .compose(ev -> {
          Matcher m = SIGNED.matcher(ev.encode());
          assertThat(m.find()).isTrue();
          link[0] = m.group(1);
          String id = link[0].substring("/v1/files/".length(), link[0].indexOf('?'));
          String tampered = link[0].replace("exp=" + m.group(2), "exp=" + (Long.parseLong(m.group(2)) + 3600));
          return Future.all(List.of(unkeyed(link[0]), unkeyed(tampered), unkeyed(past.link(id)),
              unkeyed("/v1/files/" + id), unkeyed(link[0].replace(id, UrlUploadTestSupport.sha256(new byte[] {1})))));
        })
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          HttpResponse<Buffer> ok = all.resultAt(0);
          assertThat(ok.statusCode()).isEqualTo(200);
          assertThat(ok.bodyAsBuffer().getBytes()).isEqualTo(PNG);
          Problems.assertProblem(all.resultAt(1), 403, "bad-file-link");
          assertThat(all.<HttpResponse<Buffer>>resultAt(1).bodyAsJsonObject().getString("detail")).contains("signature");
          Problems.assertProblem(all.resultAt(2), 403, "bad-file-link");
          assertThat(all.<HttpResponse<Buffer>>resultAt(2).bodyAsJsonObject().getString("detail")).contains("expired");
          Problems.assertProblem(all.resultAt(3), 401, "unauthorized");
          Problems.assertProblem(all.resultAt(4), 403, "bad-file-link"); // a link is for its one file
          ctx.completeNow();
        })));
  }

  private Future<HttpResponse<Buffer>> unkeyed(String path) {
    return host.request(HttpMethod.GET, path, null).send();
  }

  static byte[] png(int width, int height) {
    try {
      BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
      image.setRGB(2, 2, 0x00ff00);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(image, "png", out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Small shared helpers. */
  static final class UrlUploadTestSupport {
    static String sha256(byte[] bytes) {
      try {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
