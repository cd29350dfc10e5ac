package dev.skillhost.host.tasks;

import dev.skillhost.host.store.Connector;
import dev.skillhost.host.store.PgServer;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;

/**
 * A fresh database on the test PostgreSQL with the schema Flyway builds from
 * {@code db/postgres}, for rate-ledger tests: each {@link #connector()} is a node's own connection.
 */
record LedgerDb(String jdbcUrl, String user) {

  /** Creates the database and migrates it. Blocks; call from a worker. */
  static LedgerDb create() {
    URI url = URI.create(PgServer.get().newDatabase());
    LedgerDb db = new LedgerDb("jdbc:postgresql://" + url.getHost() + ":" + url.getPort() + url.getPath(),
        url.getUserInfo());
    Flyway.configure().dataSource(db.jdbcUrl, db.user, "").locations("classpath:db/postgres").load().migrate();
    return db;
  }

  Connector connector() {
    return () -> DriverManager.getConnection(jdbcUrl, user, "");
  }

  /** Every row's {@code at} on {@code line}, oldest first. Blocks. */
  List<Long> stamps(String line) throws SQLException {
    try (Connection c = connector().open(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT at FROM rate_ledger WHERE line = '" + line.replace("'", "''")
            + "' ORDER BY at")) {
      List<Long> out = new ArrayList<>();
      while (rs.next()) {
        out.add(rs.getLong(1));
      }
      return out;
    }
  }

  /** The most times of {@code sorted} inside any window {@code (t - length, t]}. */
  static int mostInWindow(List<Long> sorted, long length) {
    int most = 0;
    int first = 0;
    for (int i = 0; i < sorted.size(); i++) {
      while (sorted.get(first) <= sorted.get(i) - length) {
        first++;
      }
      most = Math.max(most, i - first + 1);
    }
    return most;
  }
}
