package dev.skillhost.host.tasks;

import dev.skillhost.api.Provider;
import dev.skillhost.host.plugins.LiveProvider;
import dev.skillhost.host.store.TaskState;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One task at a time per {@link Provider#queueKey queue key} (a Lovart thread, say): the first
 * task to be sent holds the lane until it ends; later ones wait, queued, in arrival order, and the
 * next one is sent when the lane frees. The backend would refuse them with a 409 instead; users
 * should never see that. Part of {@link TaskRunner}; runs on the engine's context.
 */
final class Lanes {

  private static final Logger LOG = LoggerFactory.getLogger(Lanes.class);

  private final TaskRunner r;
  /** Lane → id of the task holding it. */
  private final Map<String, String> holders = new HashMap<>();
  private final Map<String, Deque<Active>> waiting = new HashMap<>();

  Lanes(TaskRunner r) {
    this.r = r;
  }

  /** Before a send: takes the lane, or parks the task (answers false) until the holder ends. */
  boolean enter(Active a, LiveProvider live) {
    String lane = key(a, live);
    if (lane == null) {
      return true;
    }
    a.lane = lane;
    String holder = holders.get(lane);
    if (holder == null || holder.equals(a.task.id()) || !r.isActive(holder)) {
      holders.put(lane, a.task.id());
      return true;
    }
    Deque<Active> queue = waiting.computeIfAbsent(lane, k -> new ArrayDeque<>());
    if (!queue.contains(a)) {
      queue.add(a);
      r.record(a, TaskState.QUEUED, a.task, List.of(TaskRunner.message(
          "Waiting for the task before it in the same conversation to finish (task " + holder + ").")));
    }
    return false;
  }

  /** A recovered task that was sent before a restart holds its lane again. */
  void resume(Active a) {
    r.plugins.provider(a.task.provider()).ifPresent(live -> {
      String lane = key(a, live);
      if (lane != null) {
        a.lane = lane;
        holders.putIfAbsent(lane, a.task.id());
      }
    });
  }

  /** The task ended: its lane goes to the first waiting task still unfinished. */
  void leave(Active a) {
    if (a.lane == null) {
      return;
    }
    Deque<Active> queue = waiting.get(a.lane);
    if (queue != null) {
      queue.remove(a);
    }
    if (!a.task.id().equals(holders.get(a.lane))) {
      return;
    }
    holders.remove(a.lane);
    while (queue != null && !queue.isEmpty()) {
      Active next = queue.poll();
      if (r.current(next)) {
        holders.put(a.lane, next.task.id());
        r.later(next, 0);
        break;
      }
    }
    if (queue != null && queue.isEmpty()) {
      waiting.remove(a.lane);
    }
  }

  /** Tasks waiting for a lane now (for the queue-depth gauge). */
  long waiting() {
    long n = 0;
    for (Deque<Active> q : waiting.values()) {
      n += q.size();
    }
    return n;
  }

  void clear() {
    holders.clear();
    waiting.clear();
  }

  private static String key(Active a, LiveProvider live) {
    try {
      Optional<String> key = live.provider().queueKey(TaskRunner.job(a.task));
      return key == null || key.isEmpty() ? null : live.id() + ':' + key.get();
    } catch (RuntimeException | LinkageError e) {
      LOG.warn("task {}: {} could not name its queue key, sending without one: {}", a.task.id(), live, e.toString());
      return null;
    }
  }
}
