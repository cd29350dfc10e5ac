package dev.skillhost.host.store;

import io.vertx.core.Vertx;

/** {@link TaskStoreTest} on a real PostgreSQL, each node with connections of its own as separate hosts have. */
class TaskStoreOnPostgresTest extends TaskStoreTest {

  private final PgServer.Store store = new PgServer.Store();

  @Override
  Database openDatabase(Vertx vertx) {
    return store.open(vertx);
  }

  @Override
  Database another(Vertx vertx, Database first) {
    Database db = openDatabase(vertx);
    closeLater(db);
    return db;
  }
}
