package dev.skillhost.host.cluster;

import dev.skillhost.host.store.TaskEvent;
import dev.skillhost.host.tasks.TaskEvents;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts other nodes' events on this node's event bus ({@link TaskEvents#publish}), as if this node
 * had written them: every stream, the owner-wide ones and MCP included, then works on any node.
 *
 * <p>Per task the relay remembers the last seq it published (for the tasks seen lately, a bounded
 * LRU) and keeps each task's events contiguous and once each: a notice after a gap (a notification
 * lost while the LISTEN connection was down) or without its event (too big for a NOTIFY) makes it
 * read the events in between from the store first; notices that arrive during that read wait.
 * After a reconnect it reads every remembered open task's log after its last seq, then tells
 * the streams to do the same ({@link TaskEvents#resyncAddress()}).
 *
 * <p>Runs on the listener's context only (every method, and every read's completion).
 */
public final class EventRelay {

  /** Where missed events are read: the store's {@code TaskStore::events}. */
  @FunctionalInterface
  public interface EventLog {
    Future<List<TaskEvent>> events(String taskId, long after, int limit);
  }

  public static final int DEFAULT_TASKS = 10_000;
  private static final Logger LOG = LoggerFactory.getLogger(EventRelay.class);
  private static final int PAGE = 500;
  private static final int READ_TRIES = 5;
  private static final long RETRY_MS = 200;

  /** One task's relay state. */
  private static final class Track {
    final String task;
    final String owner;
    long last;
    boolean reading;
    boolean done;
    final Deque<EventNotice> waiting = new ArrayDeque<>();

    Track(String task, String owner, long last) {
      this.task = task;
      this.owner = owner;
      this.last = last;
    }
  }

  private final Vertx vertx;
  private final String node;
  private final EventLog log;
  private final Map<String, Track> tracks;
  private volatile long relayed;
  private volatile long read;

  /** @param maxTasks how many tasks' last seqs are remembered; the least recently active go first */
  public EventRelay(Vertx vertx, String node, EventLog log, int maxTasks) {
    this.vertx = vertx;
    this.node = node;
    this.log = log;
    this.tracks = new LinkedHashMap<>(256, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Track> eldest) {
        return size() > maxTasks && !eldest.getValue().reading;
      }
    };
    TaskEvents.registerCodec(vertx);
  }

  /** Wires the relay to {@code listener}'s {@link NotifyHook#CHANNEL}; the listener must run on this relay's context. */
  EventRelay attach(PgListener listener) {
    listener.listen(NotifyHook.CHANNEL, this::notified).onReconnect(this::reconnected);
    return this;
  }

  /** Events put on the bus from notices, and events read from the store to fill gaps (for tests and metrics). */
  public long relayed() {
    return relayed;
  }

  public long readFromStore() {
    return read;
  }

  void notified(String payload) {
    EventNotice n = EventNotice.parse(payload);
    Track t = tracks.get(n.task());
    if (n.node().equals(node)) {
      // published here already, by the writer; remembered only for a task that moved here
      // (takeover), so that its next notice from elsewhere is not taken for a gap
      if (t != null) {
        t.last = Math.max(t.last, n.seq());
      }
      return;
    }
    if (t == null) {
      t = new Track(n.task(), n.owner(), n.seq() - 1);
      tracks.put(n.task(), t);
    }
    t.waiting.add(n);
    drain(t);
  }

  /** Handles waiting notices in order until one needs a read. */
  private void drain(Track t) {
    while (!t.reading && !t.waiting.isEmpty()) {
      EventNotice n = t.waiting.peek();
      if (n.seq() <= t.last) {
        t.waiting.poll();
      } else if (n.seq() == t.last + 1 && n.event() != null) {
        t.waiting.poll();
        relayed++;
        publish(t, n.event());
      } else {
        catchUp(t, n.seq(), 0);
      }
    }
  }

  /** Reads the task's stored events after its last seq, at least up to {@code upTo}, publishing them. */
  private void catchUp(Track t, long upTo, int failures) {
    t.reading = true;
    log.events(t.task, t.last, PAGE).onComplete(ar -> {
      if (ar.failed()) {
        LOG.warn("relay: cannot read the events of task {} after {}: {}", t.task, t.last, ar.cause().getMessage());
        retryOrSkip(t, upTo, failures);
        return;
      }
      List<TaskEvent> events = ar.result();
      for (TaskEvent e : events) {
        if (e.seq() == t.last + 1) {
          read++;
          publish(t, e);
        }
      }
      if (events.size() == PAGE) {
        catchUp(t, upTo, failures);
      } else if (t.last < upTo) {
        // not visible yet to this reader; committed before the NOTIFY, so soon
        retryOrSkip(t, upTo, failures);
      } else {
        t.reading = false;
        drain(t);
      }
    });
  }

  private void retryOrSkip(Track t, long upTo, int failures) {
    if (failures + 1 < READ_TRIES) {
      vertx.setTimer(RETRY_MS << failures, id -> catchUp(t, upTo, failures + 1));
      return;
    }
    // the store does not answer: go on with what the notices carry rather than hold the stream
    LOG.warn("relay: giving up filling task {} after seq {}; its streams read the rest themselves", t.task, t.last);
    t.reading = false;
    while (!t.waiting.isEmpty() && t.waiting.peek().seq() <= upTo) {
      EventNotice n = t.waiting.poll();
      if (n.event() != null && n.seq() > t.last) {
        publish(t, n.event());
      }
      t.last = Math.max(t.last, n.seq());
    }
    drain(t);
  }

  private void publish(Track t, TaskEvent e) {
    t.last = e.seq();
    TaskEvents.publish(vertx, e, t.owner);
    if (TaskEvent.STATE.equals(e.type()) && e.state().terminal()) {
      t.done = true; // kept, so late duplicates are still known as such, until the LRU drops it
    }
  }

  /** After the LISTEN connection was lost: what was notified meanwhile is only in the store. */
  void reconnected() {
    for (Track t : new ArrayList<>(tracks.values())) {
      if (!t.reading && !t.done) {
        catchUp(t, t.last, 0);
      }
    }
    vertx.eventBus().publish(TaskEvents.resyncAddress(), node);
  }
}
