package dev.skillhost.host.tasks;

import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Tasks waiting for a rate-limit token, in line: one queue per provider account and call, one
 * timer per queue. When a token is due the task at the head goes; newcomers join the tail while
 * anyone waits. Without it, every waiting task would wake when the bucket refills and all but
 * one would go back to sleep: a herd whose random winner let some tasks wait many turns (the
 * Lovart bench: 1,000 tasks on 5 reads a second). Part of {@link TaskRunner}; engine context only.
 */
final class Throttle {

  private record Waiter(Active a, long generation) {}

  private final Vertx vertx;
  private final TaskRunner r;
  private final Map<String, Deque<Waiter>> lines = new HashMap<>();
  private final Map<String, Long> timers = new HashMap<>();

  Throttle(Vertx vertx, TaskRunner r) {
    this.vertx = vertx;
    this.r = r;
  }

  /** Whether tasks wait in this line (a newcomer must queue behind them). */
  boolean waiting(String line) {
    Deque<Waiter> q = lines.get(line);
    return q != null && !q.isEmpty();
  }

  /**
   * Puts the task in line: at the tail, or back at the head when it was released but found the
   * token gone. {@code nextToken} tells when the next token is due, for the line's timer.
   */
  void park(String line, Active a, boolean head, LongSupplier nextToken) {
    Waiter w = new Waiter(a, ++a.generation); // no scheduled look while it waits in line
    Deque<Waiter> q = lines.computeIfAbsent(line, k -> new ArrayDeque<>());
    if (head) {
      q.addFirst(w);
    } else {
      q.addLast(w);
    }
    arm(line, nextToken);
  }

  private void arm(String line, LongSupplier nextToken) {
    if (timers.containsKey(line)) {
      return;
    }
    long wait = Math.max(1, nextToken.getAsLong());
    timers.put(line, vertx.setTimer(wait, t -> release(line, nextToken)));
  }

  /** A token is due: the first task still waiting goes; the line waits for the next one. */
  private void release(String line, LongSupplier nextToken) {
    timers.remove(line);
    Deque<Waiter> q = lines.get(line);
    while (q != null && !q.isEmpty()) {
      Waiter w = q.poll();
      if (r.current(w.a()) && w.a().generation == w.generation()) {
        w.a().released = true;
        r.step(w.a());
        break;
      }
    }
    if (q != null && q.isEmpty()) {
      lines.remove(line);
    } else if (q != null) {
      arm(line, nextToken);
    }
  }

  void clear() {
    timers.values().forEach(vertx::cancelTimer);
    timers.clear();
    lines.clear();
  }
}
