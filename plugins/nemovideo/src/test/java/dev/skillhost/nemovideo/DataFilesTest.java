package dev.skillhost.nemovideo;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provider's data directory as several hosts of a cluster share it: the client id is made
 * once and every host gets that one (a host once read the file while another was still writing it
 * and asked for a token with an empty client id), and a replaced token is never read half written.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class DataFilesTest {

  @TempDir Path dir;

  @Test
  void hosts_racing_for_the_client_id_all_get_the_first_one_made(Vertx vertx, VertxTestContext ctx) {
    List<Future<String>> made = new ArrayList<>();
    for (int host = 0; host < 16; host++) {
      made.add(new DataFiles(vertx.fileSystem(), dir).once("client_id", UUID.randomUUID().toString()));
    }
    Future.all(made).onComplete(ctx.succeeding(all -> ctx.verify(() -> {
      List<String> ids = all.<String>list();
      assertThat(ids.get(0)).hasSize(36);
      assertThat(ids).containsOnly(ids.get(0));
      assertThat(Files.readString(dir.resolve("client_id"))).isEqualTo(ids.get(0));
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("client_id"))))
          .isEqualTo("rw-------");
      try (Stream<Path> left = Files.list(dir)) {
        assertThat(left.map(p -> p.getFileName().toString())).containsExactly("client_id");
      }
      ctx.completeNow();
    })));
  }

  @Test
  void a_token_being_replaced_is_read_whole_or_not_at_all(Vertx vertx, VertxTestContext ctx) {
    DataFiles files = new DataFiles(vertx.fileSystem(), dir);
    String padding = "x".repeat(64 * 1024);
    List<Future<?>> work = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      work.add(files.replace("token.json", new JsonObject().put("token", "t" + i).put("pad", padding).encode()));
      work.add(files.read("token.json").map(text -> {
        if (text != null) {
          new JsonObject(text); // throws on a half-written file
        }
        return text;
      }));
    }
    Future.all(work).onComplete(ctx.succeeding(all -> ctx.verify(() -> {
      assertThat(new JsonObject(Files.readString(dir.resolve("token.json"))).getString("token")).startsWith("t");
      try (Stream<Path> left = Files.list(dir)) {
        assertThat(left.map(p -> p.getFileName().toString())).containsExactly("token.json");
      }
      ctx.completeNow();
    })));
  }
}
