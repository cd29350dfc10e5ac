package dev.skillhost.host.net;

import static dev.skillhost.host.net.UrlUploadRefusalTest.detail;
import static dev.skillhost.host.net.UrlUploadRefusalTest.refused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.host.boot.HostConfig;
import dev.skillhost.host.testing.Problems;
import dev.skillhost.host.testing.TestCdn;
import dev.skillhost.host.testing.TestHost;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v1/uploads {"url"}} against a file server on 127.0.0.1, which the host is told to
 * allow ({@code fetch.allow: [127.0.0.1/32]}): fetched and stored; redirects followed and each
 * re-checked; too large, too slow and wrongly typed downloads cut off, nothing left behind.
 */
@ExtendWith(VertxExtension.class)
class UrlUploadTest {

  static final long LIMIT = 256 * 1024; // TestHost's upload limit
  static final byte[] PNG = png(37, 23);

  @TempDir Path dir;
  TestHost host;
  TestCdn cdn;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    TestCdn.start(vertx, this::routes)
        .compose(c -> {
          cdn = c;
          return TestHost.start(vertx, dir, config -> config.withFetch(new HostConfig.Fetch(List.of("127.0.0.1/32"),
              HostConfig.Fetch.DEFAULT_MAX_BYTES, Duration.ofSeconds(2), Duration.ofMillis(500),
              HostConfig.Fetch.DEFAULT_CONTENT_TYPES)));
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
    r.get("/a.png").handler(c -> TestCdn.send(c, "image/png", PNG));
    r.get("/octets").handler(c -> TestCdn.send(c, "application/octet-stream", PNG));
    r.get("/r1").handler(c -> redirect(c.response(), "/r2"));
    r.get("/r2").handler(c -> redirect(c.response(), "a.png"));
    r.get("/to-private").handler(c -> redirect(c.response(), "http://10.0.0.1/x.png"));
    r.get("/to-loopback").handler(c -> redirect(c.response(), "http://127.0.0.2:" + cdn.port() + "/a.png"));
    r.get("/to-file").handler(c -> redirect(c.response(), "file:///etc/passwd"));
    r.get("/loop/:n").handler(c -> redirect(c.response(), "/loop/" + (Integer.parseInt(c.pathParam("n")) + 1)));
    r.get("/declared-huge").handler(c -> c.response().putHeader("Content-Type", "image/png")
        .putHeader("Content-Length", Long.toString(LIMIT * 4)).write(Buffer.buffer(PNG)));
    r.get("/streamed-huge").handler(c -> {
      HttpServerResponse res = c.response().setChunked(true).putHeader("Content-Type", "image/png");
      res.write(Buffer.buffer(PNG));
      long timer = c.vertx().setPeriodic(5, t -> res.write(Buffer.buffer(new byte[32 * 1024])));
      res.closeHandler(v -> c.vertx().cancelTimer(timer));
    });
    r.get("/never").handler(c -> { }); // no answer at all
    r.get("/stalls").handler(c -> c.response().setChunked(true).putHeader("Content-Type", "image/png")
        .write(Buffer.buffer(PNG))); // and nothing more
    r.get("/trickles").handler(c -> {
      HttpServerResponse res = c.response().setChunked(true).putHeader("Content-Type", "image/png");
      res.write(Buffer.buffer(PNG));
      long timer = c.vertx().setPeriodic(100, t -> res.write(Buffer.buffer(new byte[16])));
      res.closeHandler(v -> c.vertx().cancelTimer(timer));
    });
    r.get("/page.png").handler(c -> TestCdn.send(c, "image/png", "<html><body>not found</body></html>".getBytes()));
    r.get("/page.html").handler(c -> TestCdn.send(c, "text/html", PNG));
    r.get("/gone").handler(c -> c.response().setStatusCode(404).end());
  }

  private static void redirect(HttpServerResponse res, String location) {
    res.setStatusCode(302).putHeader("Location", location).end();
  }

  private Future<HttpResponse<Buffer>> byUrl(String url) {
    return host.post("/v1/uploads", new JsonObject().put("url", url));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void fetches_a_file_into_the_store_as_an_upload_even_after_redirects(VertxTestContext ctx) {
    Future.all(byUrl(cdn.url("/a.png")), byUrl(cdn.url("/r1")), byUrl(cdn.url("/octets")))
        .compose(all -> host.get("/v1/files/" + ((HttpResponse<Buffer>) all.resultAt(0)).bodyAsJsonObject().getString("id"))
            .map(file -> List.<Object>of(all.resultAt(0), all.resultAt(1), all.resultAt(2), file)))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          for (int i = 0; i < 3; i++) {
            HttpResponse<?> created = (HttpResponse<?>) r.get(i);
            assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
            JsonObject file = created.bodyAsJsonObject();
            assertThat(file.getString("id")).isEqualTo(sha256(PNG));
            assertThat(file.getString("mime")).isEqualTo("image/png");
            assertThat(file.getLong("size")).isEqualTo(PNG.length);
          }
          HttpResponse<?> served = (HttpResponse<?>) r.get(3);
          assertThat(served.statusCode()).isEqualTo(200);
          assertThat(served.bodyAsBuffer().getBytes()).isEqualTo(PNG);
          assertThat(scratch()).isEmpty();
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void every_redirect_is_checked_again(VertxTestContext ctx) {
    Future.all(List.of(byUrl(cdn.url("/to-private")), byUrl(cdn.url("/to-loopback")), byUrl(cdn.url("/to-file")),
            byUrl(cdn.url("/loop/0"))))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          refused(all.resultAt(0), "redirect to http://10.0.0.1/x.png refused: 10.0.0.1 is a private address");
          refused(all.resultAt(1), "refused: 127.0.0.2 is a loopback address");
          refused(all.resultAt(2), "redirect to file:///etc/passwd refused: scheme file is not allowed");
          refused(all.resultAt(3), "more than 5 redirects");
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void oversized_downloads_are_cut_off_and_leave_nothing(VertxTestContext ctx) {
    Future.all(byUrl(cdn.url("/declared-huge")), byUrl(cdn.url("/streamed-huge")))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          for (int i = 0; i < 2; i++) {
            HttpResponse<Buffer> r = all.resultAt(i);
            Problems.assertProblem(r, 413, "upload-too-large");
            assertThat(detail(r)).contains("larger than " + LIMIT + " bytes");
          }
          assertThat(stored()).isEmpty();
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 15, timeUnit = TimeUnit.SECONDS)
  void slow_servers_are_cut_off(VertxTestContext ctx) {
    long started = System.nanoTime();
    Future.all(byUrl(cdn.url("/never")), byUrl(cdn.url("/stalls")), byUrl(cdn.url("/trickles")))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          Problems.assertProblem(all.resultAt(0), 504, "fetch-timeout");
          assertThat(detail(all.resultAt(0))).contains("no answer within 0.5 s");
          Problems.assertProblem(all.resultAt(1), 504, "fetch-timeout");
          assertThat(detail(all.resultAt(1))).contains("no data for 0.5 s");
          Problems.assertProblem(all.resultAt(2), 504, "fetch-timeout");
          assertThat(detail(all.resultAt(2))).contains("no whole answer within 2 s");
          assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(6));
          assertThat(stored()).isEmpty();
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void wrong_types_and_error_answers_are_refused_saying_why(VertxTestContext ctx) {
    Future.all(byUrl(cdn.url("/page.png")), byUrl(cdn.url("/page.html")), byUrl(cdn.url("/gone")))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          Problems.assertProblem(all.resultAt(0), 415, "unsupported-media-type");
          assertThat(detail(all.resultAt(0))).contains("text/plain (judged from its bytes)");
          Problems.assertProblem(all.resultAt(1), 415, "unsupported-media-type");
          assertThat(detail(all.resultAt(1))).contains("text/html");
          Problems.assertProblem(all.resultAt(2), 502, "fetch-failed");
          assertThat(detail(all.resultAt(2))).contains("answered HTTP 404");
          assertThat(stored()).isEmpty();
          ctx.completeNow();
        })));
  }

  private List<Path> stored() throws IOException {
    List<Path> files = list(dir.resolve("files"));
    files.addAll(scratch());
    return files;
  }

  private List<Path> scratch() throws IOException {
    return list(dir.resolve("tmp"));
  }

  private static List<Path> list(Path root) throws IOException {
    if (!Files.exists(root)) {
      return new java.util.ArrayList<>();
    }
    try (Stream<Path> s = Files.walk(root)) {
      return new java.util.ArrayList<>(s.filter(Files::isRegularFile).toList());
    }
  }

  static byte[] png(int width, int height) {
    try {
      BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
      image.setRGB(1, 1, 0xff0000);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(image, "png", out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
