package dev.skillhost.host.store;

import io.vertx.core.Vertx;

/** {@link TaskStoreTest} on a real PostgreSQL, each node with connections of its own as separate hosts have. */
class TaskStoreOnPostgresTest extends TaskStoreTest {

  private String url;

  @Override
  Database openDatabase(Vertx vertx) {
    if (url == null) {
      url = PgServer.get().newDatabase();
    }
    return Database.open(vertx, StoreUrl.parse(url));
  }

  @Override
  Database another(Vertx vertx, Database first) {
    Database db = openDatabase(vertx);
    closeLater(db);
    return db;
  }
}
