package dev.skillhost.host.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class DatabaseTest {

  @TempDir Path dir;

  /** The store under test, the same one each call: a SQLite file here, PostgreSQL in {@link DatabaseOnPostgresTest}. */
  Database openDatabase(Vertx vertx) {
    return Database.open(vertx, dir.resolve("t.db"));
  }

  @Test
  void a_failing_write_fails_alone_and_its_group_neighbours_are_committed(Vertx vertx, VertxTestContext ctx) {
    Database db = openDatabase(vertx);
    db.write(c -> c.createStatement().execute("CREATE TABLE t(k BIGINT PRIMARY KEY)"))
        .compose(v -> {
          // queued without waiting, so they share commit groups; k = 5 twice breaks the key
          List<Future<Integer>> writes = new ArrayList<>();
          for (int k : new int[] {1, 2, 3, 4, 5, 5, 6, 7}) {
            writes.add(db.write(c -> {
              PreparedStatement ps = db.statement(c, "INSERT INTO t(k) VALUES (?)");
              ps.setInt(1, k);
              return ps.executeUpdate();
            }));
          }
          return Future.join(writes).transform(ar -> Future.succeededFuture(writes));
        })
        .compose(writes -> db.read(c -> {
          List<Integer> keys = new ArrayList<>();
          try (ResultSet rs = c.createStatement().executeQuery("SELECT k FROM t ORDER BY k")) {
            while (rs.next()) {
              keys.add(rs.getInt(1));
            }
          }
          return keys;
        }).map(keys -> {
          ctx.verify(() -> {
            assertThat(keys).containsExactly(1, 2, 3, 4, 5, 6, 7);
            long failed = writes.stream().filter(Future::failed).count();
            assertThat(failed).isEqualTo(1);
            assertThat(writes.get(5).cause()).isInstanceOf(SQLException.class);
          });
          return null;
        }))
        .eventually(() -> vertx.executeBlocking(() -> {
          db.close();
          return null;
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void writes_are_visible_to_readers_once_acknowledged_and_survive_a_reopen(Vertx vertx, VertxTestContext ctx) {
    Path file = dir.resolve("t.db");
    Database db = openDatabase(vertx);
    db.write(c -> c.createStatement().execute("CREATE TABLE t(v TEXT)"))
        .compose(v -> db.write(c -> c.createStatement().executeUpdate("INSERT INTO t VALUES ('kept')")))
        .compose(v -> db.read(c -> count(c)))
        .compose(n -> vertx.executeBlocking(() -> {
          db.close();
          return n;
        }))
        .compose(before -> {
          Database again = openDatabase(vertx);
          return again.read(DatabaseTest::count).map(after -> List.of(before, after))
              .eventually(() -> vertx.executeBlocking(() -> {
                again.close();
                return null;
              }));
        })
        .onComplete(ctx.succeeding(counts -> ctx.verify(() -> {
          assertThat(counts).containsExactly(1, 1);
          // SQLite: the close checkpointed the WAL into the file (PostgreSQL has no file here)
          assertThat(file.resolveSibling("t.db-wal")).satisfiesAnyOf(
              p -> assertThat(p).doesNotExist(), p -> assertThat(p).isEmptyFile());
          ctx.completeNow();
        })));
  }

  private static int count(java.sql.Connection c) throws SQLException {
    try (ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM t")) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
