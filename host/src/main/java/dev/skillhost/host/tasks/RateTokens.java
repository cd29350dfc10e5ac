package dev.skillhost.host.tasks;

import dev.skillhost.api.RateBucket;
import dev.skillhost.host.metrics.HostMetrics;
import dev.skillhost.host.plugins.LiveProvider;
import dev.skillhost.host.plugins.PluginHost;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The task runner's room under the providers' rate limits: tokens taken from this host's own
 * windows, or from the shared ledger when several nodes share them. Each provider account has a
 * line per kind of call ({@link #line}); how many tasks stand in it is the demand a shared
 * window weighs. Used on the engine's context only.
 */
final class RateTokens {

  private final Vertx vertx;
  private final Clock clock;
  private final PluginHost plugins;
  private final Throttle throttle;
  private RateLimits limits = new RateWindows();

  RateTokens(Vertx vertx, Clock clock, PluginHost plugins, Throttle throttle) {
    this.vertx = vertx;
    this.clock = clock;
    this.plugins = plugins;
    this.throttle = throttle;
  }

  /** Where room under the rate limits comes from: this host's own windows unless several nodes share them. */
  void use(RateLimits next) {
    limits.close();
    limits = next;
  }

  void close() {
    limits.close();
  }

  /** The line of calls of this kind to this provider's account: {@code provider:account NUL call}. */
  static String line(LiveProvider live, RateBucket.Call call) {
    return account(live) + '\u0000' + call;
  }

  /** Takes a token for {@code call} from the provider's rate buckets; answers how long to wait if there was none. */
  long take(LiveProvider live, RateBucket.Call call) {
    return limits.take(account(live), live.info().rateBuckets(), call, clock.millis(), demand(live, call));
  }

  /** How long until a token for {@code call} is due, without taking it. */
  long peek(LiveProvider live, RateBucket.Call call) {
    return limits.peek(account(live), live.info().rateBuckets(), call, clock.millis(), demand(live, call));
  }

  /** Completes once a token for {@code call} was taken, waiting for the buckets to refill if need be. */
  Future<Void> token(LiveProvider live, RateBucket.Call call) {
    long wait = take(live, call);
    return wait == 0 ? Future.succeededFuture() : vertx.timer(wait).compose(v -> token(live, call));
  }

  /** Every live provider's rate buckets, with the calls counted in each one's current window. */
  List<HostMetrics.BucketFill> fill() {
    long now = clock.millis();
    List<HostMetrics.BucketFill> out = new ArrayList<>();
    for (LiveProvider live : plugins.providers()) {
      for (RateBucket b : live.info().rateBuckets()) {
        out.add(new HostMetrics.BucketFill(live.id(), b.name(), b.permits(), b.window().toMillis(),
            limits.used(account(live), b, now)));
      }
    }
    return out;
  }

  /** Calls of this kind that want a token now: the tasks in its line and the one asking. */
  private int demand(LiveProvider live, RateBucket.Call call) {
    return throttle.size(line(live, call)) + 1;
  }

  private static String account(LiveProvider live) {
    return live.id() + ':' + live.context().config().getString("account", "default");
  }
}
