package dev.skillhost.api;

/**
 * What a provider could find out about a submission whose outcome the host lost in a crash.
 *
 * @param outcome what was found
 * @param handle  the upstream task, when found
 * @param reason  for people, when not found or unknowable
 */
public record Reconciliation(Outcome outcome, Handle handle, String reason) {

  public enum Outcome {
    /** The backend has the task: the host goes on polling it. */
    FOUND,
    /** The backend certainly never received it: nothing was spent. */
    NOT_SUBMITTED,
    /** No way to tell: the host fails the task and says so. */
    CANNOT_TELL
  }

  public static Reconciliation found(Handle handle) {
    return new Reconciliation(Outcome.FOUND, handle, null);
  }

  public static Reconciliation notSubmitted(String reason) {
    return new Reconciliation(Outcome.NOT_SUBMITTED, null, reason);
  }

  public static Reconciliation cannotTell(String reason) {
    return new Reconciliation(Outcome.CANNOT_TELL, null, reason);
  }
}
