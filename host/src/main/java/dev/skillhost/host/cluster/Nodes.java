package dev.skillhost.host.cluster;

import dev.skillhost.host.store.Database;
import dev.skillhost.host.store.Task;
import dev.skillhost.host.store.TaskStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This host's lease on the tasks it watches, and the taking over of a dead host's tasks.
 *
 * <p>A node's row in {@code nodes} says until when it is alive; the node renews it every fifth of
 * the lease. One lease per node, not per task: renewing costs one row whatever the number of
 * tasks. Every fifth of the lease each node also claims the unfinished tasks whose node's lease
 * lapsed, a batch at a time ({@link dev.skillhost.host.store.TaskClaims#claimOrphans}: on PostgreSQL two claimers never take
 * the same task), and adopts them as a restarted host adopts its own: a task caught mid-submit is
 * reconciled with its provider, never sent again. So a killed node's tasks move within about
 * 1.2 leases.
 *
 * <p>A node that finds its own lease lapsed (paused, cut off from the database) gives up every
 * task it watched — some may be another node's already, and the store's fenced writes refuse it
 * those — renews its lease and adopts again the tasks still recorded as its own. Its id stays (the
 * other nodes reach it on a channel named after it). On SQLite, a store with one host, the node
 * claims every unfinished task at start and nothing else is needed.
 */
public final class Nodes {

  private static final Logger LOG = LoggerFactory.getLogger(Nodes.class);
  private static final int CLAIM_BATCH = 500;

  private final Vertx vertx;
  private final TaskStore store;
  private final Database db;
  private final Duration lease;
  private final String label;
  private final Clock clock;
  private long timer = -1;
  private boolean ticking;
  private volatile boolean stopped;
  private Consumer<List<Task>> adopt = tasks -> { };
  private Runnable lapsed = () -> { };
  private dev.skillhost.host.metrics.HostMetrics metrics = dev.skillhost.host.metrics.HostMetrics.create();

  public Nodes(Vertx vertx, TaskStore store, Duration lease, String label, Clock clock) {
    this.vertx = vertx;
    this.store = store;
    this.db = store.database();
    this.lease = lease;
    this.label = label;
    this.clock = clock;
  }

  /** Told, on the caller's context, the tasks this node took over (at start: its own share). */
  public Nodes onAdopt(Consumer<List<Task>> next) {
    this.adopt = next;
    return this;
  }

  /** Told when this node's lease lapsed: forget every task watched (the store already writes as a new node). */
  public Nodes onLapsed(Runnable next) {
    this.lapsed = next;
    return this;
  }

  /** Where live nodes and takeovers are counted. */
  public Nodes metrics(dev.skillhost.host.metrics.HostMetrics next) {
    this.metrics = next;
    return this;
  }

  public String id() {
    return store.node();
  }

  /**
   * Registers this node and adopts what it must watch: on SQLite every unfinished task, on
   * PostgreSQL the tasks of nodes whose lease lapsed. Then keeps the lease and claims on a timer.
   */
  public Future<Void> start() {
    if (!db.postgres()) {
      return register().compose(v -> store.claims().claimAll()).onSuccess(adopt::accept).mapEmpty();
    }
    return register().compose(v -> claim()).onSuccess(v -> {
      long every = Math.max(100, lease.toMillis() / 5);
      timer = vertx.setPeriodic(every, every, t -> tick());
    });
  }

  /** Gives the lease back, so that other nodes take this node's tasks over at once. */
  public Future<Void> stop() {
    stopped = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    String id = store.node();
    return db.write(c -> {
      PreparedStatement ps = db.statement(c, "DELETE FROM nodes WHERE id = ?");
      ps.setString(1, id);
      ps.executeUpdate();
      return null;
    }).recover(e -> Future.succeededFuture()).mapEmpty();
  }

  private void tick() {
    if (ticking || stopped) {
      return; // the last round is still on its way: a slow database gets no pile-up
    }
    ticking = true;
    renew().compose(v -> claim()).compose(v -> countLive()).onComplete(ar -> {
      ticking = false;
      if (ar.failed()) {
        LOG.warn("node {}: lease or claim round failed: {}", store.node(), ar.cause().toString());
      }
    });
  }

  private Future<Void> register() {
    String id = store.node();
    long now = clock.millis();
    return db.write(c -> {
      if (!db.postgres()) {
        // one host per SQLite file: whatever node wrote it before is this host's earlier run
        try (var st = c.createStatement()) {
          st.execute("DELETE FROM nodes");
        }
      }
      PreparedStatement ps = db.statement(c, "INSERT INTO nodes(id, label, api, started_at, alive_until) VALUES (?,?,?,?,?)"
          + " ON CONFLICT (id) DO UPDATE SET alive_until = excluded.alive_until");
      ps.setString(1, id);
      ps.setString(2, label);
      ps.setString(3, null);
      ps.setLong(4, now);
      ps.setLong(5, now + lease.toMillis());
      ps.executeUpdate();
      return null;
    });
  }

  /** Renews the lease if it still holds; a lapsed one makes this host a new node. */
  private Future<Void> renew() {
    String id = store.node();
    long now = clock.millis();
    return db.write(c -> {
      PreparedStatement ps = db.statement(c, "UPDATE nodes SET alive_until = ? WHERE id = ? AND alive_until >= ?");
      ps.setLong(1, now + lease.toMillis());
      ps.setString(2, id);
      ps.setLong(3, now);
      return ps.executeUpdate() == 1;
    }).compose(held -> {
      if (held) {
        return Future.succeededFuture();
      }
      LOG.warn("node {}: its lease lapsed (paused, or cut off from the store); it lets its tasks go and takes"
          + " back those no live node claimed meanwhile", id);
      lapsed.run();
      return register().compose(v -> store.claims().mine()).onSuccess(adopt::accept).mapEmpty();
    });
  }

  private Future<Void> countLive() {
    long now = clock.millis();
    return db.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM nodes WHERE alive_until >= ?")) {
        ps.setLong(1, now);
        try (var rs = ps.executeQuery()) {
          return rs.next() ? rs.getInt(1) : 0;
        }
      }
    }).onSuccess(metrics::liveNodes).mapEmpty();
  }

  /** Claims orphaned tasks a batch at a time until none are left, adopting each batch. */
  private Future<Void> claim() {
    if (stopped) {
      return Future.succeededFuture();
    }
    return store.claims().claimOrphans(clock.millis(), CLAIM_BATCH).compose(tasks -> {
      if (tasks.isEmpty()) {
        return Future.succeededFuture();
      }
      LOG.info("node {}: took over {} unfinished tasks of nodes whose lease lapsed", store.node(), tasks.size());
      metrics.tookOver(tasks.size());
      adopt.accept(tasks);
      return tasks.size() == CLAIM_BATCH ? claim() : Future.succeededFuture();
    });
  }
}
