package dev.skillhost.host.tasks;

import dev.skillhost.api.Handle;
import dev.skillhost.api.ProviderException;
import dev.skillhost.api.RateBucket;
import dev.skillhost.api.Reconciliation;
import dev.skillhost.host.plugins.LiveProvider;
import dev.skillhost.host.plugins.ProviderCircuit;
import dev.skillhost.host.skills.SkillOperation;
import dev.skillhost.host.store.Task;
import dev.skillhost.host.store.TaskEvent;
import dev.skillhost.host.store.TaskState;
import dev.skillhost.host.tasks.TaskLog.Draft;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
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
  /** The user confirmed the spend: submit (host-side confirmation) or tell the backend (its own). */
  Future<Task> confirm(Active a) {
    if (a.task.handle() == null) {
      a.confirmed = true;
      return r.record(a, TaskState.QUEUED, a.task, List.of(new Draft(TaskEvent.MESSAGE,
          new JsonObject().put("text", "Spend confirmed.")))).onSuccess(v -> r.step(a)).map(v -> a.task);
    }
    LiveProvider live = r.plugins.provider(a.task.provider()).orElseThrow(() -> new TaskRejected(
        TaskRejected.Reason.WRONG_STATE, "Provider '" + a.task.provider() + "' is not loaded; confirm again once it is."));
    // A confirmation spends like a submit and counts against the same upstream budget.
    return r.token(live, RateBucket.Call.SUBMIT)
        .compose(v -> r.call(live, RateBucket.Call.SUBMIT, "confirm", p -> p.confirm(a.task.handle(), live.context())))
        .compose(handle -> r.record(a, TaskState.RUNNING, a.task.withHandle(handle, live.version()), List.of()))
        .onSuccess(v -> r.later(a, 0))
        .map(v -> a.task);
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
      if (op != null && op.confirm() != null && !a.confirmed) {
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
            r.record(a, TaskState.AWAITING_CONFIRMATION, a.task, List.of(new Draft(TaskEvent.STATE,
                new JsonObject().put("from", a.task.state().wire())
                    .put("cost", ar.succeeded() ? ar.result().toJson() : null)
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
