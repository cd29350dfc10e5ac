package dev.skillhost.host.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a store's schema up to date with Flyway before the store opens: the versioned scripts in
 * {@code db/sqlite/} or {@code db/postgres/} (each step released is never edited; a change is a
 * new step). A SQLite file made before Flyway (tables, no history) is baselined at version 0, so
 * every step runs on it and each adds only what the file lacks. On PostgreSQL Flyway's own lock
 * lets several hosts start at once on one database: one migrates, the others wait and find it done
 * (a host that looked while the history table was being made tries again).
 */
final class Migrations {

  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

  private Migrations() {}

  static void run(StoreUrl url) {
    boolean sqlite = url.dialect() == Database.Dialect.SQLITE;
    var config = Flyway.configure(Migrations.class.getClassLoader())
        .dataSource(url.jdbc(), url.user(), url.password())
        .locations(sqlite ? "classpath:db/sqlite" : "classpath:db/postgres");
    if (sqlite) {
      // only SQLite files predate Flyway; on PostgreSQL a baseline would race a host migrating beside it
      config.baselineOnMigrate(true).baselineVersion("0").javaMigrations(new V2__Confirmed_at());
    }
    Flyway flyway = config.load();
    for (int attempt = 1; ; attempt++) {
      try {
        MigrateResult result = flyway.migrate();
        if (result.migrationsExecuted > 0) {
          LOG.info("store: schema brought from version {} to {} ({} steps)", result.initialSchemaVersion,
              result.targetSchemaVersion, result.migrationsExecuted);
        }
        return;
      } catch (RuntimeException e) {
        // hosts starting together on a new database: one makes Flyway's history table while another
        // looks; the next look finds it and waits on Flyway's lock
        if (sqlite || attempt == 5) {
          throw e;
        }
        LOG.info("store: migration attempt {} failed ({}); trying again", attempt, e.getMessage());
        try {
          Thread.sleep(200L * attempt);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  /**
   * SQLite step 2: when the user confirmed a task's spend (the guard of the store's conditional
   * confirm). SQLite has no {@code ADD COLUMN IF NOT EXISTS}, and a file from before Flyway may have
   * the column already (the hand-rolled migrator added it): so it is added only where missing.
   */
  static final class V2__Confirmed_at extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws Exception {
      Connection c = context.getConnection();
      try (Statement st = c.createStatement()) {
        boolean has = false;
        try (ResultSet rs = st.executeQuery("SELECT 1 FROM pragma_table_info('tasks') WHERE name = 'confirmed_at'")) {
          has = rs.next();
        }
        if (!has) {
          st.execute("ALTER TABLE tasks ADD COLUMN confirmed_at INTEGER");
        }
      }
    }
  }
}
