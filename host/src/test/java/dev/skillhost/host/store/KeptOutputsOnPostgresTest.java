package dev.skillhost.host.store;

import io.vertx.core.Vertx;

/** {@link KeptOutputsTest} on a real PostgreSQL (a fresh database per test). */
class KeptOutputsOnPostgresTest extends KeptOutputsTest {

  @Override
  Database openDatabase(Vertx vertx) {
    return Database.open(vertx, StoreUrl.parse(PgServer.get().newDatabase()));
  }
}
