package dev.skillhost.host.api;

import dev.skillhost.host.store.TaskEvent;
import dev.skillhost.host.tasks.TaskEngineVerticle;
import dev.skillhost.host.tasks.TaskEvents;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.List;

/**
 * One task's events for one stream: every stored event after {@code since}, then live ones, each
 * exactly once and in order. Live events that arrive while the stored ones are read are held and
 * de-duplicated by seq. Shared by SSE and WebSocket, which differ only in how they write.
 */
final class TaskFeed {

  /** Where a feed writes. Called on the context that opened the feed. */
  interface Sink {
    /** Writes one event; false when the reader is too slow and the feed must stop. */
    boolean write(TaskEvent event);

    /** The task has finished and its last event was written. */
    void end();
  }

  private static final int PAGE = 1000;

  private final MessageConsumer<TaskEvent> consumer;
  private final Sink sink;
  private List<TaskEvent> held = new ArrayList<>();
  private long last;
  private boolean closed;

  private TaskFeed(Vertx vertx, String taskId, long since, Sink sink) {
    this.sink = sink;
    this.last = since;
    this.consumer = vertx.eventBus().consumer(TaskEvents.taskAddress(taskId), m -> live(m.body()));
  }

  /** Opens a feed; fails (not found) if the task is not the owner's. */
  static Future<TaskFeed> open(Vertx vertx, TaskEngineVerticle engine, String owner, String taskId, long since,
      Sink sink) {
    TaskFeed feed = new TaskFeed(vertx, taskId, since, sink);
    return feed.replay(engine, owner, taskId).map(feed).onFailure(e -> feed.close());
  }

  private Future<Void> replay(TaskEngineVerticle engine, String owner, String taskId) {
    return engine.events(owner, taskId, last, PAGE).compose(events -> {
      for (TaskEvent e : events) {
        if (!deliver(e)) {
          return Future.succeededFuture();
        }
      }
      if (events.size() == PAGE) {
        return replay(engine, owner, taskId);
      }
      List<TaskEvent> pending = held;
      held = null;
      for (TaskEvent e : pending) {
        if (!deliver(e)) {
          break;
        }
      }
      return Future.succeededFuture();
    });
  }

  private void live(TaskEvent event) {
    if (held != null) {
      held.add(event);
    } else {
      deliver(event);
    }
  }

  private boolean deliver(TaskEvent event) {
    if (closed) {
      return false;
    }
    if (event.seq() <= last) {
      return true;
    }
    last = event.seq();
    if (!sink.write(event)) {
      close();
      return false;
    }
    if (TaskEvent.STATE.equals(event.type()) && event.state().terminal()) {
      close();
      sink.end();
      return false;
    }
    return true;
  }

  void close() {
    if (!closed) {
      closed = true;
      consumer.unregister();
    }
  }
}
