package dev.skillhost.host.tasks;

import dev.skillhost.host.boot.HostConfig;
import java.util.function.UnaryOperator;

/** {@link RestartTest} with the host's tasks in PostgreSQL instead of SQLite. */
class RestartOnPostgresTest extends RestartTest {

  @Override
  protected UnaryOperator<HostConfig> configure() {
    return onPostgres();
  }
}
