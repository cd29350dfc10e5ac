package dev.skillhost.lovart;

import dev.skillhost.api.Handle;
import dev.skillhost.api.ProviderException;
import io.vertx.core.json.JsonObject;

/**
 * Everything to follow one Lovart message, kept in the host's {@link Handle} (the plugin keeps no
 * per-task state): the thread and project, the Idempotency-Key base, and where the poller is.
 *
 * <p>Phases (one upstream read per look, so the host's token per look is exact):
 * {@code run} (status, and every third look the result, for artifacts so far and a confirmation
 * request), {@code collect} (status said done: read the result), {@code recheck} (done without
 * artifacts: after 5 s read the status again, the official client's guard against a sub-agent
 * that has not started yet), {@code final} (read the result one last time).
 */
record LovartTask(String threadId, String projectId, String key, String phase, int looks, int confirms,
    boolean aborted) {

  static final String RUN = "run";
  static final String COLLECT = "collect";
  static final String RECHECK = "recheck";
  static final String FINAL = "final";

  static LovartTask started(String threadId, String projectId, String key) {
    return new LovartTask(threadId, projectId, key, RUN, 0, 0, false);
  }

  static LovartTask of(Handle handle) {
    JsonObject d = handle.data();
    String thread = d.getString("thread_id");
    if (thread == null) {
      throw new ProviderException("bad_handle", 0, "the task's handle has no Lovart thread id");
    }
    return new LovartTask(thread, d.getString("project_id"), d.getString("key", thread), d.getString("phase", RUN),
        d.getInteger("looks", 0), d.getInteger("confirms", 0), d.getBoolean("aborted", false));
  }

  Handle handle() {
    return Handle.of(threadId, new JsonObject().put("thread_id", threadId).put("project_id", projectId)
        .put("key", key).put("phase", phase).put("looks", looks).put("confirms", confirms).put("aborted", aborted));
  }

  LovartTask looked() {
    return new LovartTask(threadId, projectId, key, phase, looks + 1, confirms, aborted);
  }

  LovartTask to(String next) {
    return new LovartTask(threadId, projectId, key, next, looks, confirms, aborted);
  }

  LovartTask abortedTo(String next) {
    return new LovartTask(threadId, projectId, key, next, looks, confirms, true);
  }

  /** After a confirmation: polling starts over; the next confirmation gets its own key. */
  LovartTask confirmed() {
    return new LovartTask(threadId, projectId, key, RUN, 0, confirms + 1, false);
  }

  String confirmKey() {
    return key + ":confirm:" + (confirms + 1);
  }

  /** Whether this look in the run phase reads the result (every third, as the official poller). */
  boolean resultLook() {
    return looks % 3 == 2;
  }
}
