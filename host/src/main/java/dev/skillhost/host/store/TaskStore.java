package dev.skillhost.host.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.nio.charset.StandardCharsets;

/**
 * Tasks and their event logs, in SQLite or PostgreSQL. Every write is durable when its future
 * completes (group commit, see {@link Database}); a task and the events describing its change are
 * written in one transaction, so the log and the row never disagree.
 *
 * <p>Each open task is watched by one node (host), recorded in {@code tasks.node}. Every change is
 * written only while this node still watches the task (a fenced update): a node that lost its
 * lease, and whose tasks another node claimed, can no longer write them, so a paused or
 * partitioned host never moves a task a second time.
 */
public final class TaskStore {

  /** {@link #confirm} found the task no longer waiting: confirmed already, or moved on. */
  public static final class NotAwaiting extends RuntimeException {
    NotAwaiting(String taskId) {
      super("task " + taskId + " is not awaiting an unanswered confirmation", null, false, false);
    }
  }

  /**
   * SQL run inside the transaction of every task write, so what it writes (the outbox's
   * deliveries) commits with the events or not at all. Runs on the store's writer thread, may run
   * twice (see {@link Database.Work}): SQL only, idempotent inserts.
   */
  public interface Hook {
    /** A task was created; {@code deliver} is what its request asked to be delivered where ({@code webhook}, {@code channel}), or null. */
    void created(Connection c, Task task, JsonObject deliver) throws SQLException;

    /** Events of {@code task} (as it is after them) were stored. */
    void appended(Connection c, Task task, List<TaskEvent> events) throws SQLException;
  }

  /** The task is watched by another node now (this one's lease lapsed and it was claimed); nothing was written. */
  public static final class NotOwned extends RuntimeException {
    NotOwned(String taskId, String node) {
      super("task " + taskId + " is watched by node " + node + " now", null, false, false);
    }
  }

  static final String OPEN = "state NOT IN ('succeeded','failed','cancelled')";

  /** What {@link #create} did. */
  public record Created(Task task, boolean created) {}

  private final Database db;
  private final java.util.concurrent.CopyOnWriteArrayList<Hook> hooks = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final String node;

  private final TaskClaims claims;

  private TaskStore(Database db, String node) {
    this.db = db;
    this.node = node;
    this.claims = new TaskClaims(this, db, node);
  }

  /** The tasks of {@code db}, whose schema {@link Database#open} brought up to date, for a new node. */
  public static Future<TaskStore> open(Database db) {
    return open(db, dev.skillhost.host.cluster.Node.newId());
  }

  /** As {@link #open(Database)}, writing as node {@code node}. */
  public static Future<TaskStore> open(Database db, String node) {
    return Future.succeededFuture(new TaskStore(db, node));
  }

  /** The node this store writes as: new tasks are its, and it changes only tasks it watches. */
  public String node() {
    return node;
  }

  /** Adds a hook run inside every task write (the outbox, the cluster's notifications). Add before tasks are written. */
  public void addHook(Hook next) {
    hooks.add(next);
  }

  /** Replaces every hook with {@code next}. */
  public void hook(Hook next) {
    hooks.clear();
    hooks.add(next);
  }

  /** The store's database, for features that keep their own tables beside the tasks (the outbox). */
  public Database database() {
    return db;
  }

  /**
   * Inserts a new task with its first event, unless the owner already has a task under the same
   * idempotency key: then that task is returned and nothing is written.
   */
  public Future<Created> create(Task task, TaskEvent first) {
    return create(task, first, null);
  }

  /** As {@link #create(Task, TaskEvent)}, also handing the {@link Hook} what to deliver where, in the same transaction. */
  public Future<Created> create(Task task, TaskEvent first, JsonObject deliver) {
    String body = TaskCodec.encode(task);
    List<Encoded> events = encode(List.of(first));
    return db.write(c -> {
      if (task.idempotencyKey() != null) {
        Optional<Task> existing = one(c, "SELECT body FROM tasks WHERE owner = ? AND idem_key = ?",
            task.owner(), task.idempotencyKey());
        if (existing.isPresent()) {
          return new Created(existing.get(), false);
        }
      }
      // ON CONFLICT: another node may have made the task under this key since the look above
      PreparedStatement ps = db.statement(c, "INSERT INTO tasks(id, owner, state, provider, created_at, idem_key, body,"
          + " node) VALUES (?,?,?,?,?,?,?,?) ON CONFLICT (owner, idem_key) WHERE idem_key IS NOT NULL DO NOTHING");
      ps.setString(1, task.id());
      ps.setString(2, task.owner());
      ps.setString(3, task.state().wire());
      ps.setString(4, task.provider());
      ps.setLong(5, task.createdAt());
      ps.setString(6, task.idempotencyKey());
      ps.setString(7, body);
      ps.setString(8, node);
      if (ps.executeUpdate() == 0) {
        return new Created(one(c, "SELECT body FROM tasks WHERE owner = ? AND idem_key = ?", task.owner(),
            task.idempotencyKey()).orElseThrow(), false);
      }
      insertEvents(c, events);
      for (Hook h : hooks) {
        h.created(c, task, deliver);
        h.appended(c, task, List.of(first));
      }
      return new Created(task, true);
    });
  }

  /** Saves a changed task together with the events that describe the change. */
  public Future<Void> save(Task task, List<TaskEvent> events) {
    // Encoded here, on the caller's thread: the single writer thread is the serial point.
    String body = TaskCodec.encode(task);
    List<Encoded> encoded = encode(events);
    Long confirmedAt = task.confirmation() == null ? null : task.confirmation().confirmedAt();
    return db.write(c -> {
      // confirmed_at follows the body, so a new ask (null again) can be confirmed once more; provider
      // too: a fallback moves a task to another skill's provider before it is submitted
      PreparedStatement ps = db.statement(c,
          "UPDATE tasks SET state = ?, provider = ?, body = ?, confirmed_at = ? WHERE id = ? AND node = ?");
      ps.setString(1, task.state().wire());
      ps.setString(2, task.provider());
      ps.setString(3, body);
      if (confirmedAt == null) {
        ps.setNull(4, java.sql.Types.BIGINT);
      } else {
        ps.setLong(4, confirmedAt);
      }
      ps.setString(5, task.id());
      ps.setString(6, node);
      if (ps.executeUpdate() != 1) {
        throw notSaved(c, task.id());
      }
      insertEvents(c, encoded);
      for (Hook h : hooks) {
        h.appended(c, task, events);
      }
      return null;
    });
  }

  /**
   * Saves a task whose confirmation was just given, only if the stored task still waits for an
   * unanswered one: the store, not the engine's memory, decides that a spend is confirmed once.
   * Fails with {@link NotAwaiting} (nothing written) when it was confirmed already or moved on.
   */
  public Future<Void> confirm(Task task, List<TaskEvent> events) {
    if (task.confirmation() == null || !task.confirmation().confirmed()) {
      return Future.failedFuture(new IllegalArgumentException("task " + task.id() + " carries no given confirmation"));
    }
    String body = TaskCodec.encode(task);
    List<Encoded> encoded = encode(events);
    long at = task.confirmation().confirmedAt();
    return db.write(c -> {
      PreparedStatement ps = db.statement(c, "UPDATE tasks SET state = ?, body = ?, confirmed_at = ?"
          + " WHERE id = ? AND node = ? AND state = 'awaiting_confirmation' AND confirmed_at IS NULL");
      ps.setString(1, task.state().wire());
      ps.setString(2, body);
      ps.setLong(3, at);
      ps.setString(4, task.id());
      ps.setString(5, node);
      if (ps.executeUpdate() != 1) {
        return false;
      }
      insertEvents(c, encoded);
      for (Hook h : hooks) {
        h.appended(c, task, events);
      }
      return true;
    }).compose(saved -> saved ? Future.<Void>succeededFuture() : Future.failedFuture(new NotAwaiting(task.id())));
  }

  /** Why a fenced update changed nothing: the task is another node's now, or there is no such task. */
  private RuntimeException notSaved(Connection c, String taskId) throws SQLException {
    PreparedStatement ps = db.statement(c, "SELECT node FROM tasks WHERE id = ?");
    ps.setString(1, taskId);
    try (ResultSet rs = ps.executeQuery()) {
      if (rs.next()) {
        return new NotOwned(taskId, rs.getString(1));
      }
    }
    return new IllegalStateException("no task " + taskId + " to save");
  }

  /** The queries by which nodes share the tasks: who watches one, and the claims of a start or a takeover. */
  public TaskClaims claims() {
    return claims;
  }

  private record Encoded(String task, long seq, String body) {}

  private static List<Encoded> encode(List<TaskEvent> events) {
    return events.stream().map(e -> new Encoded(e.task(), e.seq(), TaskCodec.encodeEvent(e))).toList();
  }

  public Future<Optional<Task>> get(String id) {
    return db.read(c -> one(c, "SELECT body FROM tasks WHERE id = ?", id));
  }

  /**
   * Writes and removes a row in a table of its own, in one write transaction: proof for the
   * readiness check that the store takes writes (disk full, read-only file, a stuck writer).
   */
  public Future<Void> probeWrite() {
    return db.write(c -> {
      try (java.sql.Statement st = c.createStatement()) {
        st.execute("INSERT INTO health_probe(at) VALUES (" + System.currentTimeMillis() + ")");
        st.execute("DELETE FROM health_probe");
      }
      return null;
    });
  }

  /** Tasks not yet succeeded, failed or cancelled: what a starting host must pick up again. */
  public Future<List<Task>> unfinished() {
    return db.read(c -> many(c, "SELECT body FROM tasks WHERE " + OPEN + " ORDER BY created_at", List.of()));
  }

  /**
   * One page of an owner's tasks, newest first.
   *
   * @param states   only these states, or all when empty
   * @param provider only this provider, or all when null
   * @param cursor   from a previous page's {@link TaskPage#next()}, or null
   */
  public Future<TaskPage> list(String owner, Set<TaskState> states, String provider, int limit, String cursor) {
    return db.read(c -> {
      StringBuilder sql = new StringBuilder("SELECT body FROM tasks WHERE owner = ?");
      List<Object> args = new ArrayList<>(List.of(owner));
      if (!states.isEmpty()) {
        sql.append(" AND state IN (").append("?,".repeat(states.size() - 1)).append("?)");
        states.forEach(s -> args.add(s.wire()));
      }
      if (provider != null) {
        sql.append(" AND provider = ?");
        args.add(provider);
      }
      if (cursor != null) {
        Cursor at = Cursor.decode(cursor);
        sql.append(" AND (created_at < ? OR (created_at = ? AND id < ?))");
        args.add(at.createdAt());
        args.add(at.createdAt());
        args.add(at.id());
      }
      sql.append(" ORDER BY created_at DESC, id DESC LIMIT ?");
      args.add(limit + 1);
      List<Task> tasks = many(c, sql.toString(), args);
      String next = null;
      if (tasks.size() > limit) {
        tasks = tasks.subList(0, limit);
        Task last = tasks.get(limit - 1);
        next = new Cursor(last.createdAt(), last.id()).encode();
      }
      return new TaskPage(List.copyOf(tasks), next);
    });
  }

  /** A task's events with {@code seq > after}, in order, at most {@code limit}. */
  public Future<List<TaskEvent>> events(String taskId, long after, int limit) {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT body FROM events WHERE task_id = ? AND seq > ? ORDER BY seq LIMIT ?")) {
        ps.setString(1, taskId);
        ps.setLong(2, after);
        ps.setInt(3, limit);
        List<TaskEvent> events = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            events.add(TaskCodec.decodeEvent(taskId, new JsonObject(rs.getString(1))));
          }
        }
        return events;
      }
    });
  }

  private void insertEvents(Connection c, List<Encoded> events) throws SQLException {
    PreparedStatement ps = db.statement(c, "INSERT INTO events(task_id, seq, body) VALUES (?,?,?)");
    for (Encoded e : events) {
      ps.setString(1, e.task());
      ps.setLong(2, e.seq());
      ps.setString(3, e.body());
      ps.executeUpdate();
    }
  }

  private static Optional<Task> one(Connection c, String sql, Object... args) throws SQLException {
    List<Task> found = many(c, sql, List.of(args));
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  static List<Task> many(Connection c, String sql, List<Object> args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.size(); i++) {
        ps.setObject(i + 1, args.get(i));
      }
      List<Task> tasks = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          tasks.add(TaskCodec.decode(new JsonObject(rs.getString(1))));
        }
      }
      return tasks;
    }
  }

  private record Cursor(long createdAt, String id) {
    String encode() {
      return Base64.getUrlEncoder().withoutPadding()
          .encodeToString((createdAt + ":" + id).getBytes(StandardCharsets.UTF_8));
    }

    static Cursor decode(String cursor) {
      try {
        String s = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        int colon = s.indexOf(':');
        return new Cursor(Long.parseLong(s.substring(0, colon)), s.substring(colon + 1));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("the cursor is not one this host gave out; start again without it");
      }
    }
  }
}
