package dev.skillhost.host.cluster;

import dev.skillhost.host.store.Connector;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's one LISTEN connection: waits for notifications on a daemon thread of its own (pgjdbc's
 * {@code getNotifications} blocks, so never on an event loop) and hands each batch, in the order
 * PostgreSQL delivered it, to the channel's handler on one Vert.x context.
 *
 * <p>A dropped connection (server restart, {@code pg_terminate_backend}, a network cut found by
 * the idle probe) is opened again with backoff; whatever was notified in between is lost, so the
 * reconnect handlers run once it listens again, for the readers to catch up from the store.
 */
final class PgListener implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PgListener.class);
  private static final int WAIT_MS = 500;
  /** With no notification for this long, a {@code SELECT 1} proves the connection still there. */
  private static final long PROBE_MS = 5_000;
  private static final long MAX_BACKOFF_MS = 2_000;

  private final Connector connector;
  private final String name;
  private final Context context;
  private final Map<String, Consumer<String>> channels = new LinkedHashMap<>();
  private final List<Runnable> reconnected = new ArrayList<>();
  private final Promise<Void> listening = Promise.promise();
  private volatile boolean closed;
  private volatile int connections;
  private Thread thread;

  /**
   * @param name    shown as the connection's {@code application_name} (operators find it in
   *                {@code pg_stat_activity}), e.g. {@code skillhost-listen-<node>}
   * @param context where handlers run
   */
  public PgListener(Connector connector, String name, Context context) {
    this.connector = connector;
    this.name = name;
    this.context = context;
  }

  /** Calls {@code handler} with each payload on {@code channel}. Before {@link #start()}. */
  public PgListener listen(String channel, Consumer<String> handler) {
    channels.put(channel, handler);
    return this;
  }

  /** Runs {@code handler} each time the connection listens again after a drop. Before {@link #start()}. */
  public PgListener onReconnect(Runnable handler) {
    reconnected.add(handler);
    return this;
  }

  /** Starts listening; completes once the first LISTEN is in place, fails if that first connect fails. */
  public Future<Void> start() {
    thread = new Thread(this::run, "skillhost-" + name);
    thread.setDaemon(true);
    thread.start();
    return listening.future();
  }

  /** How many times a connection was opened and listened (1 until the first drop). */
  public int connections() {
    return connections;
  }

  private void run() {
    long backoff = 100;
    while (!closed) {
      try (Connection c = connector.open()) {
        listenOn(c);
        connections++;
        backoff = 100;
        if (connections == 1) {
          context.runOnContext(v -> listening.tryComplete());
        } else {
          LOG.info("{}: listening again, catching up from the store", name);
          context.runOnContext(v -> reconnected.forEach(Runnable::run));
        }
        pump(c);
      } catch (SQLException | RuntimeException e) {
        if (closed) {
          return;
        }
        if (connections == 0) {
          IllegalStateException failure = new IllegalStateException("cannot LISTEN on the store: " + e.getMessage(), e);
          context.runOnContext(v -> listening.tryFail(failure));
          return;
        }
        LOG.warn("{}: the LISTEN connection dropped ({}); opening it again", name, e.getMessage());
        sleep(backoff);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      }
    }
  }

  private void listenOn(Connection c) throws SQLException {
    c.setAutoCommit(true);
    try (PreparedStatement ps = c.prepareStatement("SELECT set_config('application_name', ?, false)")) {
      ps.setString(1, name);
      ps.execute();
    }
    try (Statement st = c.createStatement()) {
      for (String channel : channels.keySet()) {
        st.execute("LISTEN \"" + channel.replace("\"", "\"\"") + "\"");
      }
    }
  }

  private void pump(Connection c) throws SQLException {
    PGConnection pg = c.unwrap(PGConnection.class);
    long quietSince = System.currentTimeMillis();
    while (!closed) {
      PGNotification[] got = pg.getNotifications(WAIT_MS);
      long now = System.currentTimeMillis();
      if (got != null && got.length > 0) {
        quietSince = now;
        context.runOnContext(v -> dispatch(got));
      } else if (now - quietSince > PROBE_MS) {
        try (Statement st = c.createStatement()) {
          st.execute("SELECT 1");
        }
        quietSince = now;
      }
    }
  }

  private void dispatch(PGNotification[] batch) {
    for (PGNotification n : batch) {
      Consumer<String> handler = channels.get(n.getName());
      if (handler == null) {
        continue;
      }
      try {
        handler.accept(n.getParameter());
      } catch (RuntimeException e) {
        LOG.warn("{}: a notification on {} was not handled: {}", name, n.getName(), e.getMessage());
      }
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops listening; the connection closes within about half a second. */
  @Override
  public void close() {
    closed = true;
    context.runOnContext(v -> listening.tryFail("closed"));
  }
}
