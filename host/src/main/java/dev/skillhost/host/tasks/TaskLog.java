package dev.skillhost.host.tasks;

import dev.skillhost.host.store.Task;
import dev.skillhost.host.store.TaskEvent;
import dev.skillhost.host.store.TaskState;
import dev.skillhost.host.store.TaskStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes task changes: the new task value and the events describing it (each with its rendered
 * message) are stored in one transaction, and published only once stored.
 */
final class TaskLog {

  private static final Logger LOG = LoggerFactory.getLogger(TaskLog.class);

  /** An event to append: its type and fields; the state, seq and message come from the change. */
  record Draft(String type, JsonObject data) {}

  private final Vertx vertx;
  private final TaskStore store;
  private final TaskMessages messages;

  TaskLog(Vertx vertx, TaskStore store, TaskMessages messages) {
    this.vertx = vertx;
    this.store = store;
    this.messages = messages;
  }

  TaskMessages messages() {
    return messages;
  }

  /**
   * The change from {@code before} to {@code edited} in state {@code next}: returns the new task
   * value at once and a future that completes once it is stored and published. A {@code state}
   * event is added when the state changes, unless the drafts hold one (to carry more than {@code from}).
   */
  Change change(Task before, TaskState next, Task edited, List<Draft> drafts, long now) {
    return change(before, next, edited, drafts, now, false);
  }

  /**
   * As {@link #change(Task, TaskState, Task, List, long)}; with {@code confirming}, the change
   * gives the task's confirmation and is stored only if the stored task still waits for it
   * ({@link TaskStore#confirm}); otherwise nothing is stored or published and the future fails.
   */
  Change change(Task before, TaskState next, Task edited, List<Draft> drafts, long now, boolean confirming) {
    long seq = before.seq();
    List<TaskEvent> events = new ArrayList<>(drafts.size() + 1);
    List<Draft> all = new ArrayList<>(drafts);
    boolean stated = drafts.stream().anyMatch(d -> TaskEvent.STATE.equals(d.type()));
    if (next != before.state() && !stated) {
      all.add(new Draft(TaskEvent.STATE, new JsonObject().put("from", before.state().wire())));
    }
    Task task = edited.withState(next, seq + all.size(), now);
    for (Draft d : all) {
      events.add(new TaskEvent(task.id(), ++seq, d.type(), next, now, d.data(),
          messages.render(task, d.type(), next, d.data())));
    }
    Future<Void> stored = (confirming ? store.confirm(task, events) : store.save(task, events))
        .onSuccess(v -> events.forEach(e -> publish(e, task.owner())))
        .onFailure(e -> {
          if (!(e instanceof TaskStore.NotAwaiting) && !(e instanceof TaskStore.NotOwned)) {
            LOG.error("could not store a change of task {}", task.id(), e);
          }
        });
    return new Change(task, stored);
  }

  /** A change applied: the task as it now is, and when it is durable and published. */
  record Change(Task task, Future<Void> stored) {}

  void publish(TaskEvent event, String owner) {
    TaskEvents.publish(vertx, event, owner);
  }
}
