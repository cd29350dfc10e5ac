package dev.skillhost.nemovideo;

import dev.skillhost.api.Handle;
import dev.skillhost.api.Job;
import dev.skillhost.api.Output;
import dev.skillhost.api.Progress;
import dev.skillhost.api.ProviderContext;
import dev.skillhost.api.ProviderException;
import io.vertx.core.Future;
import io.vertx.core.file.FileSystem;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;

/**
 * One generation or edit, from the message to the exported file. Completion comes from the
 * session state, never from the stream (it has no terminal event and may drop): the state must
 * have changed since before the message and hold an exportable draft; a generation also waits for
 * the automatic second stage (music and title), or for the draft to settle when the agent made
 * only one. A dropped stream is never answered by sending again: the state is read 30 s later,
 * then every 60 s, and after 5 unchanged reads the task fails (all configurable for tests).
 */
final class NemoTurnFlow {

  private static final String PENDING = "pending";

  private final NemoConfig cfg;
  private final ProviderContext ctx;
  private final NemoSessions sessions;
  private final NemoMessenger messenger;
  private final NemoRenderer renderer;

  NemoTurnFlow(NemoConfig cfg, ProviderContext ctx, NemoSessions sessions, NemoMessenger messenger, NemoRenderer renderer) {
    this.cfg = cfg;
    this.ctx = ctx;
    this.sessions = sessions;
    this.messenger = messenger;
    this.renderer = renderer;
  }

  /** The spending call: session, material, the state before, then the message, once. */
  Future<Handle> submit(Job job) {
    String text;
    try {
      text = message(job);
    } catch (ProviderException e) {
      return Future.failedFuture(e);
    }
    Future<NemoSessions.Session> session = "generate".equals(job.operation()) && job.params().getString("session_id") == null
        ? sessions.create(ctx, cfg, job.locale())
        : sessions.existing(ctx, cfg, job, true);
    return session.compose(s -> sessions.upload(ctx, cfg, s.sid(), job)
        .compose(files -> sessions.state(ctx, cfg, s.sid()))
        .compose(state -> {
          NemoTask task = NemoTask.turn(job.operation(), s, job, NemoDraft.digest(state));
          Handle handle = task.handle("generate".equals(job.operation()) ? Duration.ofSeconds(200) : Duration.ofSeconds(20));
          // written before sending: after a crash mid-send, reconcile() follows this session's
          // state instead of sending again
          return savePending(job.taskId(), handle)
              .compose(v -> messenger.send(ctx, cfg, s.sid(), text))
              .map(turn -> handle);
        }));
  }

  /** The user's words, plus duration and ratio as text the way the official CLI appends them. */
  static String message(Job job) {
    String prompt = job.params().getString("prompt");
    if (prompt == null || prompt.isBlank()) {
      throw ProviderException.rejected("no_prompt", "say what the video should show (param prompt)");
    }
    StringBuilder sb = new StringBuilder(prompt.strip());
    Object duration = job.params().getValue("duration");
    if (duration != null) sb.append(". Duration: ").append(duration).append(" seconds");
    String ratio = job.params().getString("aspect_ratio");
    if (ratio != null) sb.append(". Aspect ratio: ").append(ratio);
    return sb.toString();
  }

  Future<Progress> pollTurn(NemoTask task) {
    NemoLiveTurn live = messenger.live(task.sid());
    String said = live == null ? null : join(live.takeUndelivered());
    if (live != null && live.end() == NemoLiveTurn.End.OPEN) {
      // the agent is still answering: nothing to read yet
      return Future.succeededFuture(progress(task, -1, said, cfg.liveCheck()));
    }
    if (live != null || "open".equals(task.stream())) {
      String how = live == null ? "gone" : live.end().name().toLowerCase(java.util.Locale.ROOT);
      messenger.forget(task.sid());
      NemoTask next = task.with("stream", how);
      if (!"closed".equals(how)) {
        // dropped, idle or lost in a restart: first look at the state 30 s from now
        return Future.succeededFuture(progress(next, -1, said, cfg.firstPoll()));
      }
      task = next;
    }
    NemoTask t = task;
    return sessions.state(ctx, cfg, t.sid()).compose(state -> read(t, state, said));
  }

  private Future<Progress> read(NemoTask task, JsonObject state, String said) {
    String digest = NemoDraft.digest(state);
    JsonObject draft = NemoDraft.draft(state);
    boolean changed = !digest.equals(task.baseline());
    int unchanged = digest.equals(task.last()) ? task.unchanged() + 1 : 0;
    NemoTask next = task.with("last", digest).with("unchanged", unchanged).with("reads", task.reads() + 1);
    String summary = digest.equals(task.last()) ? null : NemoDraft.summary(draft);
    String message = join(said, summary);
    if (changed && NemoDraft.exportable(draft) && finished(next, draft, unchanged)) {
      return done(next, draft, message);
    }
    if (!changed && unchanged >= cfg.maxUnchanged()) {
      drop(task);
      return Future.succeededFuture(Progress.failed(new ProviderException("timeout", 0,
          "timed out: the session state did not change in " + unchanged + " reads after the agent's stream ended;"
              + " the message was not sent again")));
    }
    Duration wait = next.reads() <= 1 && "closed".equals(task.stream()) ? cfg.firstPoll() : cfg.nextPoll();
    return Future.succeededFuture(progress(next, changed ? 0.7 : -1, message, wait));
  }

  /** An edit is done when its stream closed (or the state settled); a generation after both stages. */
  private boolean finished(NemoTask task, JsonObject draft, int unchanged) {
    if ("edit".equals(task.op())) {
      return "closed".equals(task.stream()) || unchanged >= 1;
    }
    return NemoDraft.postProduced(draft) || unchanged >= cfg.settleReads();
  }

  private Future<Progress> done(NemoTask task, JsonObject draft, String message) {
    drop(task);
    if (!task.export()) {
      String text = NemoDraft.summary(draft);
      return Future.succeededFuture(task.deliver(message, new Output("text", null, null, "text/plain",
          new JsonObject().put("text", text).put("session_id", task.sid()).put("draft", draft))));
    }
    return renderer.submit(ctx, cfg, task.sid(), draft, task.format(), task.quality(), 1)
        .map(id -> progress(task.rendering(id, 1, draft), 0.9, message, cfg.renderPoll()));
  }

  Future<Progress> pollRender(NemoTask task) {
    return renderer.status(ctx, cfg, task.renderId()).compose(st -> {
      NemoTask next = task.with("render_polls", task.renderPolls() + 1);
      if (st.completed()) {
        String url = st.url() != null ? st.url() : NemoRenderer.downloadUrl(cfg, task.renderId());
        return claimLink(task).map(link -> {
          JsonObject meta = new JsonObject().put("session_id", task.sid()).put("render_id", task.renderId())
              .put("duration_ms", task.data().getValue("duration_ms")).put("width", task.data().getValue("width"))
              .put("height", task.data().getValue("height"));
          if (link != null) meta.put("link", link); // the claim-token link: opens the draft in the web editor
          String text = link == null ? null : "Open it in NemoVideo: " + link;
          return next.deliver(text, new Output("video", null, url, "video/" + task.format(), meta));
        });
      }
      if (st.failed()) {
        if (task.renderAttempt() >= 2) {
          return Future.succeededFuture(Progress.failed(new ProviderException("render_failed", 0,
              "render failed twice: " + (st.error() == null ? "no reason given" : st.error()))));
        }
        // "On failure, use a new id and retry once"
        return sessions.state(ctx, cfg, task.sid()).compose(state -> {
          JsonObject draft = NemoDraft.draft(state);
          return renderer.submit(ctx, cfg, task.sid(), draft, task.format(), task.quality(), 2)
              .map(id -> progress(next.rendering(id, 2, draft), 0.9, "Rendering failed once; trying again.",
                  cfg.renderPoll()));
        });
      }
      if (next.renderPolls() >= cfg.renderMaxPolls()) {
        return Future.succeededFuture(Progress.failed(new ProviderException("render_timeout", 0,
            "render timed out after " + next.renderPolls() + " status reads")));
      }
      return Future.succeededFuture(progress(next, 0.9 + Math.min(99, st.progress()) / 1000.0,
          "Rendering… " + st.progress() + "%", cfg.renderPoll()));
    });
  }

  /** The v1.9 link: a claim token, never the bearer token in a URL. Best effort. */
  private Future<String> claimLink(NemoTask task) {
    if (task.nemoTaskId() == null) {
      return Future.succeededFuture(null);
    }
    return sessions.claim(ctx, cfg, task.sid(), task.nemoTaskId())
        .map(ct -> ct == null ? null : cfg.webUrl() + "/workspace/claim?ct=" + ct)
        .recover(e -> Future.succeededFuture(null));
  }

  private static Progress progress(NemoTask task, double fraction, String message, Duration next) {
    return new Progress(Progress.Status.RUNNING, fraction, message, List.of(), null, task.handle(), next, null);
  }

  private static String join(List<String> lines) {
    return lines.isEmpty() ? null : String.join("\n", lines);
  }

  private static String join(String a, String b) {
    if (a == null) return b;
    if (b == null) return a;
    return a + "\n" + b;
  }

  private void drop(NemoTask task) {
    messenger.forget(task.sid());
  }

  // ---- the record reconcile() reads ------------------------------------------------------------

  private Future<Void> savePending(String taskId, Handle handle) {
    FileSystem fs = ctx.vertx().fileSystem();
    String dir = ctx.dataDir().resolve(PENDING).toString();
    return fs.mkdirs(dir).compose(v -> fs.writeFile(dir + "/" + safe(taskId) + ".json", handle.toJson().toBuffer()));
  }

  /** The handle saved just before sending this task's message, or null. */
  static Future<Handle> pending(ProviderContext ctx, String taskId) {
    FileSystem fs = ctx.vertx().fileSystem();
    String path = ctx.dataDir().resolve(PENDING).resolve(safe(taskId) + ".json").toString();
    return fs.exists(path).compose(e -> e
        ? fs.readFile(path).map(b -> {
          Handle h = Handle.fromJson(new JsonObject(b));
          return new NemoTask(h.data()).with("stream", "gone").handle();
        })
        : Future.succeededFuture((Handle) null));
  }

  private static String safe(String id) {
    return id.replaceAll("[^A-Za-z0-9_-]", "_");
  }
}
