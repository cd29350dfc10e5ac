package dev.skillhost.host.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Output retention ({@link FileStore#sweepKept}) and the media probe ({@link MediaProbe}). */
@ExtendWith(VertxExtension.class)
class KeptOutputsTest {

  @TempDir Path dir;
  Database db;
  FileStore store;

  @BeforeEach
  void open(Vertx vertx, VertxTestContext ctx) {
    db = openDatabase(vertx);
    FileStore.open(vertx, db, dir.resolve("files"), dir.resolve("scratch")).onComplete(ctx.succeeding(s -> {
      store = s;
      ctx.completeNow();
    }));
  }

  /** The store under test: a SQLite file here, PostgreSQL in {@code …OnPostgresTest}. */
  Database openDatabase(Vertx vertx) {
    return Database.open(vertx, dir.resolve("skillhost.db"));
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void a_sweep_removes_kept_outputs_older_than_the_cutoff_and_nothing_else(VertxTestContext ctx) {
    Future.all(store.put(Buffer.buffer(FileStoreTest.PNG), null), store.put(Buffer.buffer(FileStoreTest.JPEG), null),
            store.put(Buffer.buffer("an upload\n"), null))
        .compose(all -> {
          FileInfo old = all.resultAt(0);
          FileInfo recent = all.resultAt(1);
          return Future.all(store.markKept(old.id(), 1_000), store.markKept(recent.id(), 9_000),
                  store.grant(old.id(), "o_a"))
              .compose(v -> store.sweepKept(5_000))
              .compose(n -> Future.all(store.info(old.id()), store.find(old.id(), "o_a"), store.info(recent.id()),
                  store.info(((FileInfo) all.resultAt(2)).id())).map(found -> new Object[] {n, found, old}));
        })
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r[0]).isEqualTo(1);
          io.vertx.core.CompositeFuture found = (io.vertx.core.CompositeFuture) r[1];
          assertThat(found.<java.util.Optional<?>>resultAt(0)).isEmpty();
          assertThat(found.<java.util.Optional<?>>resultAt(1)).isEmpty();
          assertThat(found.<java.util.Optional<?>>resultAt(2)).isPresent();
          assertThat(found.<java.util.Optional<?>>resultAt(3)).isPresent();
          assertThat(Files.exists(store.path(((FileInfo) r[2]).id()))).isFalse();
          ctx.completeNow();
        })));
  }

  @Test
  void an_mp4_is_probed_from_its_boxes_even_with_moov_after_the_media() throws IOException {
    Path mp4 = dir.resolve("clip.mp4");
    try (InputStream in = getClass().getResourceAsStream("/media/tiny-64x48-1500ms.mp4")) {
      Files.copy(in, mp4);
    }
    JsonObject facts = MediaProbe.probe(mp4, "video/mp4");
    assertThat(facts.getInteger("width")).isEqualTo(64);
    assertThat(facts.getInteger("height")).isEqualTo(48);
    assertThat(facts.getLong("duration_ms")).isEqualTo(1500);
    assertThat(facts.getLong("bytes")).isEqualTo(Files.size(mp4));
  }

  @Test
  void a_truncated_or_foreign_file_gives_only_what_it_can() throws IOException {
    byte[] whole;
    try (InputStream in = getClass().getResourceAsStream("/media/tiny-64x48-1500ms.mp4")) {
      whole = in.readAllBytes();
    }
    Path cut = Files.write(dir.resolve("cut.mp4"), java.util.Arrays.copyOf(whole, 100));
    JsonObject facts = MediaProbe.probe(cut, "video/mp4");
    assertThat(facts.getLong("bytes")).isEqualTo(100);
    assertThat(facts.containsKey("duration_ms")).isFalse();
    Path text = Files.writeString(dir.resolve("a.png"), "not an image");
    assertThat(MediaProbe.probe(text, "image/png").containsKey("width")).isFalse();
  }
}
