package dev.skillhost.host.metrics;

import io.vertx.core.Completable;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientConnection;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.http.HttpClientInternal;
import io.vertx.core.internal.net.NetClientInternal;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.spi.metrics.Metrics;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The host's HTTP client as one provider sees it: the same pool and options, with each request
 * counted (requests, errors, 429s, time to the response's head) under the provider and the rate
 * bucket of the call in progress ({@link UpstreamScope}). Plugins change nothing: they call
 * {@code ctx.http()} or {@code WebClient.wrap(ctx.http())} as before. It implements Vert.x's
 * internal client interface because {@code WebClient.wrap} casts to it; everything but
 * {@link #request(RequestOptions)} goes straight to the shared client.
 */
final class MeteredHttpClient implements HttpClientInternal {

  private final HttpClientInternal delegate;
  private final String provider;
  private final HostMetrics metrics;

  MeteredHttpClient(HttpClient delegate, String provider, HostMetrics metrics) {
    this.delegate = (HttpClientInternal) delegate;
    this.provider = provider;
    this.metrics = metrics;
  }

  @Override
  public Future<HttpClientRequest> request(RequestOptions options) {
    String bucket = UpstreamScope.current();
    long start = System.nanoTime();
    return delegate.request(options)
        .onFailure(e -> record(bucket, start, 0)) // no connection: refused, DNS, pool timeout
        .onSuccess(req -> req.response().onComplete(ar -> record(bucket, start,
            ar.succeeded() ? ar.result().statusCode() : 0)));
  }

  private void record(String bucket, long start, int status) {
    metrics.upstreamHttp(provider, bucket, System.nanoTime() - start, status);
  }

  @Override
  public Future<Void> shutdown(long timeout, TimeUnit unit) {
    return delegate.shutdown(timeout, unit);
  }

  @Override
  public Future<Void> close() {
    return delegate.close();
  }

  @Override
  public Future<Boolean> updateSSLOptions(ClientSSLOptions options, boolean force) {
    return delegate.updateSSLOptions(options, force);
  }

  @Override
  public Future<HttpClientConnection> connect(HttpConnectOptions options) {
    return delegate.connect(options);
  }

  @Override
  public boolean isMetricsEnabled() {
    return delegate.isMetricsEnabled();
  }

  @Override
  public VertxInternal vertx() {
    return delegate.vertx();
  }

  @Override
  public Function<HttpClientResponse, Future<RequestOptions>> redirectHandler() {
    return delegate.redirectHandler();
  }

  @Override
  public HttpClientOptions options() {
    return delegate.options();
  }

  @Override
  public NetClientInternal netClient() {
    return delegate.netClient();
  }

  @Override
  public Future<Void> closeFuture() {
    return delegate.closeFuture();
  }

  @Override
  public Metrics getMetrics() {
    return delegate.getMetrics();
  }

  @Override
  public void close(Completable<Void> completion) {
    delegate.close(completion);
  }
}
