package dev.skillhost.host.api;

import static org.assertj.core.api.Assertions.assertThat;
import dev.skillhost.host.store.Database;
import dev.skillhost.host.store.FileStore;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A real server on port 0 with the upload and file routes behind the real auth and problem handlers. */
@ExtendWith(VertxExtension.class)
abstract class FileRoutesTestBase {

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

  void assertRange(Reply r, int first, int last, int size) {
    assertThat(r.status()).isEqualTo(206);
    assertThat(r.headers().get("Content-Range")).isEqualTo("bytes " + first + "-" + last + "/" + size);
    assertThat(r.headers().get("Content-Length")).isEqualTo(Integer.toString(last - first + 1));
    assertThat(r.body().getBytes()).isEqualTo(Arrays.copyOfRange(MP4, first, last + 1));
  }

  Future<String> uploaded(byte[] data) {
    return upload(key, "file", data).map(r -> {
      assertThat(r.status()).isEqualTo(201);
      return r.json().getString("url");
    });
  }

  Future<Reply> upload(String bearer, String part, byte[] data) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "multipart/form-data; boundary=" + BOUNDARY);
    Buffer body = partHead(part).appendBytes(data).appendString("\r\n--" + BOUNDARY + "--\r\n");
    return call(HttpMethod.POST, "/v1/uploads", bearer, headers, body);
  }

  Future<Reply> get(String path, String header, String value) {
    return call(HttpMethod.GET, path, key, MultiMap.caseInsensitiveMultiMap().add(header, value), null);
  }

  Future<Reply> call(HttpMethod method, String path, String bearer, MultiMap headers, Buffer body) {
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

  static Buffer partHead(String name) {
    return Buffer.buffer("--" + BOUNDARY + "\r\n"
        + "Content-Disposition: form-data; name=\"" + name + "\"; filename=\"upload.bin\"\r\n"
        + "Content-Type: application/octet-stream\r\n\r\n");
  }

  List<Path> listFiles(String sub) throws IOException {
    try (Stream<Path> files = Files.walk(dir.resolve(sub))) {
      return files.filter(Files::isRegularFile).toList();
    }
  }

  /** {@code head} then a byte pattern, {@code total} bytes in all. */
  static byte[] bytes(byte[] head, int total) {
    byte[] b = new byte[total];
    for (int i = 0; i < total; i++) {
      b[i] = i < head.length ? head[i] : (byte) (i % 251);
    }
    return b;
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
