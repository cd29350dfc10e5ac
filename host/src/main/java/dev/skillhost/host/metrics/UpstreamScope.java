package dev.skillhost.host.metrics;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.PromiseInternal;
import java.util.function.Supplier;

/**
 * Which rate bucket the HTTP requests of a plugin belong to. A plugin makes its requests while the
 * host waits on one of its calls (a submit, a poll), but the client is shared by all of them, so
 * the request cannot say. The host runs each call on a duplicate of the current Vert.x context
 * that carries the bucket's name; everything the plugin does in that call (its requests, their
 * callbacks, its timers) runs on that duplicate, which is how Vert.x's own tracing follows a
 * request. The answer comes back on the caller's context, so the host's own code after the call
 * does not carry the label on.
 */
final class UpstreamScope {

  private static final Object KEY = new Object();

  private UpstreamScope() {}

  static <T> Future<T> run(String bucket, Supplier<Future<T>> call) {
    if (!(Vertx.currentContext() instanceof ContextInternal caller)) {
      return call.get(); // not on a Vert.x thread: nothing to carry the label (requests count as "none")
    }
    ContextInternal scope = caller.duplicate();
    scope.localContextData().put(KEY, bucket);
    PromiseInternal<T> answer = caller.promise();
    scope.dispatch(v -> {
      Future<T> f;
      try {
        f = call.get();
      } catch (RuntimeException e) {
        f = Future.failedFuture(e);
      }
      f.onComplete(answer);
    });
    return answer.future();
  }

  /** The bucket of the call running on the current context, or {@link HostMetrics#NONE}. */
  static String current() {
    Context c = Vertx.currentContext();
    if (c instanceof ContextInternal ci && ci.isDuplicate() && ci.localContextData().get(KEY) instanceof String b) {
      return b;
    }
    return HostMetrics.NONE;
  }
}
