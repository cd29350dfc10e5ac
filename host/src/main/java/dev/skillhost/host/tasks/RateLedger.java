package dev.skillhost.host.tasks;

import dev.skillhost.host.store.Connector;
import dev.skillhost.host.store.Database;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backends' rate limits shared by every node on one PostgreSQL database (table
 * {@code rate_ledger}, migration V4): a node takes <em>grants</em>, one per call it may make, in
 * batches. Exact, not approximate: under {@code pg_advisory_xact_lock(hashtext(line))} a grant is
 * given only while fewer than the limit's permits are counted in the line's window, and one row is
 * written per grant. Each row is stamped with the grant's time plus a validity ({@link #validityMs}), the
 * latest moment its call may reach the backend (the node spends it sooner, see
 * {@link SharedRateWindows}), so the ledger never frees a slot before the backend's own window
 * does. Times are the database's clock ({@code clock_timestamp()}), so the nodes' clocks may
 * disagree. A grant left unspent is given back, freeing its slot at once: a call never sent is
 * counted by no backend.
 *
 * <p>The ledger has its own connection and thread, not the store's group-commit writer: a group
 * would hold a line's lock until its last task write committed, another node waiting on that lock
 * would stall its own writer and so all its task writes, and two groups locking lines in
 * different orders could deadlock. Futures complete on the context that asked.
 */
public final class RateLedger implements AutoCloseable {

  /**
   * How long after its grant a call may still reach the backend, the time each row is stamped
   * with beyond the grant: a quarter of the window, from 250 ms to 1 s. A slot is held for its
   * window plus this, so a longer one would cost short windows much of their rate (a minute's
   * window loses under 2%).
   */
  static long validityMs(long windowMs) {
    return Math.max(250, Math.min(1_000, windowMs / 4));
  }

  /** Rows no window counts any more are deleted this often by each node... */
  private static final long SWEEP_MS = 10_000;
  /** ...once they stopped counting this long ago (far more than any request takes). */
  private static final long SWEEP_MARGIN_MS = 1_000;
  private static final Logger LOG = LoggerFactory.getLogger(RateLedger.class);

  /**
   * One limit as the ledger counts it: at most {@code permits} in any {@code windowMs}, and, when
   * {@code spacedMs > 0}, at most {@code spacedPermits} in any {@code spacedMs} (the spacing that
   * keeps a window's allowance from going in one burst).
   */
  record Line(String key, long permits, long windowMs, long spacedPermits, long spacedMs) {
    /** See {@link RateLedger#validityMs(long)}. */
    long validityMs() {
      return RateLedger.validityMs(windowMs);
    }
  }

  /**
   * What one request got: the grants' ids (one per call), the milliseconds until the ledger expects
   * room for more (0 when all asked for were granted), and each line's count in its window
   * afterwards, in the order asked.
   */
  record Grants(List<Long> ids, long retryInMs, long[] used) {}

  private final Vertx vertx;
  private final Connector connector;
  private final ExecutorService thread;
  private Connection connection; // the ledger thread's only
  private long sweptAt; // the ledger thread's only

  private RateLedger(Vertx vertx, Connector connector) {
    this.vertx = vertx;
    this.connector = connector;
    this.thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "skillhost-rate-ledger");
      t.setDaemon(true);
      return t;
    });
  }

  /** A ledger on the database {@code connector} reaches; it connects on first use. */
  public static RateLedger open(Vertx vertx, Connector connector) {
    return new RateLedger(vertx, connector);
  }

  /**
   * Gives back {@code giveBack} (grants that will never be spent) and takes up to {@code want}
   * grants, each holding one slot in every one of {@code lines}, in one transaction.
   */
  Future<Grants> grant(List<Line> lines, int want, List<Long> giveBack) {
    return run(c -> {
      List<Line> sorted = lines.stream().sorted(java.util.Comparator.comparing(Line::key)).toList();
      for (Line line : sorted) { // always in the same order: two requests never wait for each other's locks
        query(c, "SELECT pg_advisory_xact_lock(hashtext(?))", line.key());
      }
      delete(c, giveBack);
      long now = longQuery(c, "SELECT floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint");
      long[][] counts = new long[lines.size()][];
      long room = want;
      for (int i = 0; i < lines.size(); i++) {
        Line line = lines.get(i);
        counts[i] = count(c, line, now);
        room = Math.min(room, line.permits() - counts[i][0]);
        if (line.spacedMs() > 0) {
          room = Math.min(room, line.spacedPermits() - counts[i][1]);
        }
      }
      int n = (int) Math.max(0, room);
      List<Long> ids = n == 0 ? List.of() : insert(c, lines, n, now);
      long retry = 0;
      long[] used = new long[lines.size()];
      for (int i = 0; i < lines.size(); i++) {
        Line line = lines.get(i);
        used[i] = counts[i][0] + n;
        if (n < want) {
          retry = Math.max(retry, freeIn(c, line, line.windowMs(), 0, line.permits(), used[i], now));
          if (line.spacedMs() > 0) {
            retry = Math.max(retry,
                freeIn(c, line, line.spacedMs(), line.validityMs(), line.spacedPermits(), counts[i][1] + n, now));
          }
        }
      }
      return new Grants(ids, retry, used);
    }).andThen(ar -> sweepSometimes());
  }

  /** Gives back grants that will never be spent. */
  Future<Void> giveBack(List<Long> ids) {
    return run(c -> {
      delete(c, ids);
      return null;
    });
  }

  /**
   * Rows in the line's window and in its spacing window, counted at {@code now}. The spacing
   * counts grants by the time they were given ({@code at} less the validity): it smooths the
   * calls rather than guarding the backend's count, which the window does.
   */
  private static long[] count(Connection c, Line line, long now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT count(*), count(*) FILTER (WHERE at > ?) FROM rate_ledger WHERE line = ? AND at > ?")) {
      ps.setLong(1, line.spacedMs() > 0 ? now - line.spacedMs() + line.validityMs() : now - line.windowMs());
      ps.setString(2, line.key());
      ps.setLong(3, now - line.windowMs());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new long[] {rs.getLong(1), rs.getLong(2)};
      }
    }
  }

  private static List<Long> insert(Connection c, List<Line> lines, int n, long now) throws SQLException {
    List<Long> ids = new ArrayList<>(n);
    try (PreparedStatement ps = c.prepareStatement("SELECT nextval('rate_grant_ids') FROM generate_series(1, ?)")) {
      ps.setInt(1, n);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getLong(1));
        }
      }
    }
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO rate_ledger(line, grant_id, at, until) SELECT ?, g, ?, ? FROM unnest(?::bigint[]) AS g")) {
      for (Line line : lines) {
        long at = now + line.validityMs();
        ps.setString(1, line.key());
        ps.setLong(2, at);
        ps.setLong(3, at + line.windowMs());
        ps.setArray(4, c.createArrayOf("bigint", ids.toArray()));
        ps.executeUpdate();
      }
    }
    return ids;
  }

  /**
   * Milliseconds until {@code count} rows in a window of {@code length} drop below {@code limit}:
   * when the oldest row that keeps it full leaves the window. A row's time in that window is its
   * {@code at} less {@code shift}.
   */
  private static long freeIn(Connection c, Line line, long length, long shift, long limit, long count, long now)
      throws SQLException {
    if (count < limit) {
      return 0;
    }
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT at FROM rate_ledger WHERE line = ? AND at > ? ORDER BY at OFFSET ? LIMIT 1")) {
      ps.setString(1, line.key());
      ps.setLong(2, now - length + shift);
      ps.setLong(3, count - limit);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Math.max(1, rs.getLong(1) - shift + length - now) : 1;
      }
    }
  }

  private static void delete(Connection c, List<Long> ids) throws SQLException {
    if (ids.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM rate_ledger WHERE grant_id = ANY(?)")) {
      ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
      ps.executeUpdate();
    }
  }

  /**
   * Deletes rows that stopped counting a while ago, in a transaction of its own (two nodes
   * sweeping at once may wait for each other's row locks; a grant must never wait behind that).
   */
  private void sweepSometimes() {
    try {
      thread.execute(() -> {
        long local = System.currentTimeMillis();
        if (local - sweptAt < SWEEP_MS) {
          return;
        }
        sweptAt = local;
        try {
          inTransaction(c -> {
            long now = longQuery(c, "SELECT floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint");
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM rate_ledger WHERE until < ?")) {
              ps.setLong(1, now - SWEEP_MARGIN_MS);
              return ps.executeUpdate();
            }
          });
        } catch (SQLException e) {
          LOG.debug("rate ledger sweep failed (the next one will catch up): {}", e.getMessage());
        }
      });
    } catch (RejectedExecutionException closed) {
      // closing: the next node to sweep catches up
    }
  }

  private static void query(Connection c, String sql, String arg) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, arg);
      ps.executeQuery().close();
    }
  }

  private static long longQuery(Connection c, String sql) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Runs {@code work} in a transaction of its own on the ledger's thread; completes on the caller's context. */
  private <T> Future<T> run(Database.Work<T> work) {
    Context context = vertx.getOrCreateContext();
    Promise<T> promise = Promise.promise();
    try {
      thread.execute(() -> {
        try {
          T result = inTransaction(work);
          context.runOnContext(v -> promise.complete(result));
        } catch (Throwable e) {
          context.runOnContext(v -> promise.fail(e));
        }
      });
    } catch (RejectedExecutionException e) {
      return Future.failedFuture(new IllegalStateException("the rate ledger is closed"));
    }
    return promise.future();
  }

  private <T> T inTransaction(Database.Work<T> work) throws SQLException {
    Connection c = connection();
    try {
      T result = work.run(c);
      c.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      try {
        c.rollback();
      } catch (SQLException ignored) {
        // the connection is gone: reopened below
      }
      if (!c.isValid(1)) {
        closeConnection();
      }
      throw e;
    }
  }

  private Connection connection() throws SQLException {
    if (connection == null) {
      Connection c = connector.open();
      c.setAutoCommit(false);
      // the count must see every grant committed before this request got the line's lock
      c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
      connection = c;
    }
    return connection;
  }

  private void closeConnection() {
    try {
      if (connection != null) {
        connection.close();
      }
    } catch (SQLException ignored) {
      // closing a broken or finished connection: nothing left to tell
    } finally {
      connection = null;
    }
  }

  /** Finishes the requests under way and closes the connection. Blocks; call from a worker. */
  @Override
  public void close() {
    try {
      thread.execute(this::closeConnection);
    } catch (RejectedExecutionException alreadyClosed) {
      return;
    }
    thread.shutdown();
    try {
      thread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
