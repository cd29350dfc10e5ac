package dev.skillhost.host.tasks;

import dev.skillhost.host.store.Task;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * Sends a command for a task this node does not run to the node that does ({@code cluster.NodeCalls}).
 * The engine asks it only for an unfinished task it has no hold of; on one node nothing is forwarded.
 */
public interface Forwarder {

  /** The commands a user gives a running task. */
  enum Command {
    CANCEL, CONFIRM;

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The command named {@code wire}; IllegalArgumentException for another name. */
    public static Command ofWire(String wire) {
      return valueOf(wire.toUpperCase(java.util.Locale.ROOT));
    }
  }

  /** Forwards nothing: this node answers every command itself. */
  Forwarder NONE = (command, owner, taskId) -> Future.succeededFuture(Optional.empty());

  /**
   * Runs {@code command} on the live node that watches the task: its answer (the task as it then
   * is, or its {@link TaskRejected}), or empty when no other live node watches it and this node
   * must answer. Fails with {@link TaskRejected.Reason#NODE_UNAVAILABLE} when that node does not answer.
   */
  Future<Optional<Task>> forward(Command command, String owner, String taskId);
}
