package dev.skillhost.host.tasks;

import io.vertx.core.Vertx;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.LongSupplier;

/**
 * Tasks waiting for room under a rate limit, in line: one line per provider account and call,
 * one timer per line. When a call is due the task at the head goes; newcomers join the line while
 * anyone waits. Without it, every waiting task would wake when room came and all but one would
 * go back to sleep: a herd whose random winner let some tasks wait many turns.
 *
 * <p>The line is first come, first served, except that a task whose provider said its answer is
 * ready on the next look ({@link Active#urgent}: Lovart saw "done" and needs one more read for the
 * result) goes first: that look finishes a task, the others may only find it still running (the
 * Lovart bench: 1,000 tasks on 5 reads a second). Part of {@link TaskRunner}; engine context only.
 */
final class Throttle {

  private record Waiter(Active a, long generation, long seq, boolean urgent) {}

  private static final Comparator<Waiter> ORDER =
      Comparator.comparing((Waiter w) -> !w.urgent()).thenComparingLong(Waiter::seq);

  private final Vertx vertx;
  private final TaskRunner r;
  private final Map<String, PriorityQueue<Waiter>> lines = new HashMap<>();
  private final Map<String, Long> timers = new HashMap<>();
  private long arrivals;
  private long waiters;

  Throttle(Vertx vertx, TaskRunner r) {
    this.vertx = vertx;
    this.r = r;
  }

  /** Whether tasks wait in this line (a newcomer must queue behind them). */
  boolean waiting(String line) {
    PriorityQueue<Waiter> q = lines.get(line);
    return q != null && !q.isEmpty();
  }

  /** How many wait in this line (entries of tasks no longer waiting included until their turn). */
  int size(String line) {
    PriorityQueue<Waiter> q = lines.get(line);
    return q == null ? 0 : q.size();
  }

  /**
   * Puts the task in line, keeping its place if it was let out but found no room after all.
   * {@code nextRoom} tells when the next call is due, for the line's timer.
   */
  void park(String line, Active a, LongSupplier nextRoom) {
    if (a.lineSeq == 0) {
      a.lineSeq = ++arrivals;
    }
    Waiter w = new Waiter(a, ++a.generation, a.lineSeq, a.urgent); // no scheduled look while it waits
    lines.computeIfAbsent(line, k -> new PriorityQueue<>(ORDER)).add(w);
    depth(+1);
    arm(line, nextRoom);
  }

  private void arm(String line, LongSupplier nextRoom) {
    if (timers.containsKey(line)) {
      return;
    }
    long wait = Math.max(1, nextRoom.getAsLong());
    timers.put(line, vertx.setTimer(wait, t -> release(line, nextRoom)));
  }

  /** Room for a call: the first task still waiting goes; the line waits for the next room. */
  private void release(String line, LongSupplier nextRoom) {
    timers.remove(line);
    PriorityQueue<Waiter> q = lines.get(line);
    while (q != null && !q.isEmpty()) {
      Waiter w = q.poll();
      depth(-1);
      if (r.current(w.a()) && w.a().generation == w.generation()) {
        w.a().released = true;
        r.step(w.a());
        break;
      }
    }
    if (q != null && q.isEmpty()) {
      lines.remove(line);
    } else if (q != null) {
      arm(line, nextRoom);
    }
  }

  void clear() {
    timers.values().forEach(vertx::cancelTimer);
    timers.clear();
    lines.clear();
    depth(-waiters);
  }

  /** Counts entries in line (a task let out and parked again is one entry again), for the queue-depth gauge. */
  private void depth(long delta) {
    waiters += delta;
    r.metrics.waitingForRoom(waiters);
  }
}
