package dev.skillhost.host.tasks;

import dev.skillhost.api.Handle;
import dev.skillhost.api.ProviderException;
import dev.skillhost.api.RateBucket;
import dev.skillhost.api.Reconciliation;
import dev.skillhost.host.plugins.LiveProvider;
import dev.skillhost.host.plugins.ProviderCircuit;
import dev.skillhost.host.skills.SkillOperation;
import dev.skillhost.host.store.Confirmation;
import dev.skillhost.host.store.Task;
import dev.skillhost.host.store.TaskEvent;
import dev.skillhost.host.store.TaskState;
import dev.skillhost.host.store.TaskStore;
import dev.skillhost.host.tasks.TaskLog.Draft;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Getting a task to its backend: ask for confirmation when the skill wants the spend confirmed,
 * submit exactly once (SUBMITTING stored first), and reconcile a submission whose outcome was
 * lost instead of sending it again. Part of {@link TaskRunner}; runs on the engine's context.
 */
final class Submission {

  private static final Logger LOG = LoggerFactory.getLogger(Submission.class);

  private final TaskRunner r;

  Submission(TaskRunner r) {
    this.r = r;
  }
  /**
   * The user confirmed the spend: submit (host-side confirmation) or tell the backend (its own).
   * The confirmation is stored first, through the store's conditional write, so that it is given
   * once however many confirms arrive, before or after a restart; then the spend follows.
   */
  Future<Task> confirm(Active a) {
    Confirmation asked = a.task.confirmation();
    if (asked != null && asked.confirmed()) {
      throw new TaskRejected(TaskRejected.Reason.WRONG_STATE, "Task '" + a.task.id() + "' was confirmed already (at "
          + Instant.ofEpochMilli(asked.confirmedAt()) + "); it goes on without a second confirmation.");
    }
    long now = r.clock.millis();
    if (a.task.handle() == null) {
      // Host-side: queued and confirmed in one durable write, nothing sent yet. A restart from
      // here submits without asking again; one caught while submitting is reconciled as usual.
      Confirmation given = (asked != null ? asked : Confirmation.asked(Confirmation.HOST, null, null, now)).confirm(now);
      return r.record(a, TaskState.QUEUED, a.task.withConfirmation(given), List.of(new Draft(TaskEvent.MESSAGE,
              new JsonObject().put("text", "Spend confirmed."))), true)
          .recover(e -> notAwaiting(a, e))
          .onSuccess(v -> r.step(a)).map(v -> a.task);
    }
    LiveProvider live = r.plugins.provider(a.task.provider()).orElseThrow(() -> new TaskRejected(
        TaskRejected.Reason.WRONG_STATE, "Provider '" + a.task.provider() + "' is not loaded; confirm again once it is."));
    Confirmation given = (asked != null ? asked : Confirmation.asked(Confirmation.PROVIDER, null, null, now)).confirm(now);
    // The backend's confirm spends like a submit: marked confirmed durably before it is sent, so a
    // second confirm is refused and a restart asks the backend where the task is instead of
    // sending it again. It counts against the same upstream budget as a submit.
    return r.record(a, TaskState.AWAITING_CONFIRMATION, a.task.withConfirmation(given), List.of(), true)
        .recover(e -> notAwaiting(a, e))
        .compose(v -> r.tokens.token(live, RateBucket.Call.SUBMIT))
        .compose(v -> r.call(live, RateBucket.Call.SUBMIT, "confirm", p -> p.confirm(a.task.handle(), live.context())))
        .compose(handle -> r.record(a, TaskState.RUNNING, a.task.withHandle(handle, live.version()), List.of())
            .onSuccess(v -> r.later(a, 0)), e -> confirmFailed(a, asked, e))
        .map(v -> a.task);
  }

  /** The store found the task confirmed already (by another host on the same file): this engine lets it go. */
  private Future<Void> notAwaiting(Active a, Throwable e) {
    if (e instanceof TaskStore.NotAwaiting) {
      r.forget(a);
      return Future.failedFuture(new TaskRejected(TaskRejected.Reason.WRONG_STATE,
          "Task '" + a.task.id() + "' was confirmed already; it goes on without a second confirmation."));
    }
    return Future.failedFuture(e);
  }

  /**
   * The backend's confirm failed. Refused outright: nothing was spent, so the task waits to be
   * confirmed again. Unclear (no answer, a server fault): it may have been taken, so the task is
   * followed as running and the backend's next answer says where it is; it is never re-sent.
   */
  private Future<Void> confirmFailed(Active a, Confirmation asked, Throwable cause) {
    if (!r.current(a)) {
      return Future.failedFuture(cause);
    }
    long now = r.clock.millis();
    if (Errors.refused(cause)) {
      Confirmation again = asked != null ? Confirmation.asked(asked.by(), asked.estimate(), asked.condition(), now)
          : Confirmation.asked(Confirmation.PROVIDER, null, null, now);
      return r.record(a, TaskState.AWAITING_CONFIRMATION, a.task.withConfirmation(again), List.of())
          .compose(v -> Future.failedFuture(cause));
    }
    LOG.warn("confirm of {} ended unclearly; asking the provider instead of confirming again: {}", a.task.id(),
        cause.toString());
    return r.record(a, TaskState.RUNNING, a.task, List.of(TaskRunner.message(
            "The provider's answer to the confirmation was lost; asking it where the task is.")))
        .onSuccess(v -> r.later(a, 0)).compose(v -> Future.failedFuture(cause));
  }

  void submit(Active a) {
    r.provider(a, RateBucket.Call.SUBMIT).ifPresent(live -> {
      if (live.circuit().state() == ProviderCircuit.State.OPEN) {
        // before an estimate or a confirmation prompt for a backend that is failing
        submitFailed(a, ProviderException.rejected(ProviderCircuit.OPEN_CODE,
            live.circuit().problem().orElse("circuit open") + "; nothing was sent"));
        return;
      }
      SkillOperation op = r.operation(a.task);
      Confirmation c = a.task.confirmation();
      boolean given = a.confirmed || (c != null && c.byHost() && c.confirmed());
      if (op != null && op.confirm() != null && !given) {
        askFirst(a, live, op);
        return;
      }
      send(a, live);
    });
  }

  /** The skill wants spends like this confirmed: estimate (spends nothing), then wait or go on. */
  void askFirst(Active a, LiveProvider live, SkillOperation op) {
    r.call(live, null, "estimate", p -> p.estimate(TaskRunner.job(a.task), live.context())).timeout(TaskRunner.CALL_TIMEOUT_S, TimeUnit.SECONDS)
        .onComplete(ar -> r.guarded(a, () -> {
          if (!r.current(a)) {
            return;
          }
          // The same evaluation as POST /v1/route, so the answer there and here always agree.
          if (op.needsConfirmation(a.task.params(), ar.succeeded() ? ar.result() : null)) {
            JsonObject cost = ar.succeeded() && ar.result() != null ? ar.result().toJson() : null;
            Task asking = a.task.withConfirmation(
                Confirmation.asked(Confirmation.HOST, cost, op.confirm().source(), r.clock.millis()));
            r.record(a, TaskState.AWAITING_CONFIRMATION, asking, List.of(new Draft(TaskEvent.STATE,
                new JsonObject().put("from", a.task.state().wire())
                    .put("cost", cost)
                    .put("condition", op.confirm().source()))));
          } else {
            a.confirmed = true;
            send(a, live);
          }
        }));
  }

  void send(Active a, LiveProvider live) {
    if (!r.enterLane(a, live)) {
      return; // parked behind the task on the same thread; woken when it ends
    }
    // Money-safety: SUBMITTING is durable before the provider is called, so a crash from here on
    // leaves a task the next start reconciles instead of sending again.
    r.record(a, TaskState.SUBMITTING, a.task, List.of()).onSuccess(v ->
        r.call(live, RateBucket.Call.SUBMIT, "submit", p -> p.submit(TaskRunner.job(a.task), live.context())).timeout(TaskRunner.SUBMIT_TIMEOUT_S, TimeUnit.SECONDS)
            .onComplete(ar -> r.guarded(a, () -> {
              if (ar.succeeded()) {
                submitted(a, live, ar.result());
              } else if (r.current(a)) {
                submitFailed(a, ar.cause());
              }
            })));
  }

  void submitted(Active a, LiveProvider live, Handle handle) {
    Task task = a.task.withHandle(handle, live.version());
    if (r.closed) {
      return; // stopped mid-submit: the stored SUBMITTING makes the next start reconcile it
    }
    if (!r.current(a)) {
      // finished meanwhile (deadline): the upstream task would run on unwatched, so stop it
      r.cancelUpstream(task);
      return;
    }
    if (a.cancelRequested) {
      r.cancelUpstream(task);
      r.record(a, TaskState.CANCELLED, task, List.of());
      return;
    }
    a.failures = 0;
    r.record(a, TaskState.RUNNING, task, List.of())
        .onSuccess(v -> r.follow(a, r.pacing.nextPoll(0, r.eta(live, task).toMillis(), null)));
  }

  /**
   * A submit that did not get a task: refused (nothing was spent) → wait, move to a fallback skill
   * or fail; anything unclear → reconcile, never re-send and never move (it may have been charged).
   */
  void submitFailed(Active a, Throwable cause) {
    if (Errors.refused(cause)) {
      boolean circuitOpen = cause instanceof ProviderException pe && ProviderCircuit.OPEN_CODE.equals(pe.code());
      if (circuitOpen && r.fallback.tryMove(a, cause)) {
        return;
      }
      if ((Errors.notNow(cause) || circuitOpen) && ++a.failures <= r.maxFailures) {
        // Refused for now (rate limit, busy thread, open circuit): nothing was spent, so waiting
        // and sending again is safe, and the user should not see a 429 or a 409. Past the task's
        // deadline, waiting is pointless: another skill may take it now.
        ProviderException pe = (ProviderException) cause;
        long wait = circuitOpen
            ? Math.max(r.pacing.backoff(a.failures, null), r.plugins.circuit(a.task.provider()).settings().reset().toMillis())
            : r.pacing.backoff(a.failures, pe.retryAfter());
        if (pastDeadline(a, wait) && r.fallback.tryMove(a, cause)) {
          return;
        }
        String why = circuitOpen ? "the provider is failing (" + pe.text() + ")" : "the provider asked to wait ("
            + pe.httpStatus() + "); nothing was spent";
        r.record(a, TaskState.QUEUED, a.task, List.of(TaskRunner.message(Character.toUpperCase(why.charAt(0))
            + why.substring(1) + ". Sending again in " + Math.max(1, Math.round(wait / 1000.0)) + " s.")))
            .onSuccess(v -> r.later(a, wait));
        return;
      }
      if (r.fallback.tryMove(a, cause)) {
        return;
      }
      r.fail(a, cause);
      return;
    }
    LOG.warn("submit of {} ended unclearly; reconciling instead of re-sending: {}", a.task.id(), cause.toString());
    r.record(a, TaskState.UNKNOWN, a.task, List.of(TaskRunner.message(
        "The provider's answer to the submission was lost; asking it whether the task arrived.")))
        .onSuccess(v -> reconcile(a));
  }

  private boolean pastDeadline(Active a, long waitMs) {
    return a.task.deadlineAt() != null && r.clock.millis() + waitMs >= a.task.deadlineAt();
  }

  void reconcile(Active a) {
    r.provider(a, RateBucket.Call.POLL).ifPresent(live ->
        r.call(live, RateBucket.Call.POLL, "reconcile", p -> p.reconcile(TaskRunner.job(a.task), live.context())).timeout(TaskRunner.CALL_TIMEOUT_S, TimeUnit.SECONDS)
            .onComplete(ar -> r.guarded(a, () -> {
              if (!r.current(a)) {
                return;
              }
              if (ar.failed()) {
                r.retryOrFail(a, ar.cause(), "could not find out whether the provider received the task");
                return;
              }
              Reconciliation found = ar.result();
              String p = a.task.provider();
              switch (found.outcome()) {
                case FOUND -> submitted(a, live, found.handle());
                case NOT_SUBMITTED -> r.fail(a, Errors.of("unknown", "resubmit", "not_submitted", 0,
                    "The host stopped while submitting this task and " + p
                        + " never received it, so nothing was spent. Submit it again.", found.reason()));
                case CANNOT_TELL -> r.fail(a, Errors.of("unknown", "contact", "submission_unknown", 0,
                    "The host stopped while submitting this task and " + p + " cannot say whether it received it."
                        + " It was not sent again, to avoid paying twice: check your " + p
                        + " account before submitting again.", found.reason()));
              }
            })));
  }
}
