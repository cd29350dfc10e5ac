package dev.skillhost.host.skills;

import dev.skillhost.api.Account;
import dev.skillhost.api.Estimate;
import dev.skillhost.api.Job;
import dev.skillhost.api.ProviderInfo;
import dev.skillhost.host.plugins.LiveProvider;
import io.vertx.core.Future;
import java.util.Optional;

/** What routing asks of a loaded provider: its secrets and the calls that spend nothing. */
interface Backend {

  Optional<String> secret(String name);

  Future<Estimate> estimate(Job job);

  Future<Account> account();

  /**
   * What stands in the way besides secrets and login, in one line, else empty: what is wrong with
   * the provider's configuration, or else its circuit breaker being open after repeated upstream
   * faults ({@code circuit open: …}), so routing ranks it as not ready.
   */
  default Optional<String> configProblem() {
    return Optional.empty();
  }

  /** A simulator (no real generation): it serves a request only when no real skill matches. */
  default boolean simulated() {
    return false;
  }

  /** Calls through {@link LiveProvider#call}, so a hot swap does not unload the provider mid-call. */
  static Backend of(LiveProvider live) {
    return new Backend() {
      @Override
      public Optional<String> secret(String name) {
        return live.context().secret(name);
      }

      @Override
      public Future<Estimate> estimate(Job job) {
        return live.call(p -> p.estimate(job, live.context()));
      }

      @Override
      public Future<Account> account() {
        return live.call(p -> p.account(live.context()));
      }

      @Override
      public Optional<String> configProblem() {
        try {
          Optional<String> problem = live.provider().configProblem(live.context());
          return problem != null && problem.isPresent() ? problem : live.circuit().problem();
        } catch (RuntimeException | LinkageError e) {
          return Optional.of("the provider could not check its configuration: " + e);
        }
      }

      @Override
      public boolean simulated() {
        return live.info().kind() == ProviderInfo.Kind.SIMULATED;
      }
    };
  }
}
