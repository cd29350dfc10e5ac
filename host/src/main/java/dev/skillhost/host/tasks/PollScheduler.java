package dev.skillhost.host.tasks;

import io.vertx.core.Vertx;
import java.util.PriorityQueue;

/**
 * One timer for every waiting task: a queue ordered by due time and a single Vert.x timer armed
 * for the earliest entry. A thousand waiting tasks cost a thousand small queue entries.
 * Used on the engine's context only.
 */
final class PollScheduler {

  private record Entry(long due, String task, long generation) {}

  private final Vertx vertx;
  private final PriorityQueue<Entry> queue = new PriorityQueue<>((a, b) -> Long.compare(a.due, b.due));
  private final Due onDue;
  private long timerId = -1;
  private long armedFor = Long.MAX_VALUE;
  private boolean closed;

  /** Called for each entry that comes due, with the generation it was scheduled under. */
  interface Due {
    void fire(String task, long generation);
  }

  PollScheduler(Vertx vertx, Due onDue) {
    this.vertx = vertx;
    this.onDue = onDue;
  }

  void schedule(String task, long generation, long due) {
    queue.add(new Entry(due, task, generation));
    if (due < armedFor) {
      arm(due);
    }
  }

  int size() {
    return queue.size();
  }

  void close() {
    closed = true;
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
    queue.clear();
  }

  private void arm(long due) {
    if (closed) {
      return;
    }
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
    armedFor = due;
    timerId = vertx.setTimer(Math.max(1, due - System.currentTimeMillis()), id -> fire());
  }

  private void fire() {
    timerId = -1;
    armedFor = Long.MAX_VALUE;
    long now = System.currentTimeMillis();
    while (!queue.isEmpty() && queue.peek().due <= now) {
      Entry e = queue.poll();
      onDue.fire(e.task, e.generation);
    }
    if (!queue.isEmpty()) {
      arm(queue.peek().due);
    }
  }
}
