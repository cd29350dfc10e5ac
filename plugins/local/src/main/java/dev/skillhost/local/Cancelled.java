package dev.skillhost.local;

/** Thrown inside a job once it has been cancelled, to unwind its work. */
final class Cancelled extends RuntimeException {

  private static final long serialVersionUID = 1L;

  Cancelled() {
    super("cancelled", null, false, false);
  }
}
