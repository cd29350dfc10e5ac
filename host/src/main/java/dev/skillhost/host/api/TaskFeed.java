package dev.skillhost.host.api;

import dev.skillhost.host.store.TaskEvent;
import dev.skillhost.host.tasks.TaskEngineVerticle;
import dev.skillhost.host.tasks.TaskEvents;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One task's events for one stream: every stored event after {@code since}, then live ones, each
 * exactly once and in order. Live events that arrive while the stored ones are read are held and
 * de-duplicated by seq. Shared by SSE and WebSocket, which differ only in how they write.
 *
 * <p>The feed fills gaps itself: a live event more than one past the last one sent (one missed on
 * the bus, or another node's event lost while the cluster's LISTEN connection was down) is held
 * while the stored events in between are read; a {@link TaskEvents#resyncAddress() resync} makes
 * it read whatever the log holds after its last seq.
 */
final class TaskFeed {

  /** Reads the task's stored events with {@code seq > after}, at most {@code limit}. */
  @FunctionalInterface
  interface Reader {
    Future<List<TaskEvent>> after(long after, int limit);
  }

  /** Where a feed writes. Called on the context that opened the feed. */
  interface Sink {
    /** Writes one event; false when the reader is too slow and the feed must stop. */
    boolean write(TaskEvent event);

    /** The task has finished and its last event was written. */
    void end();
  }

  private static final int PAGE = 1000;
  private static final int MAX_REREADS = 3;

  private static final Logger LOG = LoggerFactory.getLogger(TaskFeed.class);

  private final MessageConsumer<TaskEvent> consumer;
  private final MessageConsumer<Object> resync;
  private final Reader reader;
  private final Sink sink;
  private List<TaskEvent> held = new ArrayList<>();
  private long last;
  private int rereads;
  private boolean closed;

  private TaskFeed(Vertx vertx, String taskId, long since, Reader reader, Sink sink) {
    this.reader = reader;
    this.sink = sink;
    this.last = since;
    this.consumer = vertx.eventBus().consumer(TaskEvents.taskAddress(taskId), m -> live(m.body()));
    this.resync = vertx.eventBus().consumer(TaskEvents.resyncAddress(), m -> fill(null));
  }

  /** Opens a feed; fails (not found) if the task is not the owner's. */
  static Future<TaskFeed> open(Vertx vertx, TaskEngineVerticle engine, String owner, String taskId, long since,
      Sink sink) {
    return open(vertx, (after, limit) -> engine.events(owner, taskId, after, limit), taskId, since, sink);
  }

  /** Opens a feed on the events {@code reader} reads; fails as the first read fails. */
  static Future<TaskFeed> open(Vertx vertx, Reader reader, String taskId, long since, Sink sink) {
    TaskFeed feed = new TaskFeed(vertx, taskId, since, reader, sink);
    return feed.replay().map(feed).onFailure(e -> feed.close());
  }

  /** Sends the stored events after {@code last}, then the live ones held meanwhile. */
  private Future<Void> replay() {
    return reader.after(last, PAGE).compose(events -> {
      for (TaskEvent e : events) {
        if (!deliver(e)) {
          return Future.succeededFuture();
        }
      }
      if (events.size() == PAGE) {
        return replay();
      }
      deliverHeld();
      return Future.succeededFuture();
    });
  }

  /**
   * Sends the held live events; one past a gap the read did not fill (the read began before the
   * missing event was committed) makes another read first, a few times at most.
   */
  private void deliverHeld() {
    List<TaskEvent> pending = held;
    held = null;
    for (int i = 0; i < pending.size(); i++) {
      TaskEvent e = pending.get(i);
      if (e.seq() > last + 1 && rereads < MAX_REREADS) {
        rereads++;
        read(new ArrayList<>(pending.subList(i, pending.size())));
        return;
      }
      if (!deliver(e)) {
        return;
      }
    }
    rereads = 0;
  }

  private void live(TaskEvent event) {
    if (held != null) {
      held.add(event);
    } else if (event.seq() > last + 1) {
      fill(event);
    } else {
      deliver(event);
    }
  }

  /** Reads the log after {@code last} before sending {@code next} (null: whatever was missed). */
  private void fill(TaskEvent next) {
    if (closed) {
      return;
    }
    if (held != null) {
      if (next != null) {
        held.add(next);
      }
      return;
    }
    List<TaskEvent> hold = new ArrayList<>();
    if (next != null) {
      hold.add(next);
    }
    read(hold);
  }

  /** Holds {@code hold} (live events, in order) while the log after {@code last} is read and sent. */
  private void read(List<TaskEvent> hold) {
    held = hold;
    replay().onFailure(e -> {
      // the store did not answer: better the live events with a gap than a stream that stalls
      LOG.warn("feed: cannot read stored events after {} to fill a gap: {}", last, e.getMessage());
      if (held != null) {
        deliverHeld();
      }
    });
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
      resync.unregister();
    }
  }
}
