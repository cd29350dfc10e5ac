package dev.skillhost.host.outbox;

import dev.skillhost.host.store.Database;
import dev.skillhost.host.store.Task;
import dev.skillhost.host.store.TaskEvent;
import dev.skillhost.host.store.TaskState;
import dev.skillhost.host.store.TaskStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The outbox's tables: what each task asked to be delivered where ({@code subscriptions}) and one
 * row per delivery with its state, attempts, next attempt and last error ({@code deliveries}).
 *
 * <p>Deliveries are enqueued by the {@link TaskStore.Hook} inside the very transaction that stores
 * the task's events, so an event is never stored without its deliveries (nor the reverse), and a
 * restart finds every one still owed.
 */
final class OutboxStore implements TaskStore.Hook {

  static final String PENDING = "pending";
  static final String SENDING = "sending";
  static final String DELIVERED = "delivered";
  static final String FAILED = "failed";

  private static final String COLUMNS = "id, task_id, owner, kind, target, event_seq, event_type, payload, state,"
      + " attempts, next_at, created_at, updated_at, delivered_at, last_error, receipt";

  private final Database db;

  private OutboxStore(Database db) {
    this.db = db;
  }

  /** The outbox's tables of {@code db} (the store's schema, see {@code db/*\/V1}). */
  static Future<OutboxStore> open(Database db) {
    return Future.succeededFuture(new OutboxStore(db));
  }

  @Override
  public void created(Connection c, Task task, JsonObject deliver) throws SQLException {
    if (deliver == null) {
      return;
    }
    for (String kind : List.of(OutboxEntry.WEBHOOK, OutboxEntry.CHANNEL)) {
      JsonObject spec = deliver.getJsonObject(kind);
      if (spec != null) {
        PreparedStatement ps = db.statement(c, "INSERT INTO subscriptions(task_id, kind, spec) VALUES (?,?,?)"
            + " ON CONFLICT(task_id, kind) DO UPDATE SET spec = excluded.spec");
        ps.setString(1, task.id());
        ps.setString(2, kind);
        ps.setString(3, spec.encode());
        ps.executeUpdate();
      }
    }
  }

  @Override
  public void appended(Connection c, Task task, List<TaskEvent> events) throws SQLException {
    PreparedStatement ps = db.statement(c, "SELECT kind, spec FROM subscriptions WHERE task_id = ?");
    ps.setString(1, task.id());
    List<String[]> subs = new ArrayList<>(2);
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        subs.add(new String[] {rs.getString(1), rs.getString(2)});
      }
    }
    for (String[] sub : subs) {
      JsonObject spec = new JsonObject(sub[1]);
      for (TaskEvent e : events) {
        if (OutboxEntry.WEBHOOK.equals(sub[0])) {
          String category = WebhookEvents.category(e);
          if (category != null && spec.getJsonArray("events").contains(category)) {
            insert(c, "msg_" + task.id() + "_" + e.seq(), task, OutboxEntry.WEBHOOK, spec.getString("url"), e,
                WebhookEvents.body(task, e, category).encode());
          }
        } else if (TaskEvent.STATE.equals(e.type()) && e.state().terminal()) {
          insert(c, "dlv_" + task.id() + "_" + spec.getString("id"), task, OutboxEntry.CHANNEL, spec.getString("id"), e,
              channelPayload(task, e, spec).encode());
        }
      }
    }
  }

  /** What the chat is sent: the message users see for the result (or failure) and the outputs. */
  private static JsonObject channelPayload(Task task, TaskEvent end, JsonObject spec) {
    String text = end.message();
    if (text == null) {
      text = switch (end.state()) {
        case SUCCEEDED -> "Task " + task.id() + " is done.";
        case CANCELLED -> "Task " + task.id() + " was cancelled.";
        default -> task.error() == null ? "Task " + task.id() + " failed."
            : "Task " + task.id() + " failed: " + task.error().getString("message", "no reason given");
      };
    }
    return new JsonObject()
        .put("chat_id", spec.getString("chat_id"))
        .put("options", spec.getJsonObject("options", new JsonObject()))
        .put("locale", task.locale())
        .put("state", end.state().wire())
        .put("text", text)
        .put("outputs", end.state() == TaskState.SUCCEEDED ? task.outputs().copy() : new JsonArray());
  }

  private void insert(Connection c, String id, Task task, String kind, String target, TaskEvent e, String payload)
      throws SQLException {
    PreparedStatement ps = db.statement(c, "INSERT INTO deliveries(" + COLUMNS
        + ") VALUES (?,?,?,?,?,?,?,?,'pending',0,?,?,?,NULL,NULL,NULL) ON CONFLICT DO NOTHING");
    ps.setString(1, id);
    ps.setString(2, task.id());
    ps.setString(3, task.owner());
    ps.setString(4, kind);
    ps.setString(5, target);
    ps.setLong(6, e.seq());
    ps.setString(7, OutboxEntry.WEBHOOK.equals(kind) ? "task." + WebhookEvents.category(e) : "task.completed");
    ps.setString(8, payload);
    ps.setLong(9, e.at());
    ps.setLong(10, e.at());
    ps.setLong(11, e.at());
    ps.executeUpdate();
  }

  /** Pending deliveries due by {@code now}, oldest first. */
  Future<List<OutboxEntry>> due(long now, int limit) {
    return db.read(c -> many(c, "SELECT " + COLUMNS + " FROM deliveries WHERE state = 'pending' AND next_at <= ?"
        + " ORDER BY next_at LIMIT ?", now, limit));
  }

  /** A task's deliveries, in event order. */
  Future<List<OutboxEntry>> forTask(String taskId) {
    return db.read(c -> many(c, "SELECT " + COLUMNS + " FROM deliveries WHERE task_id = ? ORDER BY event_seq, kind, id",
        taskId));
  }

  /**
   * Marks a channel delivery as being sent, durably, before the channel is called: if the host
   * stops before the answer is recorded, the next start sends it again with the same id (which
   * the channel passes upstream to deduplicate) rather than forgetting it.
   */
  Future<Void> sending(String id, long now) {
    return db.write(c -> {
      PreparedStatement ps = db.statement(c, "UPDATE deliveries SET state = 'sending', updated_at = ? WHERE id = ?");
      ps.setLong(1, now);
      ps.setString(2, id);
      ps.executeUpdate();
      return null;
    });
  }

  /** At start: a send interrupted by the last stop is due again now. */
  Future<Integer> resumeInterrupted(long now) {
    return db.write(c -> {
      PreparedStatement ps = db.statement(c,
          "UPDATE deliveries SET state = 'pending', next_at = ?, updated_at = ? WHERE state = 'sending'");
      ps.setLong(1, now);
      ps.setLong(2, now);
      return ps.executeUpdate();
    });
  }

  /** Stores what an attempt came to, and when to try again (from {@code schedule}) if it is to be retried. */
  Future<Void> record(OutboxEntry e, Outcome outcome, List<Duration> schedule, long now) {
    int attempts = e.attempts() + 1;
    String state;
    String error = outcome.error();
    long next = now;
    switch (outcome.kind()) {
      case DELIVERED -> state = DELIVERED;
      case RETRY -> {
        if (attempts >= schedule.size()) {
          state = FAILED;
          error = "gave up after " + attempts + " attempts; last: " + error;
        } else {
          state = PENDING;
          long wait = schedule.get(attempts).toMillis();
          if (outcome.retryAfter() != null) {
            wait = Math.max(wait, outcome.retryAfter().toMillis());
          }
          next = now + wait;
        }
      }
      default -> state = FAILED;
    }
    String finalState = state;
    String finalError = error;
    long finalNext = next;
    return db.write(c -> {
      PreparedStatement ps = db.statement(c, "UPDATE deliveries SET state = ?, attempts = ?, next_at = ?, updated_at = ?,"
          + " delivered_at = ?, last_error = ?, receipt = ? WHERE id = ?");
      ps.setString(1, finalState);
      ps.setInt(2, attempts);
      ps.setLong(3, finalNext);
      ps.setLong(4, now);
      if (outcome.kind() == Outcome.Kind.DELIVERED) {
        ps.setLong(5, now);
      } else {
        ps.setNull(5, java.sql.Types.BIGINT);
      }
      ps.setString(6, finalError);
      ps.setString(7, outcome.receipt() == null ? null : outcome.receipt().encode());
      ps.setString(8, e.id());
      ps.executeUpdate();
      if (outcome.kind() == Outcome.Kind.GONE) {
        // 410: the receiver wants nothing more, so nothing owed or to come for this task goes there
        PreparedStatement rest = db.statement(c, "UPDATE deliveries SET state = 'failed', updated_at = ?, last_error = ?"
            + " WHERE task_id = ? AND kind = 'webhook' AND target = ? AND state = 'pending'");
        rest.setLong(1, now);
        rest.setString(2, "not sent: the webhook answered 410 Gone to an earlier delivery");
        rest.setString(3, e.taskId());
        rest.setString(4, e.target());
        rest.executeUpdate();
        PreparedStatement unsubscribe = db.statement(c, "DELETE FROM subscriptions WHERE task_id = ? AND kind = 'webhook'");
        unsubscribe.setString(1, e.taskId());
        unsubscribe.executeUpdate();
      }
      return null;
    });
  }

  /** Deliveries still to make (pending or being sent), for the backlog gauge. */
  Future<Long> backlog() {
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM deliveries WHERE state IN ('pending','sending')");
          java.sql.ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0L;
      }
    });
  }

  private static List<OutboxEntry> many(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      List<OutboxEntry> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long delivered = rs.getLong(14);
          Long deliveredAt = rs.wasNull() ? null : delivered;
          String receipt = rs.getString(16);
          out.add(new OutboxEntry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
              rs.getLong(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getInt(10), rs.getLong(11),
              rs.getLong(12), rs.getLong(13), deliveredAt, rs.getString(15), receipt == null ? null : new JsonObject(receipt)));
        }
      }
      return out;
    }
  }
}
