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
 * One SQLite file in WAL mode, used off the event loop: a single writer thread that commits
 * queued writes in groups (one fsync for many submits), and a few reader threads with their own
 * connections. Futures complete on the context that asked.
 *
 * <p>Group commit is what makes durable submits cheap: a write is acknowledged only after the
 * transaction holding it committed, but many writes share that commit.
 */
public final class Database implements AutoCloseable {

  /**
   * Work against a connection. Runs on a store thread; may block. A write may run twice (once in
   * a group that failed because of a neighbour, then alone), so it must do nothing but SQL.
   */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private static final int DEFAULT_READERS = 2;
  private static final int MAX_GROUP = 512;
  private static final long CHECKPOINT_MS = 1_000;
  private static final Logger LOG = LoggerFactory.getLogger(Database.class);

  private record Job<T>(Work<T> work, Promise<T> promise, Context context) {}

  private final Vertx vertx;
  private final String url;
  private final java.util.Properties properties;
  private final boolean postgres;
  private final BlockingQueue<Job<?>> writes = new LinkedBlockingQueue<>();
  private final Thread writer;
  private volatile java.util.function.IntConsumer groupObserver = n -> { };
  private final ExecutorService readers;
  private final ThreadLocal<Connection> readerConnection = new ThreadLocal<>();
  private final List<Connection> readerConnections = new ArrayList<>();
  private final Connection writeConnection;
  private final Connection checkpointConnection;
  private final ScheduledExecutorService checkpointer;
  private volatile boolean closed;
  private final Map<Connection, Map<String, PreparedStatement>> statements = new java.util.concurrent.ConcurrentHashMap<>();

  private Database(Vertx vertx, String url, java.util.Properties properties, boolean postgres) throws SQLException {
    this.vertx = vertx;
    this.url = url;
    this.properties = properties;
    this.postgres = postgres;
    this.writeConnection = connect();
    if (!postgres) {
      sqlitePragmas();
    }
    writeConnection.setAutoCommit(false);
    AtomicInteger n = new AtomicInteger();
    this.readers = Executors.newFixedThreadPool(DEFAULT_READERS, r -> {
      Thread t = new Thread(r, "skillhost-store-read-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.writer = new Thread(this::writeLoop, "skillhost-store-write");
    this.writer.setDaemon(true);
    this.writer.start();
    this.checkpointConnection = postgres ? null : connect();
    this.checkpointer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "skillhost-store-checkpoint");
      t.setDaemon(true);
      return t;
    });
    if (!postgres) {
      checkpointer.scheduleWithFixedDelay(() -> checkpoint("PASSIVE"), CHECKPOINT_MS, CHECKPOINT_MS, TimeUnit.MILLISECONDS);
    }
  }

  private void sqlitePragmas() throws SQLException {
    try (Statement st = writeConnection.createStatement()) {
      st.execute("PRAGMA journal_mode=WAL");
      // NORMAL in WAL mode: a commit survives a process crash; only an OS crash or power loss
      // can lose the last transactions, and never corrupts the file.
      st.execute("PRAGMA synchronous=NORMAL");
      // Checkpoints (which fsync) run on their own thread, never inside a commit someone waits for.
      st.execute("PRAGMA wal_autocheckpoint=0");
    }
  }

  /** Copies the WAL into the database file; PASSIVE never blocks the writer or readers. */
  private void checkpoint(String mode) {
    try (Statement st = checkpointConnection.createStatement()) {
      st.execute("PRAGMA wal_checkpoint(" + mode + ")");
    } catch (SQLException e) {
      LOG.warn("store checkpoint failed (will retry): {}", e.getMessage());
    }
  }

  /** Opens (creating if needed) the database file. Blocks briefly; call from a worker or at boot. */
  public static Database open(Vertx vertx, Path file) {
    SQLiteConfig config = new SQLiteConfig();
    config.setBusyTimeout(5000);
    config.enforceForeignKeys(true);
    config.setGetGeneratedKeys(false); // no key scan after every insert: we never ask for them
    try {
      return new Database(vertx, "jdbc:sqlite:" + file.toAbsolutePath(), config.toProperties(), false);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot open the task store at " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Opens a PostgreSQL database given as a {@code postgres://user@host:port/db} store URL, with the
   * same write/read API. A stopgap on the outbox branch so its tests run on a real PostgreSQL; the
   * lead's {@code Database.open(vertx, StoreUrl)} replaces it.
   */
  public static Database openPostgres(Vertx vertx, String storeUrl) {
    java.net.URI uri = java.net.URI.create(storeUrl);
    java.util.Properties props = new java.util.Properties();
    if (uri.getUserInfo() != null) {
      String[] user = uri.getUserInfo().split(":", 2);
      props.setProperty("user", user[0]);
      if (user.length > 1) {
        props.setProperty("password", user[1]);
      }
    }
    String jdbc = "jdbc:postgresql://" + uri.getHost() + ":" + (uri.getPort() < 0 ? 5432 : uri.getPort()) + uri.getPath();
    try {
      return new Database(vertx, jdbc, props, true);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot open the task store at " + jdbc + ": " + e.getMessage(), e);
    }
  }

  /** Whether this store is PostgreSQL (else SQLite): for the few clauses that differ, such as {@code SKIP LOCKED}. */
  public boolean postgres() {
    return postgres;
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(url, properties);
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
      c = connect();
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
   * Brings one part of the schema up to date inside the caller's write transaction: runs the
   * {@code steps} after the version recorded for {@code part} (0 for a file made before steps
   * were recorded) and records the new version, so an existing file is upgraded in place and a
   * new one gets every step. Steps are numbered by their position and never edited once released
   * (the Flyway rule); add a new step instead. SQLite's DDL is transactional: a failed step leaves
   * the file as it was.
   */
  public static void migrate(Connection c, String part, String[] steps) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("CREATE TABLE IF NOT EXISTS schema_versions(part TEXT PRIMARY KEY, version INTEGER NOT NULL)");
    }
    int version = 0;
    try (PreparedStatement ps = c.prepareStatement("SELECT version FROM schema_versions WHERE part = ?")) {
      ps.setString(1, part);
      try (java.sql.ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          version = rs.getInt(1);
        }
      }
    }
    if (version >= steps.length) {
      return;
    }
    try (Statement st = c.createStatement()) {
      for (int i = version; i < steps.length; i++) {
        LOG.info("store: upgrading {} schema to version {}", part, i + 1);
        st.execute(steps[i]);
      }
    }
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO schema_versions(part, version) VALUES (?, ?) ON CONFLICT(part) DO UPDATE SET version = excluded.version")) {
      ps.setString(1, part);
      ps.setInt(2, steps.length);
      ps.executeUpdate();
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
    checkpointer.shutdown();
    try {
      checkpointer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!postgres) {
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
