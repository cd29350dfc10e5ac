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
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * The outbox's tables: what each task asked to be delivered where ({@code subscriptions}) and one
 * row per delivery with its state, attempts, next attempt and last error ({@code deliveries}).
 *
 * <p>Deliveries are enqueued by the {@link TaskStore.Hook} inside the very transaction that stores
 * the task's events, so an event is never stored without its deliveries (nor the reverse), and a
 * restart finds every one still owed.
 *
 * <p>Several nodes may share one PostgreSQL database. A node sends only the deliveries it
 * {@linkplain #claim claimed}: the claim marks each row with the node's id ({@code claimed_by}) and
 * a lease ({@code claimed_until}, epoch ms), and rows are chosen with {@code FOR UPDATE SKIP LOCKED}
 * so two nodes claiming at once take disjoint rows without waiting for each other. What an attempt
 * came to is stored only while its node still holds the claim (a fenced update). On SQLite there is
 * one node, whose single writer makes the same select-then-update atomic with no extra clause.
 *
 * <p>A claim lapses when its node dies mid-send; another node then sends the delivery again. That
 * is at-least-once, not exactly-once, and cannot be better: a webhook POST (or a chat API call)
 * cannot commit atomically with the database, so a node that dies after the receiver got the
 * request but before the outcome was stored leaves no way to know it arrived. The delivery's id is
 * stable across every attempt and node ({@code webhook-id}, the channel's {@code Delivery.id}):
 * it is the receiver's dedupe key. In the normal case (no node dies) each attempt is sent once.
 */
final class OutboxStore implements TaskStore.Hook {

  static final String PENDING = "pending";
  static final String SENDING = "sending";
  static final String DELIVERED = "delivered";
  static final String FAILED = "failed";

  private static final String COLUMNS = "id, task_id, owner, kind, target, event_seq, event_type, payload, state,"
      + " attempts, next_at, created_at, updated_at, delivered_at, last_error, receipt";

  private final Database db;
  private final String node;
  private final boolean postgres;

  private OutboxStore(Database db, String node) {
    this.db = db;
    this.node = node;
    this.postgres = db.postgres();
  }

  /** The outbox's tables of {@code db} (the store's schema: db/sqlite, db/postgres), worked by {@code node} (this process's node id). */
  static Future<OutboxStore> open(Database db, String node) {
    return Future.succeededFuture(new OutboxStore(db, node));
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

  /**
   * Claims for this node up to {@code limit} deliveries that nobody holds: pending ones due by
   * {@code now}, and sends whose node's claim lapsed mid-send (a {@code sending} channel call).
   * Oldest first. Each claim lasts its kind's {@code lease}; the caller must have stored the
   * attempt's outcome before then, or another node may send it again.
   */
  Future<List<OutboxEntry>> claim(long now, Duration webhookLease, Duration channelLease, int limit) {
    return db.write(c -> {
      // SKIP LOCKED: rows another node is claiming right now are left to it, not waited for
      List<OutboxEntry> claimed = many(c, "SELECT " + COLUMNS + " FROM deliveries"
          + " WHERE ((state = 'pending' AND next_at <= ?) OR state = 'sending')"
          + " AND (claimed_until IS NULL OR claimed_until < ?) ORDER BY next_at LIMIT ?"
          + (postgres ? " FOR UPDATE SKIP LOCKED" : ""), now, now, limit);
      if (claimed.isEmpty()) {
        return claimed;
      }
      PreparedStatement ps = db.statement(c, "UPDATE deliveries SET claimed_by = ?, claimed_until = ? WHERE id = ?");
      for (OutboxEntry e : claimed) {
        ps.setString(1, node);
        ps.setLong(2, now + (OutboxEntry.CHANNEL.equals(e.kind()) ? channelLease : webhookLease).toMillis());
        ps.setString(3, e.id());
        ps.addBatch();
      }
      ps.executeBatch();
      return claimed;
    });
  }

  /**
   * One owner's deliveries across tasks, newest first ({@code created_at}, then id), in the given
   * states (all when empty), older than the row ({@code beforeAt}, {@code beforeId}) when given.
   */
  Future<List<OutboxEntry>> forOwner(String owner, Set<String> states, Long beforeAt, String beforeId, int limit) {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM deliveries WHERE owner = ?");
    List<Object> args = new ArrayList<>(List.of(owner));
    if (!states.isEmpty()) {
      sql.append(" AND state IN (").append(String.join(",", Collections.nCopies(states.size(), "?"))).append(')');
      args.addAll(states);
    }
    if (beforeAt != null) {
      sql.append(" AND (created_at < ? OR (created_at = ? AND id < ?))");
      args.addAll(List.of(beforeAt, beforeAt, beforeId));
    }
    sql.append(" ORDER BY created_at DESC, id DESC LIMIT ?");
    args.add(limit);
    return db.read(c -> many(c, sql.toString(), args.toArray()));
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
      PreparedStatement ps = db.statement(c,
          "UPDATE deliveries SET state = 'sending', updated_at = ? WHERE id = ? AND claimed_by = ?");
      ps.setLong(1, now);
      ps.setString(2, id);
      ps.setString(3, node);
      ps.executeUpdate();
      return null;
    });
  }

  /**
   * At start, on SQLite only (one node, so any claim left is the last run's): a send interrupted
   * by the last stop is due again now, and no claim stands. On PostgreSQL other nodes' claims are
   * live; a dead node's lapse on their own and {@link #claim} takes them then. Answers how many
   * sends were interrupted.
   */
  Future<Integer> resumeInterrupted(long now) {
    if (postgres) {
      return Future.succeededFuture(0);
    }
    return db.write(c -> {
      PreparedStatement ps = db.statement(c, "UPDATE deliveries SET state = 'pending', next_at = ?, updated_at = ?,"
          + " claimed_until = NULL WHERE state = 'sending'");
      ps.setLong(1, now);
      ps.setLong(2, now);
      int interrupted = ps.executeUpdate();
      db.statement(c, "UPDATE deliveries SET claimed_until = NULL WHERE claimed_until IS NOT NULL").executeUpdate();
      return interrupted;
    });
  }

  /**
   * Stores what an attempt came to, and when to try again (from {@code schedule}) if it is to be
   * retried, and ends this node's claim. Answers false, storing nothing, when the claim had lapsed
   * and another node claimed the delivery since: its attempt is the one that counts.
   */
  Future<Boolean> record(OutboxEntry e, Outcome outcome, List<Duration> schedule, long now) {
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
          + " delivered_at = ?, last_error = ?, receipt = ?, claimed_until = NULL WHERE id = ? AND claimed_by = ?");
      ps.setString(1, finalState);
      ps.setInt(2, attempts);
      ps.setLong(3, finalNext);
      ps.setLong(4, now);
      if (outcome.kind() == Outcome.Kind.DELIVERED) {
        ps.setLong(5, now);
      } else {
        ps.setNull(5, Types.BIGINT);
      }
      ps.setString(6, finalError);
      ps.setString(7, outcome.receipt() == null ? null : outcome.receipt().encode());
      ps.setString(8, e.id());
      ps.setString(9, node);
      if (ps.executeUpdate() == 0) {
        return false;
      }
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
      return true;
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
