package dev.skillhost.host.api;

import dev.skillhost.host.boot.HostConfig;
import java.util.function.UnaryOperator;

/** {@link StreamTest} with the host's tasks in PostgreSQL instead of SQLite. */
class StreamOnPostgresTest extends StreamTest {

  @Override
  protected UnaryOperator<HostConfig> configure() {
    return onPostgres();
  }
}
