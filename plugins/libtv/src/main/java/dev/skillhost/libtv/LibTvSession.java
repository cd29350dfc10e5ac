package dev.skillhost.libtv;

import dev.skillhost.api.Handle;
import dev.skillhost.api.ProviderException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;

/**
 * One task's LibTV session, wholly described by its handle: the backend it lives on, the session
 * and project, the last message seq read, when waiting stops, and the reference URLs the task
 * itself sent (so an echo of them is not taken for a result). Any plugin instance, after a restart
 * or a hot swap, goes on from here; the seed's session file and detached waiter are not needed.
 *
 * @param mode        the backend (fixed by the key the session was made with)
 * @param sessionId   LibTV session id
 * @param projectUuid LibTV project
 * @param afterSeq    the largest message seq read so far
 * @param deadlineAt  epoch ms after which no result is a timeout
 * @param kind        video or image: what the operation makes
 * @param references  URLs the task put in its message
 * @param spent       whether this task sent the message (false when it only resumes a session)
 */
record LibTvSession(LibTvKey.Mode mode, String sessionId, String projectUuid, long afterSeq, long deadlineAt,
    String kind, List<String> references, boolean spent) {

  LibTvSession {
    references = List.copyOf(references);
  }

  LibTvSession after(long seq) {
    return new LibTvSession(mode, sessionId, projectUuid, seq, deadlineAt, kind, references, spent);
  }

  Handle handle(Duration eta) {
    JsonObject data = new JsonObject()
        .put("mode", mode.wire)
        .put("session_id", sessionId)
        .put("project_uuid", projectUuid)
        .put("after_seq", afterSeq)
        .put("deadline_at", deadlineAt)
        .put("kind", kind)
        .put("references", new JsonArray(references))
        .put("spent", spent);
    return new Handle(sessionId, data, eta);
  }

  static LibTvSession from(Handle handle) {
    JsonObject d = handle.data();
    try {
      String session = d.getString("session_id");
      if (session == null || d.getString("mode") == null) {
        throw new IllegalArgumentException("mode and session_id are required");
      }
      JsonArray refs = d.getJsonArray("references", new JsonArray());
      return new LibTvSession(LibTvKey.Mode.fromWire(d.getString("mode")), session, d.getString("project_uuid"),
          d.getLong("after_seq", 0L), d.getLong("deadline_at", Long.MAX_VALUE), d.getString("kind", "video"),
          refs.stream().map(String::valueOf).toList(), d.getBoolean("spent", true));
    } catch (ClassCastException | IllegalArgumentException e) {
      throw new ProviderException("invalid_handle", 0, "not a LibTV session handle: " + e.getMessage());
    }
  }

  /** The canvas link the official client shows once a task is done. */
  String projectUrl() {
    return projectUuid == null ? null : "https://www.liblib.tv/canvas?projectId=" + projectUuid;
  }
}
