package dev.skillhost.host.outbox;

import dev.skillhost.host.boot.HostConfig;
import dev.skillhost.host.store.PgServer;
import java.util.function.UnaryOperator;

/** {@link DeliveryListTest} with the host's tasks and outbox in PostgreSQL instead of SQLite. */
class DeliveryListOnPostgresTest extends DeliveryListTest {

  @Override
  protected UnaryOperator<HostConfig> configure() {
    String url = PgServer.get().newDatabase();
    return c -> c.withStore(new HostConfig.Store(url, null, HostConfig.Store.DEFAULT_LEASE));
  }
}
