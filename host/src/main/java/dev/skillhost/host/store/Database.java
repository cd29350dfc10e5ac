package dev.skillhost.host.store;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.sqlite.SQLiteConfig;
import org.slf4j.LoggerFactory;

/**
 * The task store's database, used off the event loop: one SQLite file in WAL mode (the embedded
 * default) or one PostgreSQL database that several hosts share, both through JDBC. A single
 * writer thread commits queued writes in groups (one fsync, or one round trip, for many submits),
 * and a few reader threads have their own connections. Futures complete on the context that asked.
 *
 * <p>Group commit is what makes durable submits cheap: a write is acknowledged only after the
 * transaction holding it committed, but many writes share that commit. The schema is Flyway's
 * ({@link Migrations}), brought up to date before any connection of the store opens.
 */
public final class Database implements AutoCloseable {

  /** Which database: SQL that differs between them asks. */
  public enum Dialect { SQLITE, POSTGRES }

  /**
   * Work against a connection. Runs on a store thread; may block. A write may run twice (once in
   * a group that failed because of a neighbour, then alone), so it must do nothing but SQL.
   */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private static final int SQLITE_READERS = 2;
  /** PostgreSQL serves reads in parallel with the writer and other hosts; a few more readers pay. */
  private static final int POSTGRES_READERS = 4;
  private static final int MAX_GROUP = 512;
  private static final long CHECKPOINT_MS = 1_000;
  private static final Logger LOG = LoggerFactory.getLogger(Database.class);

  private record Job<T>(Work<T> work, Promise<T> promise, Context context) {}

  private final Vertx vertx;
  private final StoreUrl url;
  private final BlockingQueue<Job<?>> writes = new LinkedBlockingQueue<>();
  private final Thread writer;
  private volatile java.util.function.IntConsumer groupObserver = n -> { };
  private final ExecutorService readers;
  private final ThreadLocal<Connection> readerConnection = new ThreadLocal<>();
  private final List<Connection> readerConnections = new ArrayList<>();
  private Connection writeConnection; // the writer thread's; replaced if PostgreSQL drops it
  private final Connection checkpointConnection;
  private final ScheduledExecutorService checkpointer;
  private volatile boolean closed;
  private final Map<Connection, Map<String, PreparedStatement>> statements = new java.util.concurrent.ConcurrentHashMap<>();

  private Database(Vertx vertx, StoreUrl url) throws SQLException {
    this.vertx = vertx;
    this.url = url;
    this.writeConnection = openConnection();
    if (sqlite()) {
      try (Statement st = writeConnection.createStatement()) {
        st.execute("PRAGMA journal_mode=WAL");
        // NORMAL in WAL mode: a commit survives a process crash; only an OS crash or power loss
        // can lose the last transactions, and never corrupts the file.
        st.execute("PRAGMA synchronous=NORMAL");
        // Checkpoints (which fsync) run on their own thread, never inside a commit someone waits for.
        st.execute("PRAGMA wal_autocheckpoint=0");
      }
    }
    writeConnection.setAutoCommit(false);
    AtomicInteger n = new AtomicInteger();
    this.readers = Executors.newFixedThreadPool(sqlite() ? SQLITE_READERS : POSTGRES_READERS, r -> {
      Thread t = new Thread(r, "skillhost-store-read-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.writer = new Thread(this::writeLoop, "skillhost-store-write");
    this.writer.setDaemon(true);
    this.writer.start();
    if (sqlite()) {
      this.checkpointConnection = openConnection();
      this.checkpointer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "skillhost-store-checkpoint");
        t.setDaemon(true);
        return t;
      });
      checkpointer.scheduleWithFixedDelay(() -> checkpoint("PASSIVE"), CHECKPOINT_MS, CHECKPOINT_MS, TimeUnit.MILLISECONDS);
    } else {
      this.checkpointConnection = null;
      this.checkpointer = null;
    }
  }

  /** Copies the WAL into the database file; PASSIVE never blocks the writer or readers. SQLite only. */
  private void checkpoint(String mode) {
    if (checkpointConnection == null) {
      return;
    }
    try (Statement st = checkpointConnection.createStatement()) {
      st.execute("PRAGMA wal_checkpoint(" + mode + ")");
    } catch (SQLException e) {
      LOG.warn("store checkpoint failed (will retry): {}", e.getMessage());
    }
  }

  /** Opens (creating if needed) a SQLite database file. Blocks briefly; call from a worker or at boot. */
  public static Database open(Vertx vertx, Path file) {
    return open(vertx, StoreUrl.sqlite(file));
  }

  /**
   * Opens the store at {@code url}, first bringing its schema up to date. Blocks (connects,
   * migrates); call from a worker or at boot.
   */
  public static Database open(Vertx vertx, StoreUrl url) {
    try {
      Migrations.run(url);
      return new Database(vertx, url);
    } catch (SQLException | RuntimeException e) {
      throw new IllegalStateException("cannot open the task store at " + url + ": " + e.getMessage(), e);
    }
  }

  public Dialect dialect() {
    return url.dialect();
  }

  /** Whether this is PostgreSQL (several hosts may share it), not the embedded SQLite file. */
  public boolean postgres() {
    return url.dialect() == Dialect.POSTGRES;
  }

  private boolean sqlite() {
    return url.dialect() == Dialect.SQLITE;
  }

  /**
   * A new connection of the store's own, for work that needs one to itself (PostgreSQL's
   * {@code LISTEN}); the caller closes it. Blocks: call from a thread that may.
   */
  public Connection openConnection() throws SQLException {
    if (sqlite()) {
      SQLiteConfig config = new SQLiteConfig();
      config.setBusyTimeout(5000);
      config.enforceForeignKeys(true);
      config.setGetGeneratedKeys(false); // no key scan after every insert: we never ask for them
      return DriverManager.getConnection(url.jdbc(), config.toProperties());
    }
    java.util.Properties props = new java.util.Properties();
    if (url.user() != null) {
      props.setProperty("user", url.user());
    }
    if (url.password() != null) {
      props.setProperty("password", url.password());
    }
    props.setProperty("ApplicationName", "skillhost");
    props.setProperty("tcpKeepAlive", "true");
    return DriverManager.getConnection(url.jdbc(), props);
  }

  /** Runs {@code work} in the next group transaction; completes after that transaction commits. */
  public <T> Future<T> write(Work<T> work) {
    Promise<T> promise = Promise.promise();
    if (closed) {
      return Future.failedFuture(new IllegalStateException("the task store is closed"));
    }
    writes.add(new Job<>(work, promise, vertx.getOrCreateContext()));
    return promise.future();
  }

  /** Runs {@code work} on a reader connection (sees every committed write). */
  public <T> Future<T> read(Work<T> work) {
    Promise<T> promise = Promise.promise();
    Context context = vertx.getOrCreateContext();
    try {
      readers.execute(() -> {
        try {
          T result = work.run(readerConnection());
          context.runOnContext(v -> promise.complete(result));
        } catch (Throwable e) {
          Connection c = readerConnection.get();
          if (c != null && lost(e, c)) {
            // a new connection for this reader's next read (PostgreSQL restarted, the network cut)
            readerConnection.remove();
            statements.remove(c);
            closeQuietly(c);
          }
          context.runOnContext(v -> promise.fail(e));
        }
      });
    } catch (RuntimeException rejected) {
      return Future.failedFuture(new IllegalStateException("the task store is closed"));
    }
    return promise.future();
  }

  private Connection readerConnection() throws SQLException {
    Connection c = readerConnection.get();
    if (c == null) {
      c = openConnection();
      readerConnection.set(c);
      synchronized (readerConnections) {
        readerConnections.add(c);
      }
    }
    return c;
  }

  /** Told the size of each group that committed (on the writer thread; keep it cheap), for metrics. */
  public void onGroupCommit(java.util.function.IntConsumer observer) {
    this.groupObserver = observer;
  }

  private void writeLoop() {
    List<Job<?>> group = new ArrayList<>(MAX_GROUP);
    while (!closed || !writes.isEmpty()) {
      try {
        Job<?> first = writes.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        group.add(first);
        writes.drainTo(group, MAX_GROUP - 1);
        commitGroup(group);
        groupObserver.accept(group.size());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } finally {
        group.clear();
      }
    }
  }

  private void commitGroup(List<Job<?>> group) {
    Object[] results = new Object[group.size()];
    Throwable[] failures = new Throwable[group.size()];
    try {
      for (int i = 0; i < group.size(); i++) {
        results[i] = group.get(i).work().run(writeConnection);
      }
      writeConnection.commit();
    } catch (Throwable groupFailure) {
      if (lost(groupFailure, writeConnection)) {
        // The connection went (PostgreSQL restarted, the network cut): whether the commit landed is
        // unknown, so no write is tried again here; each fails, and the next group gets a new connection.
        LOG.warn("store: the write connection was lost ({}); {} writes fail, reconnecting", groupFailure.toString(),
            group.size());
        java.util.Arrays.fill(failures, new SQLException("the store's connection was lost; the write may not have"
            + " been committed", "08006", groupFailure));
        reconnectWriter();
        completeAll(group, results, failures);
        return;
      }
      // Rare: one write failed (a constraint, a bug). Undo the group and give each write its own
      // transaction, so only the faulty one fails. Cheaper than a savepoint around every write.
      rollbackQuietly();
      for (int i = 0; i < group.size(); i++) {
        try {
          results[i] = group.get(i).work().run(writeConnection);
          writeConnection.commit();
        } catch (Throwable e) {
          rollbackQuietly();
          failures[i] = e;
        }
      }
    }
    completeAll(group, results, failures);
  }

  private void completeAll(List<Job<?>> group, Object[] results, Throwable[] failures) {
    // One wake-up per waiting context, not one per write: under load a group holds hundreds.
    Map<Context, List<Runnable>> byContext = new IdentityHashMap<>();
    for (int i = 0; i < group.size(); i++) {
      Job<?> job = group.get(i);
      Object result = results[i];
      Throwable failure = failures[i];
      byContext.computeIfAbsent(job.context(), c -> new ArrayList<>()).add(() -> complete(job, result, failure));
    }
    byContext.forEach((context, completions) -> context.runOnContext(v -> completions.forEach(Runnable::run)));
  }

  @SuppressWarnings("unchecked")
  private static <T> void complete(Job<T> job, Object result, Throwable failure) {
    if (failure != null) {
      job.promise().fail(failure);
    } else {
      job.promise().complete((T) result);
    }
  }

  /**
   * A prepared statement for {@code sql} on {@code connection}, compiled once and kept: the
   * caller must not close it. For use inside {@link Work} only (one thread per connection).
   */
  public PreparedStatement statement(Connection connection, String sql) throws SQLException {
    Map<String, PreparedStatement> cache = statements.computeIfAbsent(connection, c -> new HashMap<>());
    PreparedStatement ps = cache.get(sql);
    if (ps == null) {
      ps = connection.prepareStatement(sql);
      cache.put(sql, ps);
    }
    return ps;
  }

  /** Flushes queued writes, then closes every connection. Blocks; call from a worker. */
  @Override
  public void close() {
    closed = true;
    try {
      writer.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (checkpointer != null) {
      checkpointer.shutdown();
      try {
        checkpointer.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      checkpoint("TRUNCATE");
      closeQuietly(checkpointConnection);
    }
    readers.shutdown();
    try {
      readers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeQuietly(writeConnection);
    synchronized (readerConnections) {
      readerConnections.forEach(Database::closeQuietly);
    }
  }

  /** Whether {@code failure} means the connection itself is gone (SQL state class 08), not one statement failed. */
  private static boolean lost(Throwable failure, Connection c) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLException e && e.getSQLState() != null && e.getSQLState().startsWith("08")) {
        return true;
      }
    }
    try {
      return c.isClosed();
    } catch (SQLException e) {
      return true;
    }
  }

  private void reconnectWriter() {
    statements.remove(writeConnection);
    closeQuietly(writeConnection);
    try {
      Connection c = openConnection();
      c.setAutoCommit(false);
      writeConnection = c;
    } catch (SQLException e) {
      LOG.warn("store: cannot reconnect yet ({}); the next write tries again", e.getMessage());
      // writeConnection stays the closed one: the next group fails as lost and tries again
    }
  }

  private void rollbackQuietly() {
    try {
      writeConnection.rollback();
    } catch (SQLException ignored) {
      // the failure being handled is what the callers hear about
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // closing at shutdown: nothing left to tell
    }
  }
}
