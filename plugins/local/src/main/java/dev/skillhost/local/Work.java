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
}
