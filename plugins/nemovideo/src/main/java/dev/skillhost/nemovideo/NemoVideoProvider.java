package dev.skillhost.nemovideo;

import dev.skillhost.api.Account;
import dev.skillhost.api.Handle;
import dev.skillhost.api.Job;
import dev.skillhost.api.OperationInfo;
import dev.skillhost.api.Output;
import dev.skillhost.api.Progress;
import dev.skillhost.api.ProgressSink;
import dev.skillhost.api.Provider;
import dev.skillhost.api.ProviderContext;
import dev.skillhost.api.ProviderException;
import dev.skillhost.api.ProviderInfo;
import dev.skillhost.api.RateBucket;
import dev.skillhost.api.Reconciliation;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.pf4j.Extension;

/**
 * NemoVideo's agent ("mega-skill" protocol A): an anonymous token, a session per generation, one
 * message per task over {@code /run_sse}, the result read from the session state, export through
 * the render proxy. Everything a task needs to go on is in its handle ({@link NemoTask}); the one
 * thing held in memory is the open stream of a message just sent, which only adds the agent's
 * words: after a restart the state alone finishes the task.
 */
@Extension
public final class NemoVideoProvider implements Provider {

  static final String ID = "nemovideo";

  private static final ProviderInfo INFO = new ProviderInfo(ID, "NemoVideo",
      "NemoVideo agent: videos from words and images, edits in conversation, MP4 export",
      ProviderInfo.Kind.CLOUD,
      List.of(
          new OperationInfo("generate", "A video from a description or from images/videos (one agent message)",
              List.of("image", "video", "audio"), Duration.ofSeconds(200)),
          new OperationInfo("edit", "Edit the session's video: effects, music, titles, trims (one agent message)",
              List.of("image", "video", "audio"), Duration.ofSeconds(20)),
          new OperationInfo("export", "Render the session's draft to a file (free)", List.of(), Duration.ofSeconds(45)),
          new OperationInfo("state", "The session's timeline as a summary", List.of(), Duration.ofSeconds(2)),
          new OperationInfo("upload", "Files or URLs into the session as material", List.of("image", "video", "audio"),
              Duration.ofSeconds(10)),
          new OperationInfo("account", "Credit balance", List.of(), Duration.ofSeconds(2))),
      List.of(),
      // No published call limits; a courtesy ceiling of our own so a burst of tasks cannot hammer it.
      List.of(new RateBucket("nemovideo-reads", 300, Duration.ofMinutes(1),
          Set.of(RateBucket.Call.POLL, RateBucket.Call.ACCOUNT))),
      true);

  private WebClient web;
  private NemoApi api;
  private NemoSessions sessions;
  private NemoMessenger messenger;
  private NemoRenderer renderer;

  @Override
  public ProviderInfo info() {
    return INFO;
  }

  /** The clients, made once from the host's shared HTTP client and kept in fields (GC closes them otherwise). */
  private synchronized void init(ProviderContext ctx) {
    if (web == null) {
      web = WebClient.wrap(ctx.http());
      api = new NemoApi(web, new NemoAuth(web));
      sessions = new NemoSessions(api);
      messenger = new NemoMessenger(api);
      renderer = new NemoRenderer(api);
    }
  }

  @Override
  public Future<Handle> submit(Job job, ProviderContext ctx) {
    init(ctx);
    NemoConfig cfg = NemoConfig.of(ctx);
    return submitOp(job, ctx, cfg).recover(e -> Future.failedFuture(definite(e)));
  }

  /**
   * An error envelope on HTTP 200 ({@code {code:4001,…}}) is the backend's plain refusal: nothing
   * was created or spent, so the host may fail the task outright instead of reconciling it.
   */
  private static Throwable definite(Throwable e) {
    if (e instanceof ProviderException pe && !pe.rejected() && pe.httpStatus() >= 200 && pe.httpStatus() < 300
        && pe.code() != null) {
      return ProviderException.rejected(pe.code(), pe.text());
    }
    return e;
  }

  private Future<Handle> submitOp(Job job, ProviderContext ctx, NemoConfig cfg) {
    try {
      return switch (job.operation()) {
        case "generate", "edit" -> new NemoTurnFlow(cfg, ctx, sessions, messenger, renderer).submit(job);
        case "upload" -> upload(job, ctx, cfg);
        case "state" -> sessions.existing(ctx, cfg, job, false)
            .map(s -> NemoTask.query(job.operation(), s).handle());
        case "account" -> Future.succeededFuture(NemoTask.query("account", null).handle());
        case "export" -> export(job, ctx, cfg);
        default -> Future.failedFuture(ProviderException.rejected("unknown_operation",
            "NemoVideo runs generate, edit, export, state, upload and account, not " + job.operation()));
      };
    } catch (ProviderException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public Future<Progress> poll(Handle handle, ProviderContext ctx) {
    init(ctx);
    NemoConfig cfg = NemoConfig.of(ctx);
    NemoTask task = NemoTask.of(handle);
    NemoTurnFlow flow = new NemoTurnFlow(cfg, ctx, sessions, messenger, renderer);
    return switch (task.phase()) {
      case NemoTask.TURN -> flow.pollTurn(task);
      case NemoTask.RENDER -> flow.pollRender(task);
      case NemoTask.QUERY -> query(task, ctx, cfg);
      default -> Future.succeededFuture(Progress.succeeded(task.outputs()));
    };
  }

  /**
   * Follows the message submit() sent: the agent's words become progress messages as they come;
   * tool calls and heartbeats are not forwarded. Completes when the stream ends (closed, dropped,
   * or heartbeats only for too long) without a terminal progress: completion is read from the
   * session state by poll(). With no open stream (after a restart) it completes at once.
   */
  @Override
  public Future<Void> stream(Handle handle, ProviderContext ctx, ProgressSink sink) {
    init(ctx);
    NemoTask task = NemoTask.of(handle);
    NemoLiveTurn live = NemoTask.TURN.equals(task.phase()) ? messenger.live(task.sid()) : null;
    if (live == null) {
      return Future.succeededFuture();
    }
    return live.attach(sink).eventually(() -> {
      live.detach();
      return Future.succeededFuture();
    });
  }

  @Override
  public Future<Account> account(ProviderContext ctx) {
    init(ctx);
    NemoConfig cfg = NemoConfig.of(ctx);
    return api.get(ctx, cfg, "/api/credits/balance/simple")
        .map(d -> new Account(null, d.getDouble("available"), d));
  }

  @Override
  public Future<Void> cancel(Handle handle, ProviderContext ctx) {
    init(ctx);
    NemoTask task = NemoTask.of(handle);
    if (task.sid() != null) {
      messenger.forget(task.sid()); // a turn cannot be stopped upstream; stop listening to it
    }
    if (NemoTask.RENDER.equals(task.phase()) && task.renderId() != null) {
      // documented in the v4.4 reference only; best effort
      return api.post(ctx, NemoConfig.of(ctx), "/api/render/proxy/lambda/" + task.renderId() + "/cancel", new JsonObject())
          .<Void>mapEmpty().recover(e -> Future.succeededFuture());
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<Reconciliation> reconcile(Job job, ProviderContext ctx) {
    init(ctx);
    return NemoTurnFlow.pending(ctx, job.taskId()).map(found -> found == null
        ? Reconciliation.notSubmitted("no message was being sent for this task")
        // the message may or may not have arrived: follow the session state, never re-send; if it
        // never changes, polling gives up after the documented unchanged reads
        : Reconciliation.found(found));
  }

  private Future<Handle> upload(Job job, ProviderContext ctx, NemoConfig cfg) {
    if (job.inputs().isEmpty() && job.params().getValue("urls") == null) {
      return Future.failedFuture(ProviderException.rejected("no_input", "send a file or a urls param to upload"));
    }
    return sessions.existing(ctx, cfg, job, true).compose(s -> sessions.upload(ctx, cfg, s.sid(), job).map(files -> {
      JsonArray outputs = new JsonArray();
      for (Object o : files) {
        JsonObject f = (JsonObject) o;
        outputs.add(new Output(f.getString("file_type", "image"), null, f.getString("cdn_url"), null,
            new JsonObject().put("filename", f.getString("filename")).put("session_id", s.sid())).toJson());
      }
      return NemoTask.delivered("upload", s, outputs).handle();
    }));
  }

  private Future<Handle> export(Job job, ProviderContext ctx, NemoConfig cfg) {
    return sessions.existing(ctx, cfg, job, false).compose(s -> sessions.state(ctx, cfg, s.sid()).compose(state -> {
      JsonObject draft = NemoDraft.draft(state);
      if (!NemoDraft.exportable(draft)) {
        return Future.failedFuture(ProviderException.rejected("no_draft", "no video to export yet: empty draft"));
      }
      NemoTask task = NemoTask.turn("export", s, job, null);
      return renderer.submit(ctx, cfg, s.sid(), draft, task.format(), task.quality(), 1)
          .map(id -> task.rendering(id, 1, draft).handle());
    }));
  }

  private Future<Progress> query(NemoTask task, ProviderContext ctx, NemoConfig cfg) {
    if ("account".equals(task.op())) {
      return api.get(ctx, cfg, "/api/credits/balance/simple").map(d -> {
        String text = "Credits: " + num(d.getValue("available")) + " available, " + num(d.getValue("frozen"))
            + " reserved, " + num(d.getValue("total")) + " total.";
        return task.deliver(text, new Output("text", null, null, "text/plain",
            d.copy().put("text", text)));
      });
    }
    return sessions.state(ctx, cfg, task.sid()).map(state -> {
      JsonObject draft = NemoDraft.draft(state);
      String text = NemoDraft.summary(draft);
      return task.deliver(text, new Output("text", null, null, "text/plain", new JsonObject().put("text", text)
          .put("session_id", task.sid()).put("exportable", NemoDraft.exportable(draft))
          .put("duration_ms", NemoDraft.durationMs(draft)).put("draft", draft)));
    });
  }

  private static String num(Object n) {
    return n instanceof Number x && x.doubleValue() == Math.rint(x.doubleValue()) ? String.valueOf(x.longValue()) : String.valueOf(n);
  }
}
