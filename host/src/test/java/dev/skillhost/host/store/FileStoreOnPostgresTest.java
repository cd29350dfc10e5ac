package dev.skillhost.host.store;

import io.vertx.core.Vertx;

/** {@link FileStoreTest} on a real PostgreSQL (a fresh database per test). */
class FileStoreOnPostgresTest extends FileStoreTest {

  @Override
  Database openDatabase(Vertx vertx) {
    return Database.open(vertx, StoreUrl.parse(PgServer.get().newDatabase()));
  }
}
