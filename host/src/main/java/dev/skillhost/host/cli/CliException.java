package dev.skillhost.host.cli;

/**
 * Why a CLI command stopped, as one plain sentence for the user, with the exit status to end with.
 * Cheap (no stack trace): it is a message, not a bug report.
 */
public final class CliException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The task failed or was cancelled, the user declined, or the host refused the request. */
  public static final int FAILED = 1;
  /** A mistake in what was typed: a missing file, a malformed option, no API key. */
  public static final int BAD_INPUT = 2;
  /** Nothing answered at the host's address. */
  public static final int UNREACHABLE = 3;

  private final int exitCode;

  public CliException(int exitCode, String message) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
