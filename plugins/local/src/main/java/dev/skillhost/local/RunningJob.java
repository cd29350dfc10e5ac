package dev.skillhost.local;

import dev.skillhost.api.Progress;
import dev.skillhost.api.ProviderException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Future;

/** One task's work in this plugin instance: where it is, and how it ended. Shared between threads. */
final class RunningJob {

  /** How soon the host should look again while work runs; it clamps this to its own bounds. */
  static final Duration POLL_HINT = Duration.ofMillis(500);

  final String taskId;
  private volatile double fraction;
  private volatile String message;
  private volatile boolean cancelled;
  private volatile boolean stopping;
  private volatile Progress outcome;
  private volatile long finishedAt;
  private volatile Future<?> future;

  /** {@code fraction}: where it starts, above 0 when it resumes a cut-off run. */
  RunningJob(String taskId, String message, double fraction) {
    this.taskId = taskId;
    this.message = message;
    this.fraction = fraction;
  }

  void report(double fraction, String message) {
    this.fraction = Math.max(this.fraction, Math.min(0.99, fraction));
    this.message = message;
  }

  void finish(Progress terminal, long now) {
    outcome = terminal;
    finishedAt = now;
  }

  void attach(Future<?> work) {
    future = work;
  }

  /** Stops the work at its next check and interrupts it if it is waiting. */
  void cancel() {
    cancelled = true;
    Future<?> f = future;
    if (f != null) f.cancel(true);
  }

  /**
   * Stops the work because this plugin instance is going away (host shutdown, plugin swap), not
   * because the user asked: what it has made is kept for the next instance to resume from.
   */
  void stop() {
    stopping = true;
    cancel();
  }

  boolean cancelled() {
    return cancelled;
  }

  boolean stopping() {
    return stopping;
  }

  /** Finished this long ago, or -1 while running. */
  long finishedFor(long now) {
    return outcome == null ? -1 : now - finishedAt;
  }

  /** A look at it, for {@code poll}. */
  Progress look() {
    if (stopping) {
      // never an end: the next instance of the plugin resumes the work from the handle
      return new Progress(Progress.Status.RUNNING, fraction, "paused: the local provider is stopping", List.of(), null,
          null, POLL_HINT, null);
    }
    Progress done = outcome;
    if (done != null) return done;
    if (cancelled) return Progress.failed(new ProviderException("cancelled", 0, "the task was cancelled"));
    return new Progress(Progress.Status.RUNNING, fraction, message, List.of(), null, null, POLL_HINT, null);
  }
}
