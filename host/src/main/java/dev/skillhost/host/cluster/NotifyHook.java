package dev.skillhost.host.cluster;

import dev.skillhost.host.store.Task;
import dev.skillhost.host.store.TaskEvent;
import dev.skillhost.host.store.TaskStore;
import io.vertx.core.json.JsonObject;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Tells every node about stored events: a {@code pg_notify} on {@link #CHANNEL} inside the task
 * write's own transaction. PostgreSQL delivers notifications only when that transaction commits,
 * in commit order, and drops them with a rollback, so a listener never hears of an event the store
 * does not hold, and a group commit that is undone and re-run notifies once.
 */
public final class NotifyHook implements TaskStore.Hook {

  /** The channel every node listens on for other nodes' events. */
  public static final String CHANNEL = "skillhost_events";

  private static final String SQL = "SELECT pg_notify('" + CHANNEL + "', p) FROM unnest(?::text[]) AS p";

  private final String node;

  /** @param node this node's id ({@code Node.id()}), so listeners skip what they published themselves */
  public NotifyHook(String node) {
    this.node = node;
  }

  @Override
  public void created(Connection c, Task task, JsonObject deliver) {
    // the store calls appended() with the task's first event right after
  }

  @Override
  public void appended(Connection c, Task task, List<TaskEvent> events) throws SQLException {
    if (events.isEmpty()) {
      return;
    }
    String[] payloads = new String[events.size()];
    for (int i = 0; i < payloads.length; i++) {
      payloads[i] = EventNotice.encode(node, task.owner(), events.get(i));
    }
    // one round trip for all of a change's events; unnest keeps their order
    try (PreparedStatement ps = c.prepareStatement(SQL)) {
      Array array = c.createArrayOf("text", payloads);
      ps.setArray(1, array);
      ps.execute();
      array.free();
    }
  }
}
