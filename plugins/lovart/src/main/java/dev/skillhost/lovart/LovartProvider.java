package dev.skillhost.lovart;

import dev.skillhost.api.Account;
import dev.skillhost.api.Estimate;
import dev.skillhost.api.Handle;
import dev.skillhost.api.Job;
import dev.skillhost.api.OperationInfo;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.pf4j.Extension;

/**
 * Lovart's Agent OpenAPI: every operation is one signed chat message ({@code POST /chat}) in a
 * project and thread, followed on {@code /chat/status} and {@code /chat/result} one read per look.
 * The server itself stops costly steps in {@code pending_confirmation}; {@link #confirm} answers it.
 * Nothing about a task is kept here: the thread, project, key and poll phase live in the handle.
 */
@Extension
public final class LovartProvider implements Provider {

  static final String ID = "lovart";

  private static final ProviderInfo INFO = new ProviderInfo(ID, "Lovart",
      "Lovart design agent: images, videos, edits and 3D through one signed chat API, with projects, threads and server-side spend confirmation",
      ProviderInfo.Kind.CLOUD,
      List.of(
          op("text2image", "Images from a description (posters, logos, illustrations)", List.of("image"), 70),
          op("image_edit", "Edit an image: upscale, reframe, restyle", List.of("image"), 70),
          op("t2v", "A video clip from a description", List.of(), 360),
          op("i2v", "A video clip from an image", List.of("image"), 360),
          op("video_edit", "Edit a video: upscale, reframe, restyle", List.of("video"), 360),
          op("model_3d", "A 3D model from a description or an image", List.of("image"), 180)),
      LovartModels.SNAPSHOT,
      LovartLimits.buckets(System.getProperty(LovartLimits.PROPERTY)),
      false);

  private final LovartProjects projects = new LovartProjects();
  private volatile WebClient web;
  private Future<?> accountModeChain = Future.succeededFuture();

  @Override
  public ProviderInfo info() {
    return INFO;
  }

  @Override
  public Optional<String> configProblem(ProviderContext ctx) {
    return LovartConfig.of(ctx).problem();
  }

  /** One running message per thread (Lovart answers 409/2011 otherwise): the host queues by thread. */
  @Override
  public Optional<String> queueKey(Job job) {
    return Optional.ofNullable(LovartChat.threadId(job)).map(t -> "lovart-thread:" + t);
  }

  @Override
  public Future<Estimate> estimate(Job job, ProviderContext ctx) {
    try {
      // no prompt check: routing asks for an estimate before the words become the prompt
      return Future.succeededFuture(LovartCosts.estimate(job));
    } catch (ProviderException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public Future<Handle> submit(Job job, ProviderContext ctx) {
    LovartClient client;
    try {
      client = client(ctx);
      LovartChat.check(job);
    } catch (ProviderException e) {
      return Future.failedFuture(e);
    }
    String key = job.taskId();
    Future<List<String>> uploads = LovartUploads.all(job, client, ctx, key);
    Future<String> project = uploads.compose(u -> projects.resolve(LovartChat.string(job.params(), "project_id"),
        client, ctx, key));
    // Nothing is spent before POST /chat: a failure up to here is a plain refusal.
    Future<JsonObject> body = project.map(p -> LovartChat.body(job, p, uploads.result()))
        .recover(e -> Future.failedFuture(beforeSpend(e)));
    String accountMode = LovartChat.string(job.params(), "account_mode");
    Future<JsonObject> sent = accountMode == null
        ? body.compose(b -> LovartSend.chat(client, ctx, b, key))
        : body.compose(b -> serialized(() -> client.post("/mode/set",
                new JsonObject().put("unlimited", "unlimited".equals(accountMode)), key + ":mode")
            .recover(e -> Future.failedFuture(beforeSpend(e)))
            .compose(v -> LovartSend.chat(client, ctx, b, key))));
    return sent.compose(d -> threadOf(d, body.result()))
        .map(thread -> LovartTask.started(thread, body.result().getString("project_id"), key).handle())
        .onFailure(e -> forgetMissingProject(e));
  }

  @Override
  public Future<Progress> poll(Handle handle, ProviderContext ctx) {
    try {
      return new LovartPoller(client(ctx)).look(LovartTask.of(handle));
    } catch (ProviderException e) {
      return Future.failedFuture(e);
    }
  }

  /** {@code POST /chat/confirm}: spends what the confirmation asked; sent once (a 429/409 refusal is waited out). */
  @Override
  public Future<Handle> confirm(Handle handle, ProviderContext ctx) {
    try {
      LovartTask task = LovartTask.of(handle);
      return LovartSend.once(client(ctx), ctx, "/chat/confirm", new JsonObject().put("thread_id", task.threadId()),
          task.confirmKey()).map(d -> task.confirmed().handle());
    } catch (ProviderException e) {
      return Future.failedFuture(e);
    }
  }

  /** Lovart has no cancel endpoint: the message runs on upstream; the host stops following it. */
  @Override
  public Future<Void> cancel(Handle handle, ProviderContext ctx) {
    return Future.succeededFuture();
  }

  /** Billing mode ({@code POST /mode/query}) and the live tool catalog. */
  @Override
  public Future<Account> account(ProviderContext ctx) {
    LovartClient client;
    try {
      client = client(ctx);
    } catch (ProviderException e) {
      return Future.failedFuture(e);
    }
    Future<JsonObject> mode = client.post("/mode/query", new JsonObject(), "account:" + UUID.randomUUID());
    Future<JsonObject> catalog = client.catalog().recover(e -> Future.succeededFuture(new JsonObject()));
    return Future.all(mode, catalog).map(v -> {
      JsonObject m = mode.result();
      Object balance = m.getValue("balance");
      JsonObject details = m.copy().put("mode", m.getBoolean("unlimited", false) ? "unlimited" : "fast")
          .put("models", LovartModels.toJson(LovartModels.of(catalog.result())));
      return new Account(LovartConfig.of(ctx).accessKey(), balance instanceof Number n ? n.doubleValue() : null, details);
    });
  }

  /**
   * Lovart cannot list what a key sent, and its Idempotency-Key deduplication is not promised
   * ("for future server-side dedup"). Only when the operator says the gateway deduplicates
   * ({@code idempotent_replay: true}) is the lost message sent again under its own key, which
   * such a gateway answers with the first thread instead of a second spend.
   */
  @Override
  public Future<Reconciliation> reconcile(Job job, ProviderContext ctx) {
    LovartConfig config = LovartConfig.of(ctx);
    if (!config.trustReplay()) {
      return Future.succeededFuture(Reconciliation.cannotTell("Lovart has no lookup for a sent message and does not"
          + " promise Idempotency-Key deduplication, so it was not sent again"));
    }
    return submit(job, ctx).map(Reconciliation::found);
  }

  private Future<JsonObject> serialized(java.util.function.Supplier<Future<JsonObject>> work) {
    // The billing mode is account-wide: "set mode, then send" must not interleave with another's.
    synchronized (this) {
      Future<JsonObject> next = accountModeChain.transform(ar -> work.get());
      accountModeChain = next.transform(ar -> Future.succeededFuture());
      return next;
    }
  }

  private static Future<String> threadOf(JsonObject data, JsonObject body) {
    String thread = data.getString("thread_id");
    if (thread == null || thread.isBlank()) {
      thread = body.getString("thread_id");
    }
    if (thread == null || thread.isBlank()) {
      return Future.failedFuture(new ProviderException("malformed", 200, "Lovart's chat answer has no thread_id"));
    }
    return Future.succeededFuture(thread);
  }

  private void forgetMissingProject(Throwable e) {
    if (e instanceof ProviderException pe && pe.text() != null && pe.text().matches("(?s).*Project .* does not exist.*")) {
      projects.forget();
    }
  }

  /** A failure before POST /chat: certainly nothing created or spent. */
  static ProviderException beforeSpend(Throwable e) {
    if (e instanceof ProviderException pe) {
      if (pe.rejected() || (pe.httpStatus() >= 400 && pe.httpStatus() < 500 && pe.httpStatus() != 408)) {
        return pe;
      }
      return ProviderException.rejected(pe.code(), pe.text());
    }
    return ProviderException.rejected("connection", String.valueOf(e.getMessage()));
  }

  private LovartClient client(ProviderContext ctx) {
    LovartConfig config = LovartConfig.of(ctx);
    Optional<String> problem = config.problem();
    if (problem.isPresent()) {
      throw ProviderException.rejected("missing_credentials", problem.get());
    }
    WebClient w = web;
    if (w == null) {
      synchronized (this) {
        if (web == null) {
          web = WebClient.wrap(ctx.http());
        }
        w = web;
      }
    }
    return new LovartClient(w, config, ctx.vertx(), ctx.clock());
  }

  private static OperationInfo op(String name, String description, List<String> inputs, long etaSeconds) {
    return new OperationInfo(name, description, new ArrayList<>(inputs), Duration.ofSeconds(etaSeconds));
  }
}
