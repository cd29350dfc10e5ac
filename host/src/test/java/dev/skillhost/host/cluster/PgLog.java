package dev.skillhost.host.cluster;

import dev.skillhost.host.store.Connector;
import dev.skillhost.host.store.PgServer;
import dev.skillhost.host.store.Task;
import dev.skillhost.host.store.TaskCodec;
import dev.skillhost.host.store.TaskEvent;
import dev.skillhost.host.store.TaskState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A task event log in a fresh database of the test PostgreSQL, written as the PostgreSQL task store
 * writes it: the events and the store's hooks in one transaction. Until the store itself speaks
 * PostgreSQL on this branch, this is the store the cluster tests' nodes share.
 */
public final class PgLog implements EventRelay.EventLog, AutoCloseable {

  private final Vertx vertx;
  private final String jdbcUrl;
  private final Connection writer;
  private final Connection reader;

  private PgLog(Vertx vertx, String jdbcUrl) throws SQLException {
    this.vertx = vertx;
    this.jdbcUrl = jdbcUrl;
    this.writer = DriverManager.getConnection(jdbcUrl);
    this.reader = DriverManager.getConnection(jdbcUrl);
    try (Statement st = writer.createStatement()) {
      st.execute("CREATE TABLE events(task_id TEXT NOT NULL, seq BIGINT NOT NULL, body TEXT NOT NULL,"
          + " PRIMARY KEY(task_id, seq))");
    }
    writer.setAutoCommit(false);
  }

  /** A log in a new database; {@code vertx} runs its blocking work. */
  public static PgLog create(Vertx vertx) throws SQLException {
    URI url = URI.create(PgServer.get().newDatabase());
    return new PgLog(vertx, "jdbc:postgresql://" + url.getHost() + ":" + url.getPort() + url.getPath()
        + "?user=" + url.getUserInfo());
  }

  /** Opens connections to the log's database, as {@code Database::openConnection} does for the real store. */
  public Connector connector() {
    return () -> DriverManager.getConnection(jdbcUrl);
  }

  /** A running task of {@code owner}, for the hooks (which read its owner). */
  public static Task task(String id, String owner) {
    return new Task(id, owner, "sim", "t2v", null, null, TaskState.RUNNING, 0, new JsonObject(), new JsonArray(),
        "en", null, new JsonArray(), null, -1, null, 0L, 0L, null, null, null);
  }

  /** Event {@code seq} of {@code task}: progress, or the terminal state when {@code last}. */
  public static TaskEvent event(String task, long seq, boolean last) {
    return last
        ? new TaskEvent(task, seq, TaskEvent.STATE, TaskState.SUCCEEDED, seq, new JsonObject().put("from", "running"))
        : new TaskEvent(task, seq, TaskEvent.PROGRESS, TaskState.RUNNING, seq, new JsonObject().put("n", seq));
  }

  /** Stores {@code events} and runs {@code hook} (if not null) in the same transaction. */
  public Future<Void> append(Task task, List<TaskEvent> events, NotifyHook hook) {
    return vertx.executeBlocking(() -> {
      synchronized (writer) {
        try (PreparedStatement ps = writer.prepareStatement("INSERT INTO events(task_id, seq, body) VALUES (?,?,?)")) {
          for (TaskEvent e : events) {
            ps.setString(1, e.task());
            ps.setLong(2, e.seq());
            ps.setString(3, TaskCodec.encodeEvent(e));
            ps.executeUpdate();
          }
          if (hook != null) {
            hook.appended(writer, task, events);
          }
          writer.commit();
        } catch (SQLException e) {
          writer.rollback();
          throw e;
        }
      }
      return null;
    });
  }

  @Override
  public Future<List<TaskEvent>> events(String taskId, long after, int limit) {
    return vertx.executeBlocking(() -> {
      synchronized (reader) {
        try (PreparedStatement ps = reader.prepareStatement(
            "SELECT body FROM events WHERE task_id = ? AND seq > ? ORDER BY seq LIMIT ?")) {
          ps.setString(1, taskId);
          ps.setLong(2, after);
          ps.setInt(3, limit);
          List<TaskEvent> out = new ArrayList<>();
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(TaskCodec.decodeEvent(taskId, new JsonObject(rs.getString(1))));
            }
          }
          return out;
        }
      }
    }, false);
  }

  /**
   * Ends the server side of every connection to this database named {@code applicationName}, as
   * a network cut or a restart would; answers how many.
   */
  public int terminate(String applicationName) throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl);
        PreparedStatement ps = c.prepareStatement(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                + " WHERE application_name = ? AND datname = current_database()")) {
      ps.setString(1, applicationName);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  @Override
  public void close() throws SQLException {
    writer.close();
    reader.close();
  }
}
