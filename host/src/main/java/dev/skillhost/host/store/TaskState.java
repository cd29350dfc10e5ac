package dev.skillhost.host.store;

import java.util.Locale;

/** Where a task is. Wire names are lowercase snake_case. */
public enum TaskState {
  QUEUED,
  /** Written before the provider's submit is called: found here after a crash, it becomes UNKNOWN. */
  SUBMITTING,
  RUNNING,
  AWAITING_CONFIRMATION,
  /** The host died while submitting; reconciled through the provider, never re-sent. */
  UNKNOWN,
  SUCCEEDED,
  FAILED,
  CANCELLED;

  public boolean terminal() {
    return this == SUCCEEDED || this == FAILED || this == CANCELLED;
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a wire name; throws IllegalArgumentException naming the valid ones. */
  public static TaskState ofWire(String wire) {
    for (TaskState s : values()) {
      if (s.wire().equals(wire)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown state '" + wire + "'; states are queued, submitting, running,"
        + " awaiting_confirmation, unknown, succeeded, failed, cancelled");
  }
}
