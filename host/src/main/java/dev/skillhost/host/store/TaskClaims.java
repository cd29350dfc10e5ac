package dev.skillhost.host.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How nodes share the tasks of one store: which node watches a task, and the claims by which a
 * node takes tasks to watch — all of them at the start of the one host of a SQLite file, a dead
 * node's on PostgreSQL, its own again after its lease lapsed. What a claim hands over is watched by
 * the claimer only: {@link TaskStore}'s writes are fenced on {@code tasks.node}.
 */
public final class TaskClaims {

  private final TaskStore store;
  private final Database db;
  private final String node;

  TaskClaims(TaskStore store, Database db, String node) {
    this.store = store;
    this.db = db;
    this.node = node;
  }

  /** Which node watches the task, if there is such a task (and it has a node). */
  public Future<Optional<String>> node(String taskId) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT node FROM tasks WHERE id = ?")) {
        ps.setString(1, taskId);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.<String>empty();
        }
      }
    });
  }

  /** The live node that watches the task (its lease holds at {@code now}), if any. */
  public Future<Optional<String>> watcher(String taskId, long now) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT t.node FROM tasks t JOIN nodes n ON n.id = t.node WHERE t.id = ? AND n.alive_until >= ?")) {
        ps.setString(1, taskId);
        ps.setLong(2, now);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
        }
      }
    });
  }

  /** The unfinished tasks recorded as this node's (after its lease lapsed and was renewed, to watch them again). */
  public Future<List<Task>> mine() {
    return db.read(c -> TaskStore.many(c,
        "SELECT body FROM tasks WHERE node = ? AND " + TaskStore.OPEN + " ORDER BY created_at",
        List.of(node)));
  }

  /**
   * Makes this node the watcher of every unfinished task and returns them: for a store only one
   * host uses (SQLite), at its start. Whatever node the tasks had is gone: the file has one host.
   */
  public Future<List<Task>> claimAll() {
    return db.write(c -> {
      PreparedStatement ps = db.statement(c,
          "UPDATE tasks SET node = ? WHERE " + TaskStore.OPEN + " AND (node IS NULL OR node <> ?)");
      ps.setString(1, node);
      ps.setString(2, node);
      ps.executeUpdate();
      return null;
    }).compose(v -> store.unfinished());
  }

  /**
   * Claims up to {@code limit} unfinished tasks whose node's lease lapsed before {@code now} (or
   * that have none) for this node, and returns them, oldest first. Several nodes may claim at once:
   * on PostgreSQL each row goes to one of them ({@code FOR UPDATE SKIP LOCKED}: no waiting on a row
   * another claim holds); SQLite has one writer.
   */
  public Future<List<Task>> claimOrphans(long now, int limit) {
    String orphans = "SELECT t.id FROM tasks t WHERE t.state NOT IN ('succeeded','failed','cancelled')"
        + " AND (t.node IS NULL OR NOT EXISTS (SELECT 1 FROM nodes n WHERE n.id = t.node AND n.alive_until >= ?))"
        + " ORDER BY t.created_at LIMIT ?" + (db.postgres() ? " FOR UPDATE OF t SKIP LOCKED" : "");
    return db.write(c -> {
      List<String> ids = new ArrayList<>();
      PreparedStatement pick = db.statement(c, orphans);
      pick.setLong(1, now);
      pick.setInt(2, limit);
      try (ResultSet rs = pick.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
      List<Task> claimed = new ArrayList<>(ids.size());
      PreparedStatement take = db.statement(c, "UPDATE tasks SET node = ? WHERE id = ?");
      PreparedStatement body = db.statement(c, "SELECT body FROM tasks WHERE id = ?");
      for (String id : ids) {
        take.setString(1, node);
        take.setString(2, id);
        take.executeUpdate();
        body.setString(1, id);
        try (ResultSet rs = body.executeQuery()) {
          if (rs.next()) {
            claimed.add(TaskCodec.decode(new JsonObject(rs.getString(1))));
          }
        }
      }
      return claimed;
    });
  }
}
