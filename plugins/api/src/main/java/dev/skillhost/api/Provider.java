package dev.skillhost.api;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import org.pf4j.ExtensionPoint;

/**
 * A provider speaks one backend's wire protocol: it turns a {@link Job} into an upstream
 * submission and reports its progress. Implementations are PF4J extensions loaded from a plugin jar.
 *
 * <p>The host owns everything around these calls: when to poll (one shared scheduler, rate
 * budgets, ETA), retries, persistence, streaming to clients. A provider makes one call per
 * method invocation and keeps no per-task state of its own: whatever it needs to continue a task
 * goes in the {@link Handle}, which the host stores. That is what lets a task survive a host
 * restart or a plugin hot swap.
 *
 * <p>Every method that does I/O returns a {@link Future} and must not block the event loop it is
 * called on. Errors leave a provider as a failed future carrying a {@link ProviderException}.
 *
 * <p>This interface evolves only by adding {@code default} methods.
 */
public interface Provider extends ExtensionPoint {

  /** What this provider offers. Called once after load; must be cheap and side-effect free. */
  ProviderInfo info();

  /** What a job would cost, without spending anything. */
  default Future<Estimate> estimate(Job job, ProviderContext ctx) {
    return Future.succeededFuture(Estimate.UNKNOWN);
  }

  /**
   * Sends the job upstream. <b>This is the only call that spends the user's credits</b>: the host
   * calls it at most once per task and never retries it. If the outcome is unclear (a timeout
   * after the request was written), fail with a {@link ProviderException}; the host will not
   * re-send, it will {@link #reconcile} or fail the task.
   */
  Future<Handle> submit(Job job, ProviderContext ctx);

  /** One look at a submitted task. The host decides when; the provider does not loop or sleep. */
  Future<Progress> poll(Handle handle, ProviderContext ctx);

  /**
   * For backends that push (SSE, NDJSON, WebSocket): follow the task, reporting to {@code sink},
   * and complete when the stream ends. Called only if {@link ProviderInfo#streams()} is true. If
   * the stream ends before a terminal {@link Progress}, the host falls back to {@link #poll}.
   */
  default Future<Void> stream(Handle handle, ProviderContext ctx, ProgressSink sink) {
    return Future.failedFuture(new ProviderException("unsupported", 0, "this provider does not stream"));
  }

  /**
   * For backends that hold a task until the user agrees to its cost (the task reported
   * {@link Progress.Status#AWAITING_CONFIRMATION}): tells the backend the user confirmed. This
   * spends credits, so the host calls it at most once per confirmation. Answers the handle to go
   * on polling (the same one, or a new one if the backend made new ids).
   */
  default Future<Handle> confirm(Handle handle, ProviderContext ctx) {
    return Future.failedFuture(new ProviderException("unsupported", 0, "this provider has no confirmation step"));
  }

  /** Asks the backend to stop a task. Best effort: the host marks the task cancelled either way. */
  default Future<Void> cancel(Handle handle, ProviderContext ctx) {
    return Future.succeededFuture();
  }

  /** Credits and other account facts for the configured credentials. */
  default Future<Account> account(ProviderContext ctx) {
    return Future.succeededFuture(Account.UNKNOWN);
  }

  /**
   * After a crash during {@link #submit}, the host does not know whether the backend received the
   * job. A provider that can find out (by idempotency key, by listing recent tasks) says so here;
   * the default is that it cannot tell, and the task is failed with a clear reason, never re-sent.
   */
  default Future<Reconciliation> reconcile(Job job, ProviderContext ctx) {
    return Future.succeededFuture(Reconciliation.cannotTell("this provider cannot look up a submission"));
  }

  /**
   * What is wrong with this provider's configuration, in one plain line a user can act on (e.g.
   * a key with an unknown prefix, saying which prefixes are valid), else empty. Called when the
   * host checks readiness; must not do I/O. A provider with a problem is shown as not ready and
   * gets no tasks.
   */
  default Optional<String> configProblem(ProviderContext ctx) {
    return Optional.empty();
  }

  /**
   * Tasks whose jobs answer the same key run one at a time, in the order they were created; the
   * others wait in the host's queue (state {@code queued}) instead of being refused upstream. For
   * backends that allow one running generation per conversation thread. Must be cheap and pure.
   */
  default Optional<String> queueKey(Job job) {
    return Optional.empty();
  }

  /**
   * Starts a device-style sign-in (the skill declares {@code requires.login}). Answers a pending
   * {@link Login} with the link to open; the host then calls {@link #loginPoll} until it ends.
   * {@code request} is the client's JSON body (e.g. {@code {"switch": true}} to change account).
   */
  default Future<Login> login(JsonObject request, ProviderContext ctx) {
    return Future.failedFuture(new ProviderException("unsupported", 0, "this provider has no sign-in flow"));
  }

  /** One look at a pending sign-in; on success the provider has stored the credentials. */
  default Future<Login> loginPoll(Login pending, ProviderContext ctx) {
    return Future.failedFuture(new ProviderException("unsupported", 0, "this provider has no sign-in flow"));
  }

  /** Forgets the stored credentials (the environment's, if any, still apply). */
  default Future<Void> logout(ProviderContext ctx) {
    return Future.failedFuture(new ProviderException("unsupported", 0, "this provider has no sign-in flow"));
  }
}
