package dev.skillhost.host.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Opens a dedicated connection to the store's database that its caller owns and closes (the
 * store's {@code Database::openConnection}): kept outside the store's single writer, so that a
 * LISTEN, a node call or a rate-ledger lock that waits never stalls the group commit.
 */
@FunctionalInterface
public interface Connector {
  Connection open() throws SQLException;
}
