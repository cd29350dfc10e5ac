package dev.skillhost.host.tasks;

import dev.skillhost.host.boot.HostConfig;
import java.util.function.UnaryOperator;

/** {@link ConfirmRestartTest} with the host's tasks in PostgreSQL instead of SQLite. */
class ConfirmRestartOnPostgresTest extends ConfirmRestartTest {

  @Override
  protected UnaryOperator<HostConfig> configure() {
    return onPostgres();
  }
}
