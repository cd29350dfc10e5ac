package dev.skillhost.host.store;

import io.vertx.core.Vertx;

/** {@link FileStoreTest} on a real PostgreSQL (a fresh database per test). */
class FileStoreOnPostgresTest extends FileStoreTest {

  private final PgServer.Store store = new PgServer.Store();

  @Override
  Database openDatabase(Vertx vertx) {
    return store.open(vertx);
  }
}
