package dev.skillhost.host.outbox;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;

/**
 * A webhook receiver on 127.0.0.1 for tests: answers each request with the status its policy
 * gives for that webhook-id's n-th request, verifies every signature independently and keeps
 * what it accepted (2xx) and every request it saw.
 */
final class Receiver {

  /** One request as received. */
  record Hit(String id, String timestamp, JsonObject body, String problem, int answered) {}

  final List<Hit> hits = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
  private volatile IntUnaryOperator policy;
  private volatile StandardWebhooksVerifier verifier;
  private HttpServer server;

  /** @param policy status to answer for the n-th (1-based) request of one webhook-id */
  Receiver(IntUnaryOperator policy) {
    this.policy = policy;
  }

  Future<Receiver> start(Vertx vertx) {
    return vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      String id = req.getHeader("webhook-id");
      int n = seen.computeIfAbsent(String.valueOf(id), k -> new AtomicInteger()).incrementAndGet();
      StandardWebhooksVerifier v = verifier;
      String problem = v == null ? "no secret known to the receiver"
          : v.problem(id, req.getHeader("webhook-timestamp"), req.getHeader("webhook-signature"), body.getBytes());
      int status = problem != null ? 401 : policy.applyAsInt(n);
      hits.add(new Hit(id, req.getHeader("webhook-timestamp"), body.toJsonObject(), problem, status));
      req.response().setStatusCode(status).end();
    })).listen(0, "127.0.0.1").map(s -> {
      server = s;
      return this;
    });
  }

  void secret(String secret) {
    verifier = new StandardWebhooksVerifier(secret);
  }

  void policy(IntUnaryOperator next) {
    policy = next;
  }

  String url() {
    return "http://127.0.0.1:" + server.actualPort() + "/hooks/skillhost?src=test";
  }

  /** Ids the receiver accepted (answered 2xx), in order, with repeats. */
  List<String> accepted() {
    return hits.stream().filter(h -> h.answered() >= 200 && h.answered() < 300).map(Hit::id).toList();
  }

  Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
