package dev.skillhost.host.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** A small HTTP server on 127.0.0.1 standing in for a backend's CDN or a user's file host. */
public final class TestCdn {

  public final Router router;
  /** Requests served so far. */
  public final AtomicInteger hits = new AtomicInteger();
  private HttpServer server;

  private TestCdn(Router router) {
    this.router = router;
  }

  /** Starts a server on 127.0.0.1, port 0, with the routes {@code routes} adds. */
  public static Future<TestCdn> start(Vertx vertx, Consumer<Router> routes) {
    TestCdn cdn = new TestCdn(Router.router(vertx));
    cdn.router.route().handler(ctx -> {
      cdn.hits.incrementAndGet();
      ctx.next();
    });
    routes.accept(cdn.router);
    return vertx.createHttpServer().requestHandler(cdn.router).listen(0, "127.0.0.1")
        .map(s -> {
          cdn.server = s;
          return cdn;
        });
  }

  public int port() {
    return server.actualPort();
  }

  /** {@code http://127.0.0.1:<port><path>} */
  public String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  public Future<Void> close() {
    return server.close();
  }

  /** Answers with {@code bytes} as {@code type}. */
  public static void send(RoutingContext ctx, String type, byte[] bytes) {
    ctx.response().putHeader("Content-Type", type).end(io.vertx.core.buffer.Buffer.buffer(bytes));
  }
}
