package dev.skillhost.nemovideo;

import dev.skillhost.api.Handle;
import dev.skillhost.api.Job;
import dev.skillhost.api.Output;
import dev.skillhost.api.Progress;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A task's handle data, read and changed as values. Phases: {@code turn} (the message was sent;
 * watch the stream, then the state), {@code render} (export job on the render proxy),
 * {@code query} (state or credits, read at the next look), {@code deliver} (done: the outputs are
 * here, reported at the next look after the message that goes with them).
 */
record NemoTask(JsonObject data) {

  static final String TURN = "turn";
  static final String RENDER = "render";
  static final String QUERY = "query";
  static final String DELIVER = "deliver";

  static NemoTask of(Handle handle) {
    return new NemoTask(handle.data());
  }

  static NemoTask query(String op, NemoSessions.Session s) {
    return base(op, s).with("phase", QUERY);
  }

  static NemoTask delivered(String op, NemoSessions.Session s, JsonArray outputs) {
    return base(op, s).with("phase", DELIVER).with("outputs", outputs);
  }

  /** A message sent (or an export started) on session {@code s}, the state fingerprint before it. */
  static NemoTask turn(String op, NemoSessions.Session s, Job job, String baseline) {
    return base(op, s).with("phase", TURN).with("baseline", baseline).with("last", baseline)
        .with("unchanged", 0).with("reads", 0).with("stream", "open")
        .with("export", job.params().getBoolean("export", true))
        .with("format", job.params().getString("format", "mp4"))
        .with("quality", job.params().getString("quality", "high"))
        .with("aspect_ratio", job.params().getString("aspect_ratio"));
  }

  private static NemoTask base(String op, NemoSessions.Session s) {
    JsonObject d = new JsonObject().put("op", op);
    if (s != null) {
      d.put("session_id", s.sid()).put("nemo_task_id", s.taskId());
    }
    return new NemoTask(d);
  }

  NemoTask with(String key, Object value) {
    return new NemoTask(data.copy().put(key, value));
  }

  Handle handle() {
    return Handle.of(sid() != null ? sid() : op(), data);
  }

  Handle handle(Duration eta) {
    return new Handle(sid() != null ? sid() : op(), data, eta);
  }

  String op() { return data.getString("op"); }
  String phase() { return data.getString("phase", DELIVER); }
  String sid() { return data.getString("session_id"); }
  String nemoTaskId() { return data.getString("nemo_task_id"); }
  String baseline() { return data.getString("baseline"); }
  String last() { return data.getString("last"); }
  int unchanged() { return data.getInteger("unchanged", 0); }
  int reads() { return data.getInteger("reads", 0); }
  String stream() { return data.getString("stream", "gone"); }
  boolean export() { return data.getBoolean("export", true); }
  String format() { return data.getString("format", "mp4"); }
  String quality() { return data.getString("quality", "high"); }
  String renderId() { return data.getString("render_id"); }
  int renderAttempt() { return data.getInteger("render_attempt", 1); }
  int renderPolls() { return data.getInteger("render_polls", 0); }

  /** Export started: render {@code id}, attempt 1 or 2, with the draft's size and length for the result. */
  NemoTask rendering(String id, int attempt, JsonObject draft) {
    JsonObject m = draft.getJsonObject("m", new JsonObject());
    return with("phase", RENDER).with("render_id", id).with("render_attempt", attempt).with("render_polls", 0)
        .with("duration_ms", NemoDraft.durationMs(draft)).with("width", m.getValue("width"))
        .with("height", m.getValue("height")).with("title", m.getString("title"));
  }

  /** Done: say {@code text} now, report {@code outputs} at the next look. */
  Progress deliver(String text, Output... outputs) {
    JsonArray json = new JsonArray();
    for (Output o : outputs) json.add(o.toJson());
    NemoTask next = with("phase", DELIVER).with("outputs", json);
    return new Progress(Progress.Status.RUNNING, 0.99, text, List.of(), null, next.handle(), Duration.ZERO, null);
  }

  List<Output> outputs() {
    List<Output> out = new ArrayList<>();
    for (Object o : data.getJsonArray("outputs", new JsonArray())) {
      JsonObject j = (JsonObject) o;
      out.add(new Output(j.getString("kind"), j.getString("file"), j.getString("url"), j.getString("mime"),
          j.getJsonObject("meta")));
    }
    return out;
  }
}
