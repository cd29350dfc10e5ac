package dev.skillhost.simulators;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Faults a test asks a simulator to inject, one per matching request, in the order queued. A
 * route is the simulator's own name for an endpoint, by convention {@code "METHOD /path"} as the
 * backend documents it (e.g. {@code "POST /v1/chat"}).
 *
 * <p>Kinds: an HTTP status with a body the backend would send; a connection reset before any
 * answer; a reset after the backend has done the work (the client cannot know it was received,
 * the case money-safety is about); a slow answer; malformed JSON.
 */
public final class Faults {

  /** One injected fault. */
  public sealed interface Fault {}

  /** Answers {@code status} with {@code body} (JSON text) and an optional Retry-After (seconds). */
  public record Status(int status, String body, Integer retryAfterSeconds) implements Fault {}

  /** Closes the connection without answering, before the request has any effect. */
  public record ResetBefore() implements Fault {}

  /** Does the work (a spend is counted), then closes the connection without answering. */
  public record ResetAfter() implements Fault {}

  /** Does the work and answers, after {@code delayMs}. */
  public record Slow(long delayMs) implements Fault {}

  /** Does the work, then answers 200 with a body that is not JSON. */
  public record Malformed() implements Fault {}

  private final Map<String, Deque<Fault>> queued = new ConcurrentHashMap<>();

  /** Queues {@code fault} for the next request to {@code route}. */
  public Faults next(String route, Fault fault) {
    queued.computeIfAbsent(route, r -> new ArrayDeque<>()).add(fault);
    return this;
  }

  /** Queues {@code fault} for each of the next {@code times} requests to {@code route}. */
  public Faults next(String route, Fault fault, int times) {
    for (int i = 0; i < times; i++) {
      next(route, fault);
    }
    return this;
  }

  /** The fault for this request to {@code route}, taken off the queue, or null. */
  public synchronized Fault take(String route) {
    Deque<Fault> q = queued.get(route);
    return q == null ? null : q.poll();
  }

  public void clear() {
    queued.clear();
  }

  /**
   * Answers the request as {@code fault} says for the kinds that need no backend work
   * ({@link Status}, {@link ResetBefore}); answers false for the others, which the simulator
   * applies around its own work with {@link #finish}.
   */
  public static boolean before(Fault fault, RoutingContext rc) {
    if (fault instanceof Status s) {
      HttpServerResponse res = rc.response().setStatusCode(s.status()).putHeader("content-type", "application/json");
      if (s.retryAfterSeconds() != null) {
        res.putHeader("Retry-After", String.valueOf(s.retryAfterSeconds()));
      }
      res.end(s.body() == null ? "" : s.body());
      return true;
    }
    if (fault instanceof ResetBefore) {
      rc.request().connection().close();
      return true;
    }
    return false;
  }

  /** Sends {@code json} (the real answer) as {@code fault} says: late, malformed, not at all, or as is. */
  public static void finish(Fault fault, RoutingContext rc, Vertx vertx, int status, String json) {
    if (fault instanceof ResetAfter) {
      rc.request().connection().close();
    } else if (fault instanceof Slow s) {
      vertx.setTimer(Math.max(1, s.delayMs()), t -> {
        if (!rc.response().closed()) {
          send(rc, status, json);
        }
      });
    } else if (fault instanceof Malformed) {
      send(rc, 200, "{\"code\":0,\"data\":{" + json.substring(0, Math.min(json.length(), 7)));
    } else {
      send(rc, status, json);
    }
  }

  private static void send(RoutingContext rc, int status, String json) {
    rc.response().setStatusCode(status).putHeader("content-type", "application/json").end(json);
  }
}
