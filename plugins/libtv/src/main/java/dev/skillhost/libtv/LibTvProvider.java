package dev.skillhost.libtv;

import dev.skillhost.api.Account;
import dev.skillhost.api.Handle;
import dev.skillhost.api.Job;
import dev.skillhost.api.OperationInfo;
import dev.skillhost.api.Output;
import dev.skillhost.api.Progress;
import dev.skillhost.api.Provider;
import dev.skillhost.api.ProviderContext;
import dev.skillhost.api.ProviderException;
import dev.skillhost.api.ProviderInfo;
import dev.skillhost.api.Reconciliation;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.pf4j.Extension;

/**
 * LibTV / Nexu Seedance: one agent session per task, the backend picked by the key's prefix. A
 * generation is one message into a new session (the only spending call); the host then looks at
 * the session's messages after the last seq read, on its own scheduler, until a result URL, a
 * failure or the deadline. The seed's detached waiter process per task and its session file are
 * replaced by the handle ({@link LibTvSession}) and the host's task engine.
 */
@Extension
public final class LibTvProvider implements Provider {

  static final String ID = "libtv";
  static final Set<String> GENERATE = Set.of("t2v", "i2v", "text2image", "image2image");
  static final Set<String> VIDEO = Set.of("t2v", "i2v");

  private static final ProviderInfo INFO = new ProviderInfo(
      ID,
      "LibTV / Seedance",
      "LibTV agent sessions (Seedance 2.0, Kling, Wan, Midjourney, Seedream): mgk_ keys via the Nexu gateway, sk-libtv- keys direct",
      ProviderInfo.Kind.CLOUD,
      List.of(
          new OperationInfo("t2v", "Text to video (a video input is uploaded and referenced)", List.of("video"), Duration.ofMinutes(6)),
          new OperationInfo("i2v", "Image to video (the image is uploaded and referenced)", List.of("image", "video"), Duration.ofMinutes(6)),
          new OperationInfo("text2image", "Text to image", List.of(), Duration.ofMinutes(2)),
          new OperationInfo("image2image", "Image to image from a reference image", List.of("image"), Duration.ofMinutes(2)),
          new OperationInfo("upload", "Upload images or videos; answers their LibTV URLs", List.of("image", "video"), Duration.ofSeconds(10)),
          new OperationInfo("account", "The key's mode, and a gateway key's uses left and expiry", List.of(), Duration.ofSeconds(2)),
          new OperationInfo("change_project", "Bind the key to a new LibTV project", List.of(), Duration.ofSeconds(2)),
          new OperationInfo("query", "Follow a session to its results (session_id), or list a gateway key's tasks", List.of(), Duration.ofSeconds(5))),
      List.of(),
      // LibTV publishes no rate limit, so no bucket is declared: a 429 with Retry-After is obeyed
      // through the skill's error map. Each waiting task is looked at every 8 s, as the official
      // waiter does.
      List.of(),
      false);

  private volatile WebClient client;

  @Override
  public ProviderInfo info() {
    return INFO;
  }

  @Override
  public Optional<String> configProblem(ProviderContext ctx) {
    Optional<String> key = LibTvKey.problem(ctx.secret(LibTvKey.SECRET));
    return key.isPresent() ? key : LibTvSettings.of(ctx).problem();
  }

  /** Tasks that continue one session run one at a time: LibTV's agent takes one turn at a time. */
  @Override
  public Optional<String> queueKey(Job job) {
    return Optional.ofNullable(job.params().getString("session_id")).filter(s -> !s.isBlank()).map(s -> "session:" + s);
  }

  @Override
  public Future<Handle> submit(Job job, ProviderContext ctx) {
    try {
      LibTvAdapter api = adapter(ctx);
      LibTvSettings settings = LibTvSettings.of(ctx);
      if (GENERATE.contains(job.operation())) {
        return generate(job, ctx, api, settings);
      }
      return switch (job.operation()) {
        case "upload" -> upload(job, ctx, api);
        case "account" -> keyFacts(api).map(out -> LibTvOutputs.done("account-" + job.taskId(), List.of(out)));
        case "change_project" -> api.changeProject().map(p -> LibTvOutputs.done(p, List.of(LibTvOutputs.text(
            "New LibTV project " + p, new JsonObject().put("project_uuid", p)
                .put("project_url", "https://www.liblib.tv/canvas?projectId=" + p)))));
        case "query" -> query(job, ctx, api, settings);
        default -> Future.failedFuture(ProviderException.rejected("unknown_operation", "LibTV has no operation " + job.operation()));
      };
    } catch (ProviderException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public Future<Progress> poll(Handle handle, ProviderContext ctx) {
    try {
      if (LibTvOutputs.isDone(handle)) {
        return Future.succeededFuture(Progress.succeeded(LibTvOutputs.of(handle)));
      }
      LibTvSession session = LibTvSession.from(handle);
      LibTvAdapter api = adapter(ctx);
      if (api.key.mode() != session.mode()) {
        return Future.failedFuture(new ProviderException("key_mode_changed", 0, "This session lives on "
            + session.mode().wire + " but the configured key is for " + api.key.mode().wire
            + "; restore the key it was made with to follow it."));
      }
      LibTvSettings settings = LibTvSettings.of(ctx);
      return api.messages(session.sessionId(), session.afterSeq())
          .map(messages -> progress(session, LibTvFindings.read(messages, session.afterSeq(), session.references(),
              session.kind()), ctx.clock().millis(), settings));
    } catch (ProviderException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public Future<Account> account(ProviderContext ctx) {
    try {
      LibTvAdapter api = adapter(ctx);
      if (api instanceof LibTvGateway gateway) {
        return gateway.keyStatus().map(s -> new Account(api.key.masked(),
            s.getNumber("remaining_uses").doubleValue(), s.copy().put("mode", api.key.mode().wire).put("unit", "uses")));
      }
      return Future.succeededFuture(new Account(api.key.masked(), null, new JsonObject().put("mode", api.key.mode().wire)));
    } catch (ProviderException e) {
      return Future.failedFuture(e);
    }
  }

  /**
   * LibTV has no idempotency key and no lookup of a message by request, so after a lost answer to
   * a generation nobody can tell whether it arrived (the host then fails it without re-sending);
   * nor whether a project change happened. Uploads and reads change nothing that matters.
   */
  @Override
  public Future<Reconciliation> reconcile(Job job, ProviderContext ctx) {
    if (GENERATE.contains(job.operation()) || "change_project".equals(job.operation())) {
      return Future.succeededFuture(Reconciliation.cannotTell(
          "LibTV has no idempotency key and cannot look a request up"));
    }
    return Future.succeededFuture(Reconciliation.notSubmitted(job.operation() + " spends and changes nothing on LibTV"));
  }

  private Future<Handle> generate(Job job, ProviderContext ctx, LibTvAdapter api, LibTvSettings settings) {
    List<Job.Input> media = LibTvUploads.media(job);
    String ratio = VIDEO.contains(job.operation()) ? settings.ratioFor(job.params()) : null;
    String prompt = job.params().getString("prompt");
    LibTvPrompt.message(prompt, List.of(), ratio); // refuse a missing prompt before uploading anything
    String sessionId = blankToNull(job.params().getString("session_id"));
    long deadline = ctx.clock().millis() + wait(job, settings).toMillis();
    String kind = VIDEO.contains(job.operation()) ? "video" : "image";
    // Continuing a session: its old messages (and old results) are not this task's.
    Future<Long> start = sessionId == null ? Future.succeededFuture(0L)
        : api.messages(sessionId, 0).map(m -> LibTvFindings.read(m, 0, List.of(), kind).lastSeq());
    return start.compose(afterSeq -> LibTvUploads.upload(api, ctx, media).compose(refs -> {
      JsonObject body = new JsonObject().put("message", LibTvPrompt.message(prompt, refs, ratio));
      if (sessionId != null) body.put("sessionId", sessionId);
      return api.session(body).map(d -> new LibTvSession(api.key.mode(),
          LibTvAdapter.required(d, "sessionId", "session"), LibTvAdapter.required(d, "projectUuid", "session"),
          afterSeq, deadline, kind, refs.stream().map(LibTvPrompt.Reference::url).toList(), true).handle(null));
    }));
  }

  private Future<Handle> upload(Job job, ProviderContext ctx, LibTvAdapter api) {
    List<Job.Input> media = LibTvUploads.media(job);
    if (media.isEmpty()) {
      return Future.failedFuture(ProviderException.rejected("invalid_params", "upload needs an image or video input"));
    }
    return LibTvUploads.upload(api, ctx, media).map(refs -> LibTvOutputs.done("upload-" + job.taskId(),
        refs.stream().map(r -> new Output(r.role(), null, r.url(), LibTvFindings.mimeOf(r.url()),
            new JsonObject().put("uploaded", true))).toList()));
  }

  /** With a session id: follow it without sending anything (resuming a timed-out task). Else the key's task list. */
  private Future<Handle> query(Job job, ProviderContext ctx, LibTvAdapter api, LibTvSettings settings) {
    String sessionId = blankToNull(job.params().getString("session_id"));
    if (sessionId != null) {
      String kind = "image".equals(job.params().getString("kind")) ? "image" : "video";
      LibTvSession s = new LibTvSession(api.key.mode(), sessionId, job.params().getString("project_uuid"), 0,
          ctx.clock().millis() + wait(job, settings).toMillis(), kind, List.of(), false);
      // One read now, so an unknown session fails the task at once instead of at the first look.
      return api.messages(sessionId, 0).map(m -> s.handle(null));
    }
    if (!(api instanceof LibTvGateway gateway)) {
      return Future.failedFuture(ProviderException.rejected("gateway_only",
          "Listing all tasks is only available for Nexu-managed mgk_ keys; give a session_id to look at one session."));
    }
    return gateway.tasks().map(tasks -> LibTvOutputs.done("tasks-" + job.taskId(), List.of(LibTvOutputs.text(
        tasks.size() + " LibTV task(s)", new JsonObject().put("tasks", tasks)))));
  }

  private Future<Output> keyFacts(LibTvAdapter api) {
    JsonObject facts = new JsonObject().put("mode", api.key.mode().wire).put("key", api.key.masked());
    if (api instanceof LibTvGateway gateway) {
      return gateway.keyStatus().map(s -> LibTvOutputs.text(
          s.getValue("remaining_uses") + " of " + s.getValue("max_uses") + " uses left"
              + (s.getString("expires_at") == null ? "" : ", expires " + s.getString("expires_at")),
          facts.mergeIn(s)));
    }
    return Future.succeededFuture(LibTvOutputs.text("Direct LibTV key (" + api.key.masked() + ")", facts));
  }

  private static Progress progress(LibTvSession session, LibTvFindings found, long now, LibTvSettings settings) {
    if (!found.results().isEmpty()) {
      JsonObject meta = new JsonObject().put("session_id", session.sessionId());
      if (session.projectUuid() != null) meta.put("project_uuid", session.projectUuid()).put("project_url", session.projectUrl());
      return Progress.succeeded(found.results().stream()
          .map(r -> new Output(r.kind(), null, r.url(), LibTvFindings.mimeOf(r.url()), meta)).toList());
    }
    if (found.failure() != null) {
      return Progress.failed(new ProviderException("generation_failed", 0, "LibTV generation failed: " + found.failure()));
    }
    if (now >= session.deadlineAt()) {
      long waited = Math.max(0, Math.round((now - (session.deadlineAt() - settings.resultWait().toMillis())) / 1000.0));
      return Progress.failed(new ProviderException("result_timeout", 0, "No result from LibTV yet (waited about "
          + waited + " s). Session " + session.sessionId() + " is kept: run query with session_id "
          + session.sessionId() + " to pick it up."));
    }
    LibTvSession next = found.lastSeq() == session.afterSeq() ? null : session.after(found.lastSeq());
    return new Progress(Progress.Status.RUNNING, -1, found.said(), List.of(), null,
        next == null ? null : next.handle(null), settings.pollInterval(), null);
  }

  private static Duration wait(Job job, LibTvSettings settings) {
    Object asked = job.params().getValue("result_wait_s");
    if (asked == null) return settings.resultWait();
    if (!(asked instanceof Number n) || n.doubleValue() <= 0) {
      throw ProviderException.rejected("invalid_params", "result_wait_s must be a positive number of seconds, not " + asked);
    }
    return Duration.ofMillis(Math.round(n.doubleValue() * 1000));
  }

  private LibTvAdapter adapter(ProviderContext ctx) {
    LibTvKey key = LibTvKey.require(ctx.secret(LibTvKey.SECRET));
    LibTvSettings settings = LibTvSettings.of(ctx);
    settings.problem().ifPresent(p -> {
      throw ProviderException.rejected("invalid_config", p);
    });
    return LibTvAdapter.of(client(ctx), settings, key);
  }

  /** One WebClient over the host's pooled client, kept in a field (Vert.x closes collected clients). */
  private WebClient client(ProviderContext ctx) {
    WebClient c = client;
    if (c == null) {
      synchronized (this) {
        if (client == null) client = WebClient.wrap(ctx.http());
        c = client;
      }
    }
    return c;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
