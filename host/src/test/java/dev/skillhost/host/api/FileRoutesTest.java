package dev.skillhost.host.api;

import static org.assertj.core.api.Assertions.assertThat;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** GET /v1/files/{id}: owner-only, ETag and Range so a video can seek, media inline and anything else sandboxed. */
class FileRoutesTest extends FileRoutesTestBase {

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

}
