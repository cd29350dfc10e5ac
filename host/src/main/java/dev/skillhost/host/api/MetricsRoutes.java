package dev.skillhost.host.api;

import dev.skillhost.host.metrics.HostMetrics;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /metrics} in the Prometheus text format: on the API behind the key, or on a listener
 * of its own (no key; bind it where only the scraper reaches). The engine's gauges are brought up
 * to date first; the scrape renders on a worker: it is CPU work that grows with the number of
 * series, and the event loop serves the API.
 */
final class MetricsRoutes {

  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final Vertx vertx;
  private final HostMetrics metrics;

  MetricsRoutes(Vertx vertx, HostMetrics metrics) {
    this.vertx = vertx;
    this.metrics = metrics;
  }

  /** On the API's router, behind {@code auth}. */
  void mount(Router router, Handler<RoutingContext> auth) {
    router.get("/metrics").handler(auth).handler(this::scrape);
  }

  /** A listener of its own that serves only {@code /metrics}. */
  Future<HttpServer> listen(String host, int port) {
    Router router = Router.router(vertx);
    router.get("/metrics").handler(this::scrape);
    return vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port)).requestHandler(router).listen();
  }

  private void scrape(RoutingContext ctx) {
    metrics.refresh().compose(v -> vertx.executeBlocking(metrics::scrape, false))
        .onSuccess(text -> ctx.response().putHeader("Content-Type", CONTENT_TYPE).end(text))
        .onFailure(ctx::fail);
  }
}
