package dev.skillhost.host.store;

import io.vertx.core.Vertx;

/** {@link KeptOutputsTest} on a real PostgreSQL (a fresh database per test). */
class KeptOutputsOnPostgresTest extends KeptOutputsTest {

  private final PgServer.Store store = new PgServer.Store();

  @Override
  Database openDatabase(Vertx vertx) {
    return store.open(vertx);
  }
}
