package dev.skillhost.host.store;

import io.vertx.core.Vertx;

/**
 * {@link DatabaseTest} on a real PostgreSQL: a failing write in a group (which aborts
 * PostgreSQL's whole transaction) still fails alone, and what was acknowledged is there for the
 * next connection.
 */
class DatabaseOnPostgresTest extends DatabaseTest {

  private String url;

  @Override
  Database openDatabase(Vertx vertx) {
    if (url == null) {
      url = PgServer.get().newDatabase();
    }
    return Database.open(vertx, StoreUrl.parse(url));
  }
}
