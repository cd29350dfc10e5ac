package dev.skillhost.host.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxTestContext;
import java.sql.Connection;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

/**
 * {@link DatabaseTest} on a real PostgreSQL: a failing write in a group (which aborts
 * PostgreSQL's whole transaction) still fails alone, and what was acknowledged is there for the
 * next connection. Here too: when PostgreSQL drops the store's connections, the writes caught in
 * it fail (their commit is unknown, so they are not tried again) and the next ones reconnect.
 */
class DatabaseOnPostgresTest extends DatabaseTest {

  private final PgServer.Store store = new PgServer.Store();

  @Override
  Database openDatabase(Vertx vertx) {
    return store.open(vertx);
  }

  @Test
  void dropped_connections_are_opened_again(Vertx vertx, VertxTestContext ctx) {
    Database db = openDatabase(vertx);
    db.write(c -> c.createStatement().execute("CREATE TABLE t(v TEXT)"))
        .compose(v -> db.read(c -> 1)) // a reader connection exists
        .compose(v -> vertx.executeBlocking(() -> {
          try (Connection admin = db.openConnection(); ResultSet rs = admin.createStatement().executeQuery(
              "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database()"
                  + " AND pid <> pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
          }
        }))
        .compose(killed -> {
          ctx.verify(() -> assertThat(killed).as("connections dropped").isGreaterThanOrEqualTo(2));
          // the first write and read after the drop may fail (lost); the ones after must not
          return db.write(c -> c.createStatement().executeUpdate("INSERT INTO t VALUES ('maybe')"))
              .transform(ar -> db.read(c -> 0)).transform(ar -> Future.succeededFuture());
        })
        .compose(v -> db.write(c -> c.createStatement().executeUpdate("INSERT INTO t VALUES ('kept')")))
        .compose(v -> db.read(c -> {
          try (ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM t WHERE v = 'kept'")) {
            rs.next();
            return rs.getInt(1);
          }
        }))
        .eventually(() -> vertx.executeBlocking(() -> {
          db.close();
          return null;
        }))
        .onComplete(ctx.succeeding(n -> ctx.verify(() -> {
          assertThat(n).isEqualTo(1);
          ctx.completeNow();
        })));
  }
}
