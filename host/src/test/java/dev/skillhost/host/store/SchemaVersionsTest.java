package dev.skillhost.host.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A new SQLite file and a new PostgreSQL database go through the same Flyway steps, in the same order. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class SchemaVersionsTest {

  @Test
  void both_stores_take_the_same_steps(Vertx vertx, VertxTestContext ctx, @TempDir Path dir) {
    vertx.executeBlocking(() -> {
      Database sqlite = Database.open(vertx, dir.resolve("s.db"));
      Database pg = Database.open(vertx, StoreUrl.parse(PgServer.get().newDatabase()));
      try {
        return List.of(versions(sqlite), versions(pg));
      } finally {
        sqlite.close();
        pg.close();
      }
    }).onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      assertThat(v.get(0)).containsExactly("1", "2", "3", "4", "5").isEqualTo(v.get(1));
      ctx.completeNow();
    })));
  }

  private static List<String> versions(Database db) throws Exception {
    try (Connection c = db.openConnection(); ResultSet rs = c.createStatement().executeQuery(
        "SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank")) {
      List<String> out = new ArrayList<>();
      while (rs.next()) {
        out.add(rs.getString(1));
      }
      return out;
    }
  }
}
