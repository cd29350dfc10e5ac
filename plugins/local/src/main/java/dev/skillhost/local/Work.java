package dev.skillhost.local;

/**
 * One planned operation, its parameters and inputs already checked. {@link #run} does the heavy
 * part on a job thread; an input that turns out unusable only when decoded (a truncated file) fails
 * it with a {@code ProviderException} from {@link Invalid}.
 */
interface Work {

  Result run(Env env);

  /** A rough time to finish, in milliseconds, for the host's polling pace. */
  long etaMs();

  /**
   * The video it makes, for its {@link Checkpoint}; null for work that makes no video (an image
   * edit, quick enough to run again from the start after a cut).
   */
  default VideoFormat video() {
    return null;
  }

  /** The part of the job done when frames start to render; progress runs from here to 1 with the frames. */
  default double renderFrom() {
    return 0;
  }
}
