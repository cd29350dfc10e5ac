package dev.skillhost.host.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.host.store.Database;
import dev.skillhost.host.store.FileStore;
import dev.skillhost.host.testing.TestCdn;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The fetcher itself: what it sends where, and what it stores. */
@ExtendWith(VertxExtension.class)
class SafeFetcherTest {

  @TempDir Path dir;
  Database db;
  SafeFetcher fetcher;
  TestCdn origin;
  TestCdn other;
  final List<String> seen = new CopyOnWriteArrayList<>();

  @BeforeEach
  void open(Vertx vertx, VertxTestContext ctx) {
    db = Database.open(vertx, dir.resolve("skillhost.db"));
    TestCdn.start(vertx, r -> r.get("/*").handler(c -> {
          seen.add("other " + c.request().getHeader("X-Cdn-Key"));
          TestCdn.send(c, "image/png", UrlUploadTest.PNG);
        }))
        .compose(o -> {
          other = o;
          return TestCdn.start(vertx, r -> {
            r.get("/away").handler(c -> c.response().setStatusCode(302).putHeader("Location", other.url("/x.png")).end());
            r.get("/*").handler(c -> {
              seen.add("origin " + c.request().getHeader("X-Cdn-Key") + " " + c.request().getHeader("Host"));
              TestCdn.send(c, "image/png", UrlUploadTest.PNG);
            });
          });
        })
        .compose(o -> {
          origin = o;
          return FileStore.open(vertx, db, dir.resolve("files"), dir.resolve("tmp"));
        })
        .onComplete(ctx.succeeding(store -> {
          fetcher = new SafeFetcher(vertx, store, AddressPolicy.allowing(List.of("127.0.0.1/32")),
              new SafeFetcher.Limits(1 << 20, Duration.ofSeconds(5), Duration.ofSeconds(2), List.of("image/*"), false));
          ctx.completeNow();
        }));
  }

  @AfterEach
  void close(VertxTestContext ctx) {
    fetcher.close().eventually(origin::close).eventually(other::close).onComplete(ctx.succeedingThenComplete());
    db.close();
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void the_callers_headers_go_to_the_urls_origin_only_not_to_where_it_redirects(VertxTestContext ctx) {
    Map<String, String> key = Map.of("X-Cdn-Key", "secret");
    fetcher.fetch(origin.url("/a.png"), key)
        .compose(a -> fetcher.fetch(origin.url("/away"), key).map(b -> List.of(a, b)))
        .onComplete(ctx.succeeding(both -> ctx.verify(() -> {
          assertThat(seen).containsExactly("origin secret 127.0.0.1:" + origin.port(), "other null");
          assertThat(both.get(1).finalUrl()).isEqualTo(other.url("/x.png"));
          assertThat(Files.readAllBytes(dir.resolve("files").resolve(both.get(0).file().id().substring(0, 2))
              .resolve(both.get(0).file().id()))).isEqualTo(UrlUploadTest.PNG);
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void a_name_is_sent_as_the_host_header_while_the_checked_address_is_dialled(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    // localhost may also resolve to ::1; allow both so the check passes and the IPv4 answer is used
    SafeFetcher byName = new SafeFetcher(vertx, FileStore.open(vertx, db, dir.resolve("files"), dir.resolve("tmp"))
        .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS),
        AddressPolicy.allowing(List.of("127.0.0.1/32", "::1/128")),
        new SafeFetcher.Limits(1 << 20, Duration.ofSeconds(5), Duration.ofSeconds(2), List.of("image/*"), false));
    byName.fetch("http://localhost:" + origin.port() + "/a.png", Map.of())
        .eventually(byName::close)
        .onComplete(ctx.succeeding(f -> ctx.verify(() -> {
          assertThat(seen).containsExactly("origin null localhost:" + origin.port());
          ctx.completeNow();
        })));
  }
}
