package dev.skillhost.host.outbox;

import dev.skillhost.host.net.AddressPolicy;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import java.time.Clock;
import java.time.Duration;

/**
 * Posts one webhook delivery the Standard Webhooks way: headers {@code webhook-id} (the
 * delivery's stable id), {@code webhook-timestamp} (seconds, this attempt) and
 * {@code webhook-signature}; to the checked address of the URL, without following redirects.
 * A 2xx is delivered, 410 Gone stops, anything else is retried ({@code Retry-After} honoured).
 */
final class WebhookSender {

  private static final long MAX_RETRY_AFTER_S = 24 * 3600;

  private final Vertx vertx;
  private final HttpClient http;
  private final AddressPolicy policy;
  private final WebhookSecrets secrets;
  private final Duration timeout;
  private final Clock clock;

  WebhookSender(Vertx vertx, HttpClient http, AddressPolicy policy, WebhookSecrets secrets, Duration timeout, Clock clock) {
    this.vertx = vertx;
    this.http = http;
    this.policy = policy;
    this.secrets = secrets;
    this.timeout = timeout;
    this.clock = clock;
  }

  Future<Outcome> send(OutboxEntry e) {
    return vertx.executeBlocking(() -> Endpoint.resolve(e.target(), policy))
        .compose(endpoint -> secrets.of(e.owner()).compose(secret -> post(endpoint, e, secret)))
        .recover(err -> Future.succeededFuture(err instanceof Endpoint.Refused refused
            ? Outcome.failed(refused.getMessage())
            : Outcome.retry(describe(err), null)));
  }

  private Future<Outcome> post(Endpoint endpoint, OutboxEntry e, String secret) {
    long timestamp = clock.millis() / 1000;
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setServer(SocketAddress.inetSocketAddress(endpoint.port(), endpoint.address().getHostAddress()))
        .setHost(endpoint.host())
        .setPort(endpoint.port())
        .setSsl(endpoint.ssl())
        .setURI(endpoint.pathAndQuery())
        .setFollowRedirects(false)
        .setTimeout(timeout.toMillis())
        .putHeader("content-type", "application/json")
        .putHeader("user-agent", "Skillhost-Webhooks/1")
        .putHeader("webhook-id", e.id())
        .putHeader("webhook-timestamp", Long.toString(timestamp))
        .putHeader("webhook-signature", Signature.sign(secret, e.id(), timestamp, e.payload()));
    return http.request(options)
        .compose(request -> request.send(Buffer.buffer(e.payload())))
        .compose(response -> response.body().map(body -> classify(response)));
  }

  private static Outcome classify(HttpClientResponse response) {
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return Outcome.delivered(new JsonObject().put("status", status));
    }
    if (status == 410) {
      return Outcome.gone("the receiver answered 410 Gone: no more deliveries to this webhook");
    }
    return Outcome.retry("the receiver answered HTTP " + status, retryAfter(response.getHeader("retry-after")));
  }

  private static Duration retryAfter(String header) {
    if (header == null) {
      return null;
    }
    try {
      long seconds = Long.parseLong(header.strip());
      return seconds < 0 ? null : Duration.ofSeconds(Math.min(seconds, MAX_RETRY_AFTER_S));
    } catch (NumberFormatException ignored) {
      return null; // an HTTP date: the schedule's own wait applies
    }
  }

  /**
   * A failed attempt in words a person reads on the deliveries page ("could not connect: Connection
   * refused: /127.0.0.1:43527"), not an exception's class name; unknown kinds keep the class name
   * only when there is no message.
   */
  static String describe(Throwable err) {
    String message = err.getMessage() == null || err.getMessage().isBlank() ? null : err.getMessage().strip();
    String kind;
    if (err instanceof java.net.ConnectException) {
      kind = "could not connect";
    } else if (err instanceof java.net.UnknownHostException) {
      kind = "unknown host";
    } else if (err instanceof java.util.concurrent.TimeoutException || err instanceof java.net.SocketTimeoutException) {
      kind = "no answer in time";
    } else if (err instanceof javax.net.ssl.SSLException) {
      kind = "TLS failed";
    } else if (err instanceof java.io.IOException && message == null) {
      kind = "connection lost";
    } else {
      return message != null ? message : err.getClass().getSimpleName();
    }
    return message == null ? kind : kind + ": " + message;
  }
}
