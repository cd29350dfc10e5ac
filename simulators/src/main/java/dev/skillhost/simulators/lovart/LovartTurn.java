package dev.skillhost.simulators.lovart;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * One chat message in a thread and the agent's work on it. Its state is a pure function of the
 * clock (start, confirmation time and script), so the simulator needs no timers per task.
 */
final class LovartTurn {

  final LovartScript script;
  final long startedAt;
  final String idempotencyKey;
  volatile long confirmedAt = -1;

  LovartTurn(LovartScript script, long startedAt, String idempotencyKey) {
    this.script = script;
    this.startedAt = startedAt;
    this.idempotencyKey = idempotencyKey;
  }

  boolean asksConfirmation() {
    return script.confirmCost() != null;
  }

  /** When the (remaining) generation run begins: at once, or at confirmation. */
  private long runStart() {
    return asksConfirmation() ? confirmedAt : startedAt;
  }

  boolean pending(long now) {
    return asksConfirmation() && confirmedAt < 0 && now >= startedAt + script.runMs() / 3;
  }

  /** When the work ended (done or abort), or -1 while it goes on or waits for confirmation. */
  long finishedAt() {
    if (asksConfirmation() && confirmedAt < 0) {
      return -1;
    }
    return script.abort() ? runStart() + script.runMs() / 2 : runStart() + script.runMs();
  }

  /** {@code running}, {@code done} or {@code abort}, as GET /chat/status says. */
  String status(long now) {
    if (pending(now)) {
      return "done"; // the thread stopped, waiting for the user; result says why
    }
    long end = finishedAt();
    if (end >= 0 && now >= end) {
      return script.abort() ? "abort" : "done";
    }
    long falseDoneAt = startedAt + script.runMs() / 4;
    if (script.falseDoneMs() > 0 && now >= falseDoneAt && now < falseDoneAt + script.falseDoneMs()) {
      return "done";
    }
    return "running";
  }

  boolean busy(long now) {
    String s = status(now);
    return "running".equals(s) || pending(now);
  }

  /** Artifacts visible so far: the i-th of n appears at run start + runMs·(i+1)/n. */
  JsonArray artifacts(long now, String cdnBase, String threadId, int turn) {
    JsonArray out = new JsonArray();
    if (asksConfirmation() && confirmedAt < 0) {
      return out;
    }
    int n = script.artifacts().size();
    long end = finishedAt();
    for (int i = 0; i < n; i++) {
      long at = runStart() + script.runMs() * (i + 1) / n;
      if (now < at || (script.abort() && at > end)) {
        continue;
      }
      String type = script.artifacts().get(i);
      String ext = "video".equals(type) ? ".mp4" : "3d".equals(type) ? ".glb" : ".png";
      out.add(new JsonObject().put("type", type)
          .put("content", cdnBase + "/artifacts/agent/" + threadId + "-" + turn + "-" + i + ext));
    }
    return out;
  }
}
