package dev.skillhost.simulators.libtv;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One simulated LibTV agent session: the messages it holds, each visible from its time on, with
 * increasing seq. A user message schedules the agent's answers a step apart, ending as the
 * session's outcome says.
 */
final class LibTvSimSession {

  static final String CDN = "https://libtv-res.liblib.art";

  final String id = UUID.randomUUID().toString();
  final String projectUuid;
  final String owner;
  private final List<Entry> messages = new ArrayList<>();
  private final List<JsonObject> tasks = new ArrayList<>();

  private record Entry(long seq, long at, JsonObject message) {}

  LibTvSimSession(String owner, String projectUuid) {
    this.owner = owner;
    this.projectUuid = projectUuid;
  }

  /** The user's message and the agent's scripted answers, {@code stepMs} apart from {@code now}. */
  synchronized void send(String text, LibTvOutcome outcome, long now, long stepMs, List<String> references) {
    String taskId = UUID.randomUUID().toString();
    JsonObject task = new JsonObject().put("id", taskId).put("status", "pending").put("backend", "seedance-2.0")
        .put("created_at", iso(now)).put("completed_at", null).put("video_url", null).put("error_message", null);
    tasks.add(task);
    add(now, "user", text, null);
    StringBuilder ack = new StringBuilder("好的，正在为你生成，请稍候…");
    references.forEach(r -> ack.append("\n收到参考素材：").append(r));
    add(now + stepMs, "assistant", ack.toString(), null);
    add(now + 2 * stepMs, "tool", new JsonObject().put("tool", "seedance_generate").put("status", "running").encode(), null);
    finish(outcome, now + 3 * stepMs, stepMs, task);
  }

  /** Appends the end of a generation (used by tests to finish a NEVER session late). */
  synchronized void finish(LibTvOutcome outcome, long at, long stepMs, JsonObject task) {
    String name = UUID.randomUUID().toString().replace("-", "");
    String video = CDN + "/sd-gen-save-img/" + projectUuid + "/" + name + ".mp4";
    String image = CDN + "/sd-gen-save-img/" + projectUuid + "/" + name + ".png";
    switch (outcome) {
      case VIDEO -> {
        add(at, "tool", result("videos", video), null);
        add(at + stepMs, "assistant", "视频生成完成：" + video, null);
        done(task, at, "completed", video, null);
      }
      case IMAGE -> {
        add(at, "tool", result("images", image), null);
        add(at + stepMs, "assistant", "图片生成完成：" + image, null);
        done(task, at, "completed", image, null);
      }
      case VIDEO_TEXT_ONLY -> {
        add(at, "assistant", "完成啦！视频地址：" + video + " 。", null);
        done(task, at, "completed", video, null);
      }
      case FAILED_RESULT -> {
        String reason = "内容审核未通过 (content moderation rejected the prompt)";
        add(at, "tool", new JsonObject().put("task_result", new JsonObject().put("status", "failed")
            .put("error_message", reason).put("videos", new JsonArray())).encode(), null);
        done(task, at, "failed", null, reason);
      }
      case ERROR_MESSAGE -> {
        add(at, "assistant", "Seedance 2.0 服务繁忙，请稍后再试 (model service busy)", "error");
        done(task, at, "failed", null, "model service busy");
      }
      case FAILED_TEXT -> {
        add(at, "assistant", "抱歉，视频生成失败：模型超时，请换个描述再试。", null);
        done(task, at, "failed", null, "model timeout");
      }
      case OUTSIDE_URL -> {
        String proxy = "https://medeo-res.liblib.art/proxy/" + name + ".mp4";
        add(at, "tool", result("videos", proxy), null);
        done(task, at, "completed", proxy, null);
      }
      case NEVER -> add(at, "assistant", "仍在渲染中（排队人数较多）…", null);
    }
  }

  synchronized void finishLate(LibTvOutcome outcome, long now, long stepMs) {
    finish(outcome, now, stepMs, tasks.isEmpty() ? new JsonObject() : tasks.get(tasks.size() - 1));
  }

  /** Messages visible at {@code now} with seq above {@code afterSeq}. */
  synchronized JsonArray after(long afterSeq, long now) {
    JsonArray out = new JsonArray();
    for (Entry e : messages) {
      if (e.at <= now && e.seq > afterSeq) out.add(e.message.copy());
    }
    return out;
  }

  /** Result URLs visible at {@code now} (the gateway's /results). */
  synchronized JsonArray results(long now) {
    JsonArray urls = new JsonArray();
    for (JsonObject t : tasks) {
      if (t.getValue("video_url") != null && t.getLong("done_at", Long.MAX_VALUE) <= now) {
        urls.add(t.getString("video_url"));
      }
    }
    return urls;
  }

  /** The gateway's view of this session's generations at {@code now}. */
  synchronized List<JsonObject> tasks(long now) {
    List<JsonObject> out = new ArrayList<>();
    for (JsonObject t : tasks) {
      JsonObject copy = t.copy();
      if (t.getLong("done_at", Long.MAX_VALUE) > now) {
        copy.put("status", "rendering").put("completed_at", null).put("video_url", null).put("error_message", null);
      }
      copy.remove("done_at");
      out.add(copy);
    }
    return out;
  }

  /** Every user message this session received, in order. */
  synchronized List<String> userMessages() {
    return messages.stream().filter(e -> "user".equals(e.message.getString("role")))
        .map(e -> e.message.getString("content")).toList();
  }

  private void add(long at, String role, String content, String type) {
    long seq = messages.size() + 1L;
    JsonObject m = new JsonObject().put("id", "msg-" + seq).put("seq", seq).put("role", role).put("content", content)
        .put("timestamp", at);
    if (type != null) m.put("type", type);
    messages.add(new Entry(seq, at, m));
  }

  private static String result(String field, String url) {
    return new JsonObject().put("task_result", new JsonObject()
        .put(field, new JsonArray().add(new JsonObject().put("previewPath", url)))).encode();
  }

  private static void done(JsonObject task, long at, String status, String url, String error) {
    task.put("status", status).put("completed_at", iso(at)).put("video_url", url).put("error_message", error)
        .put("done_at", at);
  }

  private static String iso(long ms) {
    return java.time.Instant.ofEpochMilli(ms).toString();
  }
}
