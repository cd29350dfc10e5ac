package dev.skillhost.host.api;

import dev.skillhost.host.boot.HostConfig;
import java.util.function.UnaryOperator;

/** {@link TaskApiTest} with the host's tasks in PostgreSQL instead of SQLite. */
class TaskApiOnPostgresTest extends TaskApiTest {

  @Override
  protected UnaryOperator<HostConfig> configure() {
    return onPostgres();
  }
}
