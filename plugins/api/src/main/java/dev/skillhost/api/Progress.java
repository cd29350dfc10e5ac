package dev.skillhost.api;

import java.time.Duration;
import java.util.List;

/**
 * One look at a task.
 *
 * @param status     where the task is
 * @param fraction   0..1 when known, else -1
 * @param message    the backend's own words for people, or null
 * @param outputs    results so far (may grow while running; complete when succeeded)
 * @param error      why it failed, when {@code status} is FAILED
 * @param handle     a replacement handle when the upstream ids changed, else null
 * @param nextPollIn the backend's hint for the next look, or null
 * @param cost       what the backend asks to spend, when {@code status} is AWAITING_CONFIRMATION
 */
public record Progress(
    Status status,
    double fraction,
    String message,
    List<Output> outputs,
    ProviderException error,
    Handle handle,
    Duration nextPollIn,
    Estimate cost) {

  /** Upstream status, as far as the host needs it. */
  public enum Status { RUNNING, AWAITING_CONFIRMATION, SUCCEEDED, FAILED }

  public Progress {
    outputs = List.copyOf(outputs);
  }

  public static Progress running(double fraction, String message) {
    return new Progress(Status.RUNNING, fraction, message, List.of(), null, null, null, null);
  }

  public static Progress succeeded(List<Output> outputs) {
    return new Progress(Status.SUCCEEDED, 1.0, null, outputs, null, null, null, null);
  }

  public static Progress failed(ProviderException error) {
    return new Progress(Status.FAILED, -1, error.getMessage(), List.of(), error, null, null, null);
  }

  public boolean terminal() {
    return status == Status.SUCCEEDED || status == Status.FAILED;
  }
}
