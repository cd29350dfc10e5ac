package dev.skillhost.host.api;

import dev.skillhost.host.store.FileInfo;
import dev.skillhost.host.store.FileStore;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET}/{@code HEAD /v1/files/:id}: a stored file, to its owners only, with validators,
 * long-lived private caching and single byte ranges (so a browser can seek in a video).
 * Several ranges in one request get the whole file (RFC 9110 lets a server ignore Range).
 */
public final class FileRoutes {

  private static final Pattern RANGE = Pattern.compile("(\\d*)-(\\d*)");
  private static final String CACHE = "private, max-age=31536000, immutable";

  private final FileStore store;

  public FileRoutes(FileStore store) {
    this.store = store;
  }

  /** Adds {@code GET} and {@code HEAD /v1/files/:id}; mount behind auth. */
  public void mount(Router router) {
    router.get("/v1/files/:id").handler(this::serve);
    router.head("/v1/files/:id").handler(this::serve);
  }

  /**
   * Adds {@code GET}/{@code HEAD /v1/files/:id?exp=…&sig=…}, served without a key when the
   * {@linkplain FileLinks signed link} holds; mount <em>before</em> auth. Requests without
   * {@code sig} go on to the keyed route.
   */
  public void mountSigned(Router router, FileLinks links) {
    io.vertx.core.Handler<RoutingContext> signed = ctx -> {
      String sig = ctx.request().getParam("sig");
      String exp = ctx.request().getParam("exp");
      if (sig == null && exp == null) {
        ctx.next();
        return;
      }
      String id = ctx.pathParam("id");
      java.util.Optional<String> refusal = links.refusal(id, exp, sig);
      if (refusal.isPresent()) {
        ctx.fail(new ApiException(403, "bad-file-link", "Forbidden", "This file link does not work: " + refusal.get() + "."));
        return;
      }
      store.info(id)
          .compose(found -> found.map(Future::succeededFuture).orElseGet(() -> Future.failedFuture(
              ApiException.notFound("There is no file with this id (it may have been removed)."))))
          .onComplete(ar -> {
            if (ar.succeeded()) {
              send(ctx, ar.result());
            } else {
              ctx.fail(ar.cause());
            }
          });
    };
    router.get("/v1/files/:id").handler(signed);
    router.head("/v1/files/:id").handler(signed);
  }

  private void serve(RoutingContext ctx) {
    store.find(ctx.pathParam("id"), Auth.owner(ctx))
        .compose(found -> found.map(Future::succeededFuture).orElseGet(() -> Future.failedFuture(
            ApiException.notFound("There is no file with this id that this key may read."))))
        .onComplete(ar -> {
          if (ar.succeeded()) {
            send(ctx, ar.result());
          } else {
            ctx.fail(ar.cause());
          }
        });
  }

  private void send(RoutingContext ctx, FileInfo file) {
    HttpServerResponse response = ctx.response();
    String etag = '"' + file.id() + '"';
    long size = file.size();
    if (matches(ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH), etag)) {
      cacheHeaders(response, etag).setStatusCode(304).end();
      return;
    }
    Span span = Span.ALL;
    String range = ctx.request().getHeader("Range");
    String ifRange = ctx.request().getHeader("If-Range");
    if (range != null && (ifRange == null || ifRange.strip().equals(etag))) {
      span = Span.parse(range, size);
      if (span == null) {
        response.putHeader(HttpHeaders.CONTENT_RANGE, "bytes */" + size);
        ctx.fail(new ApiException(416, "range-not-satisfiable", "Range not satisfiable",
            "The Range header '" + clip(range) + "' does not fit this file of " + size
                + " bytes; ask for one range such as bytes=0-" + Math.max(0, size - 1) + "."));
        return;
      }
    }
    cacheHeaders(response, etag).putHeader(HttpHeaders.CONTENT_TYPE, file.mime());
    if (!playable(file.mime())) {
      // a provider's output may be HTML or SVG: never let a browser run it as a page of this origin
      response.putHeader("Content-Security-Policy", "sandbox").putHeader("Content-Disposition", "attachment");
    }
    long offset = 0;
    long length = size;
    if (span != Span.ALL) {
      offset = span.first();
      length = span.last() - span.first() + 1;
      response.setStatusCode(206)
          .putHeader(HttpHeaders.CONTENT_RANGE, "bytes " + span.first() + "-" + span.last() + "/" + size);
    }
    if (ctx.request().method() == HttpMethod.HEAD || length == 0) {
      response.putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(length)).end();
      return;
    }
    // zero-copy; a failure after the head (a client that seeks away) ends in a reset, not a log line
    response.sendFile(store.path(file.id()).toString(), offset, length).onFailure(ctx::fail);
  }

  private static HttpServerResponse cacheHeaders(HttpServerResponse response, String etag) {
    return response
        .putHeader(HttpHeaders.ETAG, etag)
        .putHeader(HttpHeaders.CACHE_CONTROL, CACHE)
        .putHeader(HttpHeaders.ACCEPT_RANGES, "bytes")
        .putHeader("X-Content-Type-Options", "nosniff");
  }

  private static boolean playable(String mime) {
    return mime.startsWith("video/") || mime.startsWith("audio/") || (mime.startsWith("image/") && !mime.contains("svg"));
  }

  /** Bytes first..last of a file, both included. */
  record Span(long first, long last) {

    /** The whole file: no Range, or several ranges (served whole, which RFC 9110 allows). */
    static final Span ALL = new Span(0, -1);

    /** The one range a Range header asks for, {@link #ALL} for several, or null if malformed or out of bounds. */
    static Span parse(String header, long size) {
      String h = header.strip();
      if (!h.regionMatches(true, 0, "bytes=", 0, 6)) {
        return null;
      }
      String spec = h.substring(6).strip();
      if (spec.contains(",")) {
        return ALL;
      }
      Matcher m = RANGE.matcher(spec);
      if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
        return null;
      }
      if (m.group(1).isEmpty()) { // bytes=-n: the last n bytes
        long n = number(m.group(2));
        return n == 0 || size == 0 ? null : new Span(Math.max(0, size - n), size - 1);
      }
      long first = number(m.group(1));
      if (first >= size) {
        return null;
      }
      if (m.group(2).isEmpty()) {
        return new Span(first, size - 1);
      }
      long last = number(m.group(2));
      return last < first ? null : new Span(first, Math.min(last, size - 1));
    }
  }

  private static long number(String digits) {
    return digits.length() > 18 ? Long.MAX_VALUE : Long.parseLong(digits);
  }

  /** If-None-Match against our one strong ETag; weak comparison, as RFC 9110 asks for this header. */
  private static boolean matches(String ifNoneMatch, String etag) {
    if (ifNoneMatch == null) {
      return false;
    }
    for (String tag : ifNoneMatch.split(",")) {
      String t = tag.strip();
      if (t.equals("*") || t.equals(etag) || t.equals("W/" + etag)) {
        return true;
      }
    }
    return false;
  }

  private static String clip(String s) {
    return s.length() > 60 ? s.substring(0, 60) + "…" : s;
  }
}
