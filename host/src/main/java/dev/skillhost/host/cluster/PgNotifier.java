package dev.skillhost.host.cluster;

import dev.skillhost.host.store.Connector;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends notifications that belong to no task write (node calls and their replies): one autocommit
 * connection of its own, used by one thread, so a NOTIFY is sent as soon as it is asked for and
 * never waits for a group commit. A broken connection is opened again for the next send.
 */
final class PgNotifier implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PgNotifier.class);

  private final Vertx vertx;
  private final Connector connector;
  private final ExecutorService thread;
  private Connection connection;

  public PgNotifier(Vertx vertx, Connector connector, String name) {
    this.vertx = vertx;
    this.connector = connector;
    this.thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "skillhost-" + name);
      t.setDaemon(true);
      return t;
    });
  }

  /** Notifies {@code channel}; completes on the caller's context once PostgreSQL took it. */
  public Future<Void> send(String channel, String payload) {
    if (payload.getBytes(StandardCharsets.UTF_8).length >= EventNotice.MAX_PAYLOAD) {
      return Future.failedFuture(new IllegalArgumentException("a notification payload must stay under "
          + EventNotice.MAX_PAYLOAD + " bytes"));
    }
    Context caller = vertx.getOrCreateContext();
    Promise<Void> promise = Promise.promise();
    try {
      thread.execute(() -> {
        try {
          notifyOnce(channel, payload);
          caller.runOnContext(v -> promise.complete());
        } catch (SQLException e) {
          caller.runOnContext(v -> promise.fail(e));
        }
      });
    } catch (RejectedExecutionException closed) {
      return Future.failedFuture(new IllegalStateException("the notifier is closed"));
    }
    return promise.future();
  }

  private void notifyOnce(String channel, String payload) throws SQLException {
    for (int attempt = 0; ; attempt++) {
      try {
        if (connection == null) {
          connection = connector.open();
          connection.setAutoCommit(true);
        }
        try (PreparedStatement ps = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
          ps.setString(1, channel);
          ps.setString(2, payload);
          ps.execute();
        }
        return;
      } catch (SQLException e) {
        closeConnection();
        if (attempt > 0) {
          throw e;
        }
        LOG.debug("notifier connection failed ({}), opening another", e.getMessage());
      }
    }
  }

  private void closeConnection() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // it is broken already
      }
      connection = null;
    }
  }

  @Override
  public void close() {
    thread.execute(this::closeConnection);
    thread.shutdown();
  }
}
