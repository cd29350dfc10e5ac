package dev.skillhost.host.api;

import static org.assertj.core.api.Assertions.assertThat;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** POST /v1/uploads: streamed to disk, typed from the bytes, size-limited, nothing kept when refused. */
class UploadRoutesTest extends FileRoutesTestBase {

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
          assertThat(byUrl.json().getString("detail")).contains("not available", "multipart/form-data");
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

}
