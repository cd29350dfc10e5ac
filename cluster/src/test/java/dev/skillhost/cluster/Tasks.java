package dev.skillhost.cluster;

import dev.skillhost.cluster.Workload.Submitted;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reading a cluster's tasks back through one node's API: waiting for the end, the stored logs, takeover times. */
final class Tasks {

  private static final Set<String> TERMINAL = Set.of("succeeded", "failed", "cancelled");

  private Tasks() {}

  /**
   * Waits until every submitted task is terminal as the live nodes list them (on one store each
   * lists them all), or the time is up; answers each task as last read, unfinished ones too.
   */
  static Map<String, JsonObject> awaitTerminal(Cluster c, Collection<Submitted> tasks, long timeoutMs)
      throws InterruptedException {
    Set<String> ids = new HashSet<>();
    tasks.forEach(s -> ids.add(s.id()));
    Map<String, JsonObject> done = new HashMap<>();
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (done.size() < ids.size() && System.currentTimeMillis() < deadline) {
      for (HostNode reader : c.alive()) {
        String cursor = null;
        do {
          String q = "/v1/tasks?state=succeeded,failed,cancelled&limit=500" + (cursor == null ? "" : "&cursor=" + cursor);
          JsonObject page = c.get(reader, q).await().bodyAsJsonObject();
          for (Object o : page.getJsonArray("tasks", new JsonArray())) {
            JsonObject t = (JsonObject) o;
            if (ids.contains(t.getString("id"))) {
              done.put(t.getString("id"), t);
            }
          }
          cursor = page.getString("next");
        } while (cursor != null);
      }
      if (done.size() < ids.size()) {
        Thread.sleep(1000);
      }
    }
    HostNode reader = c.alive().get(0);
    for (String id : ids) {
      if (!done.containsKey(id)) {
        done.put(id, c.get(reader, "/v1/tasks/" + id).await().bodyAsJsonObject());
      }
    }
    return done;
  }

  /** Gives the followers a moment to receive the last events of tasks the store already shows finished. */
  static void awaitFollowers(List<TaskFollower> followers, long timeoutMs) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (followers.stream().anyMatch(f -> f.unfinished() > 0) && System.currentTimeMillis() < deadline) {
      Thread.sleep(100);
    }
  }

  /**
   * Each task's stored event log, 50 reads at a time, from {@code reader}, else from another live
   * node (on one store any node has every log), else empty: the caller's checks then say which.
   */
  static Map<String, JsonArray> logs(Cluster c, HostNode reader, Collection<String> ids) {
    Map<String, JsonArray> out = new HashMap<>();
    List<String> all = new ArrayList<>(ids);
    for (int i = 0; i < all.size(); i += 50) {
      List<String> chunk = all.subList(i, Math.min(all.size(), i + 50));
      List<Future<JsonArray>> reads = chunk.stream().map(id -> log(c, reader, id, c.alive())).toList();
      Future.all(reads).await();
      for (int j = 0; j < chunk.size(); j++) {
        out.put(chunk.get(j), reads.get(j).result());
      }
    }
    return out;
  }

  private static Future<JsonArray> log(Cluster c, HostNode reader, String id, List<HostNode> others) {
    Future<JsonArray> read = c.events(reader, id);
    for (HostNode n : others) {
      if (n != reader) {
        read = read.recover(e -> c.events(n, id));
      }
    }
    return read.recover(e -> Future.succeededFuture(new JsonArray()));
  }

  static long at(JsonObject event) {
    return Instant.parse(event.getString("at")).toEpochMilli();
  }

  /** Whether the task existed at {@code t} and had not ended (no terminal state event stored before it). */
  static boolean openAt(JsonArray log, long t) {
    if (log.isEmpty() || at(log.getJsonObject(0)) >= t) {
      return false;
    }
    for (Object o : log) {
      JsonObject e = (JsonObject) o;
      if ("state".equals(e.getString("type")) && TERMINAL.contains(e.getString("state")) && at(e) < t) {
        return false;
      }
    }
    return true;
  }

  /** Kill → first event stored after it, over the dead node's open tasks. */
  record Takeover(int count, long p50, long p99, long max) {}

  static Takeover takeover(Collection<Submitted> open, Map<String, JsonArray> logs, long killedAt) {
    List<Long> times = new ArrayList<>();
    for (Submitted s : open) {
      logs.get(s.id()).stream().map(o -> at((JsonObject) o)).filter(t -> t >= killedAt).min(Long::compare)
          .ifPresent(t -> times.add(t - killedAt));
    }
    times.sort(Long::compare);
    return new Takeover(times.size(), pct(times, 50), pct(times, 99), times.isEmpty() ? -1 : times.get(times.size() - 1));
  }

  static long pct(List<Long> sorted, double p) {
    if (sorted.isEmpty()) {
      return -1;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }
}
