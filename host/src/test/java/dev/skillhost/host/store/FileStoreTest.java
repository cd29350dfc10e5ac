package dev.skillhost.host.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skillhost.api.Artifacts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class FileStoreTest {

  static final byte[] PNG = SnifferTest.bytes(0x89, "PNG", 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, "IHDR", 1, 2, 3);
  static final byte[] JPEG = SnifferTest.bytes(0xFF, 0xD8, 0xFF, 0xE0, 0, 16, "JFIF", 0);

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
  void put_moves_the_file_in_under_its_sha256_and_sniffs_the_type(VertxTestContext ctx) throws IOException {
    Path upload = Files.write(store.scratch(".bin"), PNG);
    store.put(upload, "application/octet-stream").onComplete(ctx.succeeding(info -> ctx.verify(() -> {
      assertThat(info.id()).isEqualTo(sha256(PNG));
      assertThat(info.mime()).isEqualTo("image/png");
      assertThat(info.size()).isEqualTo(PNG.length);
      assertThat(info.createdAt()).isPositive();
      assertThat(upload).doesNotExist();
      Path stored = dir.resolve("files").resolve(info.id().substring(0, 2)).resolve(info.id());
      assertThat(store.path(info.id())).isEqualTo(stored);
      assertThat(Files.readAllBytes(stored)).isEqualTo(PNG);
      assertThat(info.toJson().getString("url")).isEqualTo("/v1/files/" + info.id());
      assertThat(info.toJson().getString("created_at")).endsWith("Z");
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void same_bytes_twice_are_stored_once(VertxTestContext ctx) throws IOException {
    Path first = Files.write(store.scratch(""), PNG);
    Path second = Files.write(store.scratch(""), PNG);
    store.put(first, null)
        .compose(a -> store.put(second, null).map(b -> new FileInfo[] {a, b}))
        .onComplete(ctx.succeeding(both -> ctx.verify(() -> {
          assertThat(both[1]).isEqualTo(both[0]);
          assertThat(second).doesNotExist();
          assertThat(blobs()).hasSize(1);
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void the_hint_counts_only_when_no_signature_matches(VertxTestContext ctx) {
    Buffer json = Buffer.buffer("{\"a\":1}");
    Buffer noise = Buffer.buffer(new byte[] {0, 1, 2, 3});
    Future.all(
        store.put(Buffer.buffer(JPEG), "image/png"),
        store.put(json, "Application/JSON; charset=utf-8"),
        store.put(noise, "text/html\r\nX-Evil: 1"),
        store.put(Buffer.buffer("plain words"), null)).onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          assertThat(all.<FileInfo>resultAt(0).mime()).isEqualTo("image/jpeg");
          assertThat(all.<FileInfo>resultAt(1).mime()).isEqualTo("application/json");
          assertThat(all.<FileInfo>resultAt(2).mime()).isEqualTo("application/octet-stream");
          assertThat(all.<FileInfo>resultAt(3).mime()).isEqualTo("text/plain");
          try (Stream<Path> left = Files.list(dir.resolve("scratch"))) {
            assertThat(left).isEmpty();
          }
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void a_file_is_visible_only_to_the_owners_it_was_granted_to(VertxTestContext ctx) {
    store.put(Buffer.buffer(PNG), null).compose(info -> store.find(info.id(), "o_alice")
        .compose(before -> store.grant(info.id(), "o_alice")
            .compose(v -> store.grant(info.id(), "o_alice")) // twice is fine
            .compose(v -> Future.all(store.find(info.id(), "o_alice"), store.find(info.id(), "o_bob"), store.info(info.id())))
            .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
              assertThat(before).isEmpty();
              assertThat(all.<Optional<FileInfo>>resultAt(0)).contains(info);
              assertThat(all.<Optional<FileInfo>>resultAt(1)).isEmpty();
              assertThat(all.<Optional<FileInfo>>resultAt(2)).contains(info);
            })))))
        .compose(v -> store.grant("a".repeat(64), "o_alice"))
        .onComplete(ctx.failing(err -> ctx.verify(() -> {
          assertThat(err).isInstanceOf(NoSuchElementException.class).hasMessageContaining("a".repeat(64));
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void malformed_ids_never_reach_the_disk_or_the_database(VertxTestContext ctx) {
    assertThatThrownBy(() -> store.path("../../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.path("A".repeat(64))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.path(null)).isInstanceOf(IllegalArgumentException.class);
    Future.all(store.find("../../etc/passwd", "o_alice"), store.info("x"))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          assertThat(all.<Optional<FileInfo>>resultAt(0)).isEmpty();
          assertThat(all.<Optional<FileInfo>>resultAt(1)).isEmpty();
        })))
        .compose(v -> store.grant("x/../y", "o_alice"))
        .onComplete(ctx.failing(err -> ctx.verify(() -> {
          assertThat(err).isInstanceOf(IllegalArgumentException.class);
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void scratch_paths_are_fresh_and_stay_in_the_scratch_dir(VertxTestContext ctx) {
    Path a = store.scratch(".mp4");
    Path b = store.scratch(".mp4");
    ctx.verify(() -> {
      assertThat(a).isNotEqualTo(b).doesNotExist();
      assertThat(a.getParent()).isEqualTo(dir.resolve("scratch").toAbsolutePath());
      assertThat(a.getFileName().toString()).endsWith(".mp4");
      assertThat(store.scratch(null).getParent()).isEqualTo(a.getParent());
      assertThatThrownBy(() -> store.scratch("/../../x")).isInstanceOf(IllegalArgumentException.class);
      ctx.completeNow();
    });
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void storing_a_stored_file_again_leaves_it_in_place(VertxTestContext ctx) {
    store.put(Buffer.buffer(PNG), null)
        .compose(info -> store.put(store.path(info.id()), null).map(again -> new FileInfo[] {info, again}))
        .onComplete(ctx.succeeding(both -> ctx.verify(() -> {
          assertThat(both[1]).isEqualTo(both[0]);
          assertThat(store.path(both[0].id())).exists();
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void sniff_names_what_a_file_is(VertxTestContext ctx) throws IOException {
    Path text = Files.writeString(store.scratch(".txt"), "hello\n");
    Path png = Files.write(store.scratch(".png"), PNG);
    Future.all(store.sniff(text), store.sniff(png)).onComplete(ctx.succeeding(all -> ctx.verify(() -> {
      assertThat(all.<String>resultAt(0)).isEqualTo("text/plain");
      assertThat(all.<String>resultAt(1)).isEqualTo("image/png");
      ctx.completeNow();
    })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void host_artifacts_store_outputs_and_resolve_inputs(VertxTestContext ctx) throws IOException {
    Artifacts artifacts = new HostArtifacts(store);
    Path out = artifacts.scratch(".jpg");
    Files.write(out, JPEG);
    artifacts.store(out, "image/png")
        .compose(stored -> artifacts.path(stored.id()).onComplete(ctx.succeeding(path -> ctx.verify(() -> {
          assertThat(stored.mime()).isEqualTo("image/jpeg");
          assertThat(stored.size()).isEqualTo(JPEG.length);
          assertThat(Files.readAllBytes(path)).isEqualTo(JPEG);
        }))))
        .compose(v -> artifacts.store(Buffer.buffer("done"), "text/markdown"))
        .onComplete(ctx.succeeding(md -> ctx.verify(() -> assertThat(md.mime()).isEqualTo("text/markdown"))))
        .compose(v -> artifacts.path("c".repeat(64)))
        .onComplete(ctx.failing(err -> ctx.verify(() -> {
          assertThat(err).isInstanceOf(NoSuchElementException.class).hasMessageContaining("no artifact");
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void opening_again_keeps_what_was_stored(Vertx vertx, VertxTestContext ctx) {
    store.put(Buffer.buffer(PNG), null)
        .compose(info -> FileStore.open(vertx, db, dir.resolve("files"), dir.resolve("scratch"))
            .compose(again -> again.info(info.id())))
        .onComplete(ctx.succeeding(found -> ctx.verify(() -> {
          assertThat(found).isPresent();
          ctx.completeNow();
        })));
  }

  private List<Path> blobs() throws IOException {
    try (Stream<Path> files = Files.walk(dir.resolve("files"))) {
      return files.filter(Files::isRegularFile).toList();
    }
  }

  static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
