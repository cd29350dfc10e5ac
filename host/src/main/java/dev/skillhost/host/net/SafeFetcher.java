package dev.skillhost.host.net;

import dev.skillhost.host.net.FetchException.Kind;
import dev.skillhost.host.store.FileInfo;
import dev.skillhost.host.store.FileStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The one way the host fetches a URL on a user's behalf: a URL a user hands in as an input, an
 * output a provider reports at its CDN. Safe against server-side request forgery:
 * <ul>
 *   <li>http and https only ({@code file:}, {@code ftp:}, {@code data:} … are refused);</li>
 *   <li>the name is resolved by the host, <em>every</em> address it resolves to is checked with the
 *       {@link AddressPolicy}, and the connection goes to the checked address itself (the name is
 *       sent as Host header and TLS SNI), so a name that answers differently a moment later (DNS
 *       rebinding) cannot slip through;</li>
 *   <li>redirects are followed by hand, at most {@value #MAX_REDIRECTS}, each one checked the same way;</li>
 *   <li>limits on bytes (reading stops past the limit), on the whole time and on the time to the
 *       first byte (and between two chunks); an allowlist of declared content types; the bytes are
 *       sniffed and must be of an allowed type too;</li>
 *   <li>the body is streamed to a scratch file and moved into the {@link FileStore}, never held in memory.</li>
 * </ul>
 * Webhook deliveries and chat channels that post to user-given addresses must check them with the
 * same {@link AddressPolicy} and connect to the checked address in the same way.
 */
public final class SafeFetcher {

  public static final int MAX_REDIRECTS = 5;

  /**
   * @param maxBytes     largest body, bytes
   * @param timeout      longest the whole fetch may take, redirects included
   * @param firstByte    longest wait for a response head, and between two chunks of a body
   * @param contentTypes accepted types, exact ({@code video/mp4}) or by family ({@code image/*}), declared
   *                     or sniffed
   * @param mediaOnly    whether the sniffed type must be image, video or audio (a user's input), so a
   *                     generic declared type such as octet-stream is let through only for real media
   */
  public record Limits(long maxBytes, Duration timeout, Duration firstByte, List<String> contentTypes, boolean mediaOnly) {
    public Limits {
      contentTypes = List.copyOf(contentTypes);
    }

    public Limits withMaxBytes(long next) {
      return new Limits(next, timeout, firstByte, contentTypes, mediaOnly);
    }

    public Limits withMediaOnly(boolean next) {
      return new Limits(maxBytes, timeout, firstByte, contentTypes, next);
    }

    boolean acceptsSniffed(String type) {
      return mediaOnly ? type.startsWith("image/") || type.startsWith("video/") || type.startsWith("audio/") : accepts(type);
    }

    boolean accepts(String type) {
      String t = type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
      return contentTypes.stream().anyMatch(a -> a.endsWith("/*") ? t.startsWith(a.substring(0, a.length() - 1)) : a.equals(t));
    }
  }

  /** A fetched file, now in the store, and the URL it finally came from (after redirects). */
  public record Fetched(FileInfo file, String finalUrl) {}

  private final Vertx vertx;
  private final FileStore store;
  private final AddressPolicy policy;
  private final Limits limits;
  private final HttpClient client;

  public SafeFetcher(Vertx vertx, FileStore store, AddressPolicy policy, Limits limits) {
    this.vertx = vertx;
    this.store = store;
    this.policy = policy;
    this.limits = limits;
    // no pooling: each fetch connects to the address it has just checked
    this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false).setForceSni(true)
        .setVerifyHost(true).setMaxRedirects(0));
  }

  public Limits limits() {
    return limits;
  }

  /** Fetches {@code url} with the default limits. */
  public Future<Fetched> fetch(String url, Map<String, String> headers) {
    return fetch(url, headers, limits);
  }

  /**
   * Fetches {@code url} (sending {@code headers}, e.g. those a CDN needs) into the store. Fails
   * with a {@link FetchException} that says why when the URL is refused or the fetch is cut off.
   */
  public Future<Fetched> fetch(String url, Map<String, String> headers, Limits limits) {
    Attempt attempt = new Attempt(limits, headers == null ? Map.of() : headers);
    long timer = vertx.setTimer(Math.max(1, limits.timeout().toMillis()), t -> attempt.abort(new FetchException(
        Kind.TIMEOUT, "no whole answer within " + seconds(limits.timeout()) + " (the time limit of a fetch)")));
    Future<URI> parsed;
    try {
      parsed = Future.succeededFuture(checkUri(url));
    } catch (FetchException e) {
      parsed = Future.failedFuture(e);
    }
    return parsed.compose(attempt::start)
        .eventually(() -> {
          vertx.cancelTimer(timer);
          return Future.succeededFuture();
        });
  }

  /** Closes the HTTP client. */
  public Future<Void> close() {
    return client.close();
  }

  private static URI checkUri(String url) {
    if (url == null || url.isBlank()) {
      throw new FetchException(Kind.REFUSED, "no URL was given");
    }
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      throw new FetchException(Kind.REFUSED, "'" + clip(url) + "' is not a URL (" + e.getReason() + ")");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new FetchException(Kind.REFUSED, scheme.isEmpty() ? "'" + clip(url) + "' has no scheme; only http and https URLs are fetched"
          : "scheme " + scheme + " is not allowed; only http and https URLs are fetched");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new FetchException(Kind.REFUSED, "'" + clip(url) + "' names no host");
    }
    return uri;
  }

  /** One fetch: its hops share the limits, the overall timer and the request in flight. */
  private final class Attempt {
    private final Limits limits;
    private final Map<String, String> headers;
    private final Promise<Downloaded> result = Promise.promise();
    private HttpClientRequest inFlight;
    private Path scratch;
    /** The caller's headers (a CDN's key) go to the URL's own origin only, as browsers do with credentials. */
    private String origin;

    Attempt(Limits limits, Map<String, String> headers) {
      this.limits = limits;
      this.headers = headers;
    }

    Future<Fetched> start(URI uri) {
      origin = origin(uri);
      hop(uri, 0, "");
      return result.future()
          .recover(err -> scratch == null ? Future.failedFuture(err)
              : vertx.fileSystem().delete(scratch.toString()).transform(x -> Future.failedFuture(err)))
          .compose(this::stored);
    }

    void abort(FetchException why) {
      if (result.tryFail(why) && inFlight != null) {
        inFlight.reset(0, why);
      }
    }

    /** One request; {@code refusedPrefix} names the redirect that led here, for a refusal's message. */
    private void hop(URI uri, int redirects, String refusedPrefix) {
      String host = bare(uri.getHost());
      vertx.executeBlocking(() -> InetAddress.getAllByName(host), false)
          .recover(err -> Future.failedFuture(err instanceof UnknownHostException
              ? new FetchException(Kind.NO_SUCH_HOST, "the name " + host + " does not resolve") : err))
          .compose(addresses -> checked(host, addresses))
          .compose(address -> request(uri, address))
          .onSuccess(response -> answered(uri, redirects, response))
          .onFailure(err -> failed(err instanceof FetchException fe && fe.kind() == Kind.REFUSED && !refusedPrefix.isEmpty()
              ? new FetchException(Kind.REFUSED, refusedPrefix + fe.getMessage()) : err));
    }

    private Future<InetAddress> checked(String host, InetAddress[] addresses) {
      boolean literal = host.matches("[0-9.]+|[0-9a-fA-F.]*:[0-9a-fA-F:.%a-zA-Z]*");
      for (InetAddress a : addresses) {
        Optional<String> why = policy.refusal(a);
        if (why.isPresent()) {
          // one bad address is enough: the name could send the next connection there
          return Future.failedFuture(new FetchException(Kind.REFUSED, literal ? why.get()
              : host + " resolves to " + a.getHostAddress() + "; " + why.get()));
        }
      }
      return Future.succeededFuture(addresses[0]);
    }

    private Future<HttpClientResponse> request(URI uri, InetAddress address) {
      if (result.future().isComplete()) {
        return Future.failedFuture(new IllegalStateException("fetch already ended"));
      }
      boolean tls = "https".equalsIgnoreCase(uri.getScheme());
      int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
      String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
          + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
      RequestOptions options = new RequestOptions()
          .setMethod(HttpMethod.GET)
          .setServer(SocketAddress.inetSocketAddress(new InetSocketAddress(address, port)))
          .setHost(bare(uri.getHost()))
          .setPort(port)
          .setSsl(tls)
          .setURI(path)
          .setFollowRedirects(false)
          .setConnectTimeout(limits.firstByte().toMillis())
          .setIdleTimeout(limits.firstByte().toMillis());
      headers.forEach((k, v) -> {
        if (!k.equalsIgnoreCase("host") && origin.equals(origin(uri))) {
          options.addHeader(k, v);
        }
      });
      return client.request(options).compose(req -> {
        inFlight = req;
        return req.send();
      }).recover(err -> Future.failedFuture(translate(err, uri)));
    }

    private void answered(URI uri, int redirects, HttpClientResponse response) {
      response.pause();
      response.exceptionHandler(err -> { }); // a reset of our own below is no error worth a log line
      int status = response.statusCode();
      String location = response.getHeader(HttpHeaders.LOCATION);
      if (status >= 300 && status < 400 && location != null) {
        inFlight.reset();
        redirect(uri, location, redirects);
        return;
      }
      if (status < 200 || status >= 300) {
        inFlight.reset();
        failed(new FetchException(Kind.UPSTREAM_STATUS, status, uri.getHost() + " answered HTTP " + status
            + (status == 403 || status == 404 || status == 410 ? " (the link may have expired)" : "")));
        return;
      }
      String type = response.getHeader(HttpHeaders.CONTENT_TYPE);
      if (type != null && !limits.accepts(type)) {
        inFlight.reset();
        failed(new FetchException(Kind.UNSUPPORTED_TYPE, "the server says the file is " + clip(type)
            + "; accepted are " + String.join(", ", limits.contentTypes())));
        return;
      }
      String length = response.getHeader(HttpHeaders.CONTENT_LENGTH);
      if (length != null && length.matches("\\d{1,18}") && Long.parseLong(length) > limits.maxBytes()) {
        inFlight.reset();
        failed(tooLarge());
        return;
      }
      body(uri, response, type);
    }

    private void redirect(URI from, String location, int redirects) {
      String prefix = "redirect to " + clip(location.strip()) + " refused: ";
      URI next;
      try {
        next = checkUri(from.resolve(location.strip()).toString());
      } catch (IllegalArgumentException e) {
        failed(new FetchException(Kind.REFUSED, prefix + "it is not a URL"));
        return;
      } catch (FetchException e) {
        failed(new FetchException(Kind.REFUSED, prefix + e.getMessage()));
        return;
      }
      if (redirects + 1 > MAX_REDIRECTS) {
        failed(new FetchException(Kind.REFUSED, "more than " + MAX_REDIRECTS + " redirects"));
        return;
      }
      hop(next, redirects + 1, prefix);
    }

    private void body(URI uri, HttpClientResponse response, String type) {
      scratch = store.scratch(".fetch");
      long[] received = {0};
      long[] idle = {-1};
      Runnable stillAlive = () -> {
        vertx.cancelTimer(idle[0]);
        idle[0] = vertx.setTimer(Math.max(1, limits.firstByte().toMillis()), t -> abort(new FetchException(Kind.TIMEOUT,
            "no data for " + seconds(limits.firstByte()) + " in the middle of the download")));
      };
      stillAlive.run();
      vertx.fileSystem().open(scratch.toString(), new OpenOptions().setCreateNew(true).setWrite(true))
          .compose(file -> {
            Promise<Void> ended = Promise.promise();
            file.exceptionHandler(ended::tryFail);
            response.handler(chunk -> {
              if (result.future().isComplete()) {
                return;
              }
              stillAlive.run();
              received[0] += chunk.length();
              if (received[0] > limits.maxBytes()) {
                abort(tooLarge()); // stop reading: the connection is reset
                return;
              }
              file.write(chunk);
              if (file.writeQueueFull()) {
                response.pause();
                file.drainHandler(v -> response.resume());
              }
            });
            response.exceptionHandler(ended::tryFail);
            response.endHandler(ended::tryComplete);
            result.future().onFailure(ended::tryFail);
            response.resume();
            return ended.future().eventually(file::close);
          })
          .eventually(() -> {
            vertx.cancelTimer(idle[0]);
            return Future.succeededFuture();
          })
          .onSuccess(v -> result.tryComplete(new Downloaded(type, uri.toString())))
          .onFailure(err -> failed(translate(err, uri)));
    }

    private void failed(Throwable err) {
      result.tryFail(err);
    }

    /** Vets the downloaded bytes by their sniffed type and moves them into the store. */
    private Future<Fetched> stored(Downloaded downloaded) {
      Path file = scratch;
      return store.sniff(file)
          .compose(sniffed -> limits.acceptsSniffed(sniffed) ? Future.succeededFuture(sniffed)
              : Future.failedFuture(new FetchException(Kind.UNSUPPORTED_TYPE, "the file is " + sniffed
                  + " (judged from its bytes); accepted are " + (limits.mediaOnly() ? "images, videos and audio"
                      : String.join(", ", limits.contentTypes())))))
          .compose(sniffed -> store.put(file, downloaded.type()))
          .map(info -> new Fetched(info, downloaded.url()))
          .recover(err -> vertx.fileSystem().delete(file.toString()).transform(x -> Future.failedFuture(err)));
    }

    private FetchException tooLarge() {
      return new FetchException(Kind.TOO_LARGE, "larger than " + limits.maxBytes() + " bytes (the limit of a fetch)");
    }

    private Throwable translate(Throwable err, URI uri) {
      if (err instanceof FetchException) {
        return err;
      }
      if (result.future().failed()) {
        return result.future().cause();
      }
      String name = err.getClass().getSimpleName();
      if (err instanceof java.util.concurrent.TimeoutException || name.contains("Timeout")) {
        return new FetchException(Kind.TIMEOUT, "no answer within " + seconds(limits.firstByte()) + " from " + uri.getHost());
      }
      return new FetchException(Kind.UNREACHABLE, "cannot fetch from " + uri.getHost() + ": "
          + (err.getMessage() == null ? name : clip(err.getMessage())));
    }
  }

  /** Bytes on the scratch file: the declared type and the URL they came from. */
  private record Downloaded(String type, String url) {}

  private static String origin(URI uri) {
    return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + uri.getPort();
  }

  private static String bare(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }

  private static String clip(String s) {
    return s.length() > 120 ? s.substring(0, 120) + "…" : s;
  }
}
