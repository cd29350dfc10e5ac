package dev.skillhost.host.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.host.store.Database;
import dev.skillhost.host.store.FileStore;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Uploads and downloads over real HTTP, behind the real auth and problem handlers. */
@ExtendWith(VertxExtension.class)
class UploadAndFileRoutesTest {

  static final int LIMIT = 64 * 1024;
  static final String BOUNDARY = "----skillhost-test";
  static final byte[] PNG = bytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13}, 100);
  static final byte[] MP4 = bytes(new byte[] {0, 0, 0, 24, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm', 0, 0, 2, 0,
      'i', 's', 'o', 'm', 'm', 'p', '4', '1'}, 2000);

  record Reply(int status, MultiMap headers, Buffer body) {
    JsonObject json() {
      return body.toJsonObject();
    }
  }

  @TempDir Path dir;
  Database db;
  FileStore store;
  HttpServer server;
  HttpClient client;
  String key;
  String otherKey;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) throws IOException {
    key = ApiKeys.loadOrCreate(dir).createdKey().orElseThrow();
    otherKey = ApiKeys.newKey();
    Files.writeString(dir.resolve(ApiKeys.FILE_NAME), otherKey + "\n", StandardOpenOption.APPEND);
    ApiKeys keys = ApiKeys.loadOrCreate(dir);
    db = Database.open(vertx, dir.resolve("skillhost.db"));
    client = vertx.createHttpClient();
    FileStore.open(vertx, db, dir.resolve("files"), dir.resolve("scratch")).compose(s -> {
      store = s;
      Router router = Router.router(vertx);
      router.route().failureHandler(ProblemHandler::handle);
      router.route("/v1/*").handler(Auth.handler(keys));
      new UploadRoutes(s, LIMIT).mount(router);
      new FileRoutes(s).mount(router);
      return vertx.createHttpServer().requestHandler(router).listen(0);
    }).onComplete(ctx.succeeding(srv -> {
      server = srv;
      ctx.completeNow();
    }));
  }

  @AfterEach
  void stop(Vertx vertx, VertxTestContext ctx) {
    client.close().compose(v -> server.close())
        .compose(v -> vertx.executeBlocking(() -> {
          db.close();
          return null;
        })).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void uploads_a_png_typed_from_its_bytes_and_the_same_bytes_again_get_the_same_id(VertxTestContext ctx) {
    upload(key, "file", PNG).compose(first -> upload(key, "file", PNG).map(second -> List.of(first, second)))
        .onComplete(ctx.succeeding(replies -> ctx.verify(() -> {
          Reply first = replies.get(0);
          assertThat(first.status()).isEqualTo(201);
          JsonObject file = first.json();
          assertThat(file.getString("id")).isEqualTo(sha256(PNG));
          assertThat(file.getString("mime")).isEqualTo("image/png"); // the part said octet-stream
          assertThat(file.getLong("size")).isEqualTo(PNG.length);
          assertThat(file.getString("url")).isEqualTo("/v1/files/" + file.getString("id"));
          assertThat(first.headers().get("Location")).isEqualTo(file.getString("url"));
          assertThat(replies.get(1).status()).isEqualTo(201);
          assertThat(replies.get(1).json().getString("id")).isEqualTo(file.getString("id"));
          assertThat(listFiles("files")).hasSize(1);
          assertThat(listFiles("scratch")).isEmpty();
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void refuses_text_with_415_naming_the_type_and_keeps_nothing(VertxTestContext ctx) {
    upload(key, "file", "just some words\n".getBytes()).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertThat(r.status()).isEqualTo(415);
      assertThat(r.headers().get("Content-Type")).isEqualTo("application/problem+json");
      assertThat(r.json().getString("detected")).isEqualTo("text/plain");
      assertThat(r.json().getString("detail")).contains("text/plain", "image/*", "video/*", "audio/*");
      assertThat(listFiles("files")).isEmpty();
      assertThat(listFiles("scratch")).isEmpty();
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void refuses_a_declared_body_over_the_limit_with_413_before_reading_it(VertxTestContext ctx) {
    upload(key, "file", bytes(PNG, 3 * LIMIT)).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertThat(r.status()).isEqualTo(413);
      assertThat(r.json().getString("detail")).contains("larger than the 64 KB limit");
      assertThat(r.json().getLong("limit_bytes")).isEqualTo(LIMIT);
      assertThat(listFiles("files")).isEmpty();
      assertThat(listFiles("scratch")).isEmpty();
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void answers_413_as_soon_as_a_streamed_upload_crosses_the_limit(VertxTestContext ctx) {
    HttpClientRequest[] sending = new HttpClientRequest[1];
    client.request(HttpMethod.POST, server.actualPort(), "localhost", "/v1/uploads").compose(req -> {
      sending[0] = req.setChunked(true).putHeader("Authorization", "Bearer " + key)
          .putHeader("Content-Type", "multipart/form-data; boundary=" + BOUNDARY);
      req.write(partHead("file"));
      req.write(Buffer.buffer(bytes(PNG, 2 * LIMIT))); // and never end: the reply must not wait for the rest
      return req.response();
    }).compose(resp -> resp.body().map(b -> new Reply(resp.statusCode(), resp.headers(), b)))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r.status()).isEqualTo(413);
          assertThat(r.headers().get("Connection")).isEqualTo("close");
          assertThat(r.json().getString("detail")).contains("64 KB");
          assertThat(listFiles("scratch")).isEmpty();
          assertThat(listFiles("files")).isEmpty();
          sending[0].reset();
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  void a_client_that_keeps_sending_still_reads_the_413_then_is_disconnected(VertxTestContext ctx) {
    Promise<Void> closed = Promise.promise();
    client.request(HttpMethod.POST, server.actualPort(), "localhost", "/v1/uploads").compose(req -> {
      req.connection().closeHandler(v -> closed.tryComplete());
      req.setChunked(true).putHeader("Authorization", "Bearer " + key)
          .putHeader("Content-Type", "multipart/form-data; boundary=" + BOUNDARY);
      req.write(partHead("file"));
      req.end(Buffer.buffer(new byte[16 * 1024 * 1024])).onFailure(err -> { }); // cut short by the server
      return req.response();
    }).compose(resp -> resp.body().map(b -> new Reply(resp.statusCode(), resp.headers(), b)))
        .compose(r -> closed.future().map(r))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r.status()).isEqualTo(413);
          assertThat(listFiles("scratch")).isEmpty();
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void explains_how_to_send_a_file_when_the_request_is_not_an_upload(VertxTestContext ctx) {
    MultiMap raw = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "image/png");
    MultiMap json = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json");
    MultiMap noBoundary = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "multipart/form-data");
    Future.all(List.of(
        upload(key, "image", PNG),
        upload(key, "file", new byte[0]),
        call(HttpMethod.POST, "/v1/uploads", key, raw, Buffer.buffer(PNG)),
        call(HttpMethod.POST, "/v1/uploads", key, json, Buffer.buffer("{\"url\":\"https://example.com/a.png\"}")),
        upload(null, "file", PNG),
        call(HttpMethod.POST, "/v1/uploads", key, noBoundary, partHead("file").appendBytes(PNG))))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          Reply wrongPart = all.resultAt(0);
          assertThat(wrongPart.status()).isEqualTo(400);
          assertThat(wrongPart.json().getString("detail")).contains("no file part named 'file'", "image", "-F file=@");
          Reply empty = all.resultAt(1);
          assertThat(empty.status()).isEqualTo(400);
          assertThat(empty.json().getString("detail")).contains("empty");
          Reply notMultipart = all.resultAt(2);
          assertThat(notMultipart.status()).isEqualTo(400);
          assertThat(notMultipart.json().getString("detail")).contains("multipart/form-data", "'file'");
          Reply byUrl = all.resultAt(3);
          assertThat(byUrl.status()).isEqualTo(415);
          assertThat(byUrl.json().getString("detail")).contains("not available yet", "multipart/form-data");
          Reply anonymous = all.resultAt(4);
          assertThat(anonymous.status()).isEqualTo(401);
          Reply unbounded = all.resultAt(5);
          assertThat(unbounded.status()).isEqualTo(400);
          assertThat(unbounded.json().getString("detail")).contains("no boundary", "-F file=@");
          assertThat(listFiles("files")).isEmpty();
          assertThat(listFiles("scratch")).isEmpty();
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void serves_the_owner_the_bytes_with_validators_and_answers_304_to_a_matching_etag(VertxTestContext ctx) {
    uploaded(MP4).compose(url -> Future.all(List.of(
        call(HttpMethod.GET, url, key, null, null),
        get(url, "If-None-Match", '"' + sha256(MP4) + '"'),
        get(url, "If-None-Match", "\"other\", W/\"" + sha256(MP4) + '"'),
        get(url, "If-None-Match", "\"other\""),
        call(HttpMethod.HEAD, url, key, null, null),
        call(HttpMethod.GET, url, null, null, null))))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          Reply full = all.resultAt(0);
          assertThat(full.status()).isEqualTo(200);
          assertThat(full.body().getBytes()).isEqualTo(MP4);
          assertThat(full.headers().get("Content-Type")).isEqualTo("video/mp4");
          assertThat(full.headers().get("ETag")).isEqualTo('"' + sha256(MP4) + '"');
          assertThat(full.headers().get("Accept-Ranges")).isEqualTo("bytes");
          assertThat(full.headers().get("Cache-Control")).isEqualTo("private, max-age=31536000, immutable");
          assertThat(full.headers().get("Content-Length")).isEqualTo(Integer.toString(MP4.length));
          assertThat(all.<Reply>resultAt(1).status()).isEqualTo(304);
          assertThat(all.<Reply>resultAt(1).body().length()).isZero();
          assertThat(all.<Reply>resultAt(1).headers().get("ETag")).isEqualTo('"' + sha256(MP4) + '"');
          assertThat(all.<Reply>resultAt(2).status()).isEqualTo(304);
          assertThat(all.<Reply>resultAt(3).status()).isEqualTo(200);
          Reply head = all.resultAt(4);
          assertThat(head.status()).isEqualTo(200);
          assertThat(head.headers().get("Content-Length")).isEqualTo(Integer.toString(MP4.length));
          assertThat(head.body().length()).isZero();
          assertThat(all.<Reply>resultAt(5).status()).isEqualTo(401);
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void serves_single_ranges_byte_exact_so_a_video_can_seek(VertxTestContext ctx) {
    int size = MP4.length;
    uploaded(MP4).compose(url -> Future.all(List.of(
        get(url, "Range", "bytes=10-19"),
        get(url, "Range", "bytes=1990-"),
        get(url, "Range", "bytes=-7"),
        get(url, "Range", "bytes=0-999999"),
        get(url, "Range", "bytes=0-1, 5-9"),
        call(HttpMethod.GET, url, key, MultiMap.caseInsensitiveMultiMap().add("Range", "bytes=0-9").add("If-Range", "\"old\""), null),
        call(HttpMethod.HEAD, url, key, MultiMap.caseInsensitiveMultiMap().add("Range", "bytes=100-199"), null))))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          assertRange(all.resultAt(0), 10, 19, size);
          assertRange(all.resultAt(1), 1990, size - 1, size);
          assertRange(all.resultAt(2), size - 7, size - 1, size);
          assertRange(all.resultAt(3), 0, size - 1, size);
          assertThat(all.<Reply>resultAt(4).status()).as("several ranges: the whole file").isEqualTo(200);
          assertThat(all.<Reply>resultAt(4).body().getBytes()).isEqualTo(MP4);
          assertThat(all.<Reply>resultAt(5).status()).as("stale If-Range: the whole file").isEqualTo(200);
          Reply head = all.resultAt(6);
          assertThat(head.status()).isEqualTo(206);
          assertThat(head.headers().get("Content-Length")).isEqualTo("100");
          assertThat(head.headers().get("Content-Range")).isEqualTo("bytes 100-199/" + size);
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void refuses_malformed_or_unsatisfiable_ranges_with_416(VertxTestContext ctx) {
    int size = MP4.length;
    List<String> bad = List.of("bytes=" + size + "-", "bytes=abc", "bytes=9-3", "bytes=-0", "bytes=-", "items=0-1");
    uploaded(MP4).compose(url -> Future.all(bad.stream().map(range -> get(url, "Range", range)).toList()))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          for (int i = 0; i < bad.size(); i++) {
            Reply r = all.resultAt(i);
            assertThat(r.status()).as(bad.get(i)).isEqualTo(416);
            assertThat(r.headers().get("Content-Range")).isEqualTo("bytes */" + size);
            assertThat(r.headers().get("Content-Type")).isEqualTo("application/problem+json");
            assertThat(r.json().getString("detail")).contains(size + " bytes");
          }
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void another_key_an_unknown_id_and_a_malformed_id_all_get_the_same_404(VertxTestContext ctx) {
    uploaded(PNG).compose(url -> Future.all(List.of(
        call(HttpMethod.GET, url, otherKey, null, null),
        call(HttpMethod.HEAD, url, otherKey, null, null),
        call(HttpMethod.GET, "/v1/files/" + "e".repeat(64), key, null, null),
        call(HttpMethod.GET, "/v1/files/" + sha256(PNG).toUpperCase(), key, null, null),
        call(HttpMethod.GET, "/v1/files/..%2F..%2Fskillhost.db", key, null, null))))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          for (int i = 0; i < all.size(); i++) {
            assertThat(all.<Reply>resultAt(i).status()).as("reply %d", i).isEqualTo(404);
          }
          assertThat(all.<Reply>resultAt(0).json().getString("detail"))
              .isEqualTo(all.<Reply>resultAt(2).json().getString("detail"));
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void serves_media_inline_and_anything_else_as_a_sandboxed_attachment(VertxTestContext ctx) {
    Future<String> page = store.put(Buffer.buffer("<script>alert(1)</script>"), "text/html")
        .compose(info -> store.grant(info.id(), ApiKeys.ownerOf(key)).map(info.url()));
    Future.all(page, uploaded(MP4))
        .compose(urls -> Future.all(call(HttpMethod.GET, urls.resultAt(0), key, null, null),
            call(HttpMethod.GET, urls.resultAt(1), key, null, null)))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          Reply html = all.resultAt(0);
          assertThat(html.headers().get("Content-Type")).isEqualTo("text/html");
          assertThat(html.headers().get("Content-Security-Policy")).isEqualTo("sandbox");
          assertThat(html.headers().get("Content-Disposition")).isEqualTo("attachment");
          assertThat(html.headers().get("X-Content-Type-Options")).isEqualTo("nosniff");
          Reply video = all.resultAt(1);
          assertThat(video.headers().get("Content-Security-Policy")).isNull();
          assertThat(video.headers().get("Content-Disposition")).isNull();
          ctx.completeNow();
        })));
  }

  private void assertRange(Reply r, int first, int last, int size) {
    assertThat(r.status()).isEqualTo(206);
    assertThat(r.headers().get("Content-Range")).isEqualTo("bytes " + first + "-" + last + "/" + size);
    assertThat(r.headers().get("Content-Length")).isEqualTo(Integer.toString(last - first + 1));
    assertThat(r.body().getBytes()).isEqualTo(Arrays.copyOfRange(MP4, first, last + 1));
  }

  private Future<String> uploaded(byte[] data) {
    return upload(key, "file", data).map(r -> {
      assertThat(r.status()).isEqualTo(201);
      return r.json().getString("url");
    });
  }

  private Future<Reply> upload(String bearer, String part, byte[] data) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "multipart/form-data; boundary=" + BOUNDARY);
    Buffer body = partHead(part).appendBytes(data).appendString("\r\n--" + BOUNDARY + "--\r\n");
    return call(HttpMethod.POST, "/v1/uploads", bearer, headers, body);
  }

  private Future<Reply> get(String path, String header, String value) {
    return call(HttpMethod.GET, path, key, MultiMap.caseInsensitiveMultiMap().add(header, value), null);
  }

  private Future<Reply> call(HttpMethod method, String path, String bearer, MultiMap headers, Buffer body) {
    return client.request(method, server.actualPort(), "localhost", path).compose(req -> {
      if (bearer != null) {
        req.putHeader("Authorization", "Bearer " + bearer);
      }
      if (headers != null) {
        req.headers().addAll(headers);
      }
      return (body == null ? req.send() : req.send(body))
          .compose(resp -> resp.body().map(b -> new Reply(resp.statusCode(), resp.headers(), b)));
    });
  }

  private static Buffer partHead(String name) {
    return Buffer.buffer("--" + BOUNDARY + "\r\n"
        + "Content-Disposition: form-data; name=\"" + name + "\"; filename=\"upload.bin\"\r\n"
        + "Content-Type: application/octet-stream\r\n\r\n");
  }

  private List<Path> listFiles(String sub) throws IOException {
    try (Stream<Path> files = Files.walk(dir.resolve(sub))) {
      return files.filter(Files::isRegularFile).toList();
    }
  }

  /** {@code head} then a byte pattern, {@code total} bytes in all. */
  private static byte[] bytes(byte[] head, int total) {
    byte[] b = new byte[total];
    for (int i = 0; i < total; i++) {
      b[i] = i < head.length ? head[i] : (byte) (i % 251);
    }
    return b;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
