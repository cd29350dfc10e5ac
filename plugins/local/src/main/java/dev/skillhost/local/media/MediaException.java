package dev.skillhost.local.media;

/**
 * An input file that cannot be used, and why. The provider turns it into a failed task whose kind
 * is {@code invalid_input}; the message names the problem for the user.
 */
public final class MediaException extends Exception {

  private static final long serialVersionUID = 1L;

  /** What is wrong with the input. */
  public enum Problem {
    /** Not an image or video at all, or a format this provider does not read. */
    NOT_MEDIA,
    /** Cut short or damaged. */
    CORRUPT,
    /** More pixels, frames or seconds than the limits allow (a decompression bomb, say). */
    TOO_LARGE
  }

  private final Problem problem;

  public MediaException(Problem problem, String message) {
    super(message, null, false, false);
    this.problem = problem;
  }

  public Problem problem() {
    return problem;
  }
}
