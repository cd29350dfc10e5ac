package dev.skillhost.host.cluster;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Opens a dedicated PostgreSQL connection that its caller owns and closes: the LISTEN connection
 * and the one that sends node calls, both kept outside the store's pool (the store's
 * {@code Database::openConnection}).
 */
@FunctionalInterface
public interface Connector {
  Connection open() throws SQLException;
}
