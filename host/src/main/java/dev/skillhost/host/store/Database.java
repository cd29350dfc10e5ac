package dev.skillhost.host.store;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One SQLite file in WAL mode, used off the event loop: a single writer thread that commits
 * queued writes in groups (one fsync for many submits), and a few reader threads with their own
 * connections. Futures complete on the context that asked.
 *
 * <p>Group commit is what makes durable submits cheap: a write is acknowledged only after the
 * transaction holding it committed, but many writes share that commit.
 */
public final class Database implements AutoCloseable {

  /** Work against a connection. Runs on a store thread; may block. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private static final int DEFAULT_READERS = 2;
  private static final int MAX_GROUP = 512;

  private record Job<T>(Work<T> work, Promise<T> promise, Context context) {}

  private final Vertx vertx;
  private final String url;
  private final BlockingQueue<Job<?>> writes = new LinkedBlockingQueue<>();
  private final Thread writer;
  private final ExecutorService readers;
  private final ThreadLocal<Connection> readerConnection = new ThreadLocal<>();
  private final List<Connection> readerConnections = new ArrayList<>();
  private final Connection writeConnection;
  private volatile boolean closed;

  private Database(Vertx vertx, Path file) throws SQLException {
    this.vertx = vertx;
    this.url = "jdbc:sqlite:" + file.toAbsolutePath();
    this.writeConnection = connect();
    try (Statement st = writeConnection.createStatement()) {
      st.execute("PRAGMA journal_mode=WAL");
      // NORMAL in WAL mode: a commit survives a process crash; only an OS crash or power loss
      // can lose the last transactions, and never corrupts the file.
      st.execute("PRAGMA synchronous=NORMAL");
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
  }

  /** Opens (creating if needed) the database file. Blocks briefly; call from a worker or at boot. */
  public static Database open(Vertx vertx, Path file) {
    try {
      return new Database(vertx, file);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot open the task store at " + file + ": " + e.getMessage(), e);
    }
  }

  private Connection connect() throws SQLException {
    Connection c = DriverManager.getConnection(url);
    try (Statement st = c.createStatement()) {
      st.execute("PRAGMA busy_timeout=5000");
      st.execute("PRAGMA foreign_keys=ON");
    }
    return c;
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
        // A savepoint per job: one failing write (a constraint, a bug) must not undo the others.
        Savepoint sp = writeConnection.setSavepoint();
        try {
          results[i] = group.get(i).work().run(writeConnection);
          writeConnection.releaseSavepoint(sp);
        } catch (Throwable e) {
          writeConnection.rollback(sp);
          failures[i] = e;
        }
      }
      writeConnection.commit();
    } catch (Throwable e) {
      try {
        writeConnection.rollback();
      } catch (SQLException ignored) {
        // the commit failure below is what the callers need to hear about
      }
      for (int i = 0; i < group.size(); i++) {
        failures[i] = e;
      }
    }
    for (int i = 0; i < group.size(); i++) {
      complete(group.get(i), results[i], failures[i]);
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> void complete(Job<T> job, Object result, Throwable failure) {
    job.context().runOnContext(v -> {
      if (failure != null) {
        job.promise().fail(failure);
      } else {
        job.promise().complete((T) result);
      }
    });
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

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // closing at shutdown: nothing left to tell
    }
  }
}
