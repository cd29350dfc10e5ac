package dev.skillhost.host.skills;

import dev.skillhost.api.Account;
import dev.skillhost.api.Estimate;
import dev.skillhost.api.Job;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** A loaded provider as routing sees it: set secrets, a canned estimate and account, and the jobs it was asked to price. */
final class FakeBackend implements Backend {

  final List<Job> estimated = new ArrayList<>();
  private final Map<String, String> secrets = new HashMap<>();
  private Function<Job, Future<Estimate>> estimate = job -> Future.succeededFuture(Estimate.UNKNOWN);
  private Future<Account> account = Future.succeededFuture(Account.UNKNOWN);

  FakeBackend secret(String name, String value) {
    secrets.put(name, value);
    return this;
  }

  FakeBackend estimate(Function<Job, Future<Estimate>> estimate) {
    this.estimate = estimate;
    return this;
  }

  FakeBackend credits(double credits) {
    return estimate(job -> Future.succeededFuture(new Estimate(credits, "credits", null)));
  }

  FakeBackend account(Future<Account> account) {
    this.account = account;
    return this;
  }

  @Override
  public Optional<String> secret(String name) {
    return Optional.ofNullable(secrets.get(name));
  }

  @Override
  public Future<Estimate> estimate(Job job) {
    estimated.add(job);
    return estimate.apply(job);
  }

  @Override
  public Future<Account> account() {
    return account;
  }
}
