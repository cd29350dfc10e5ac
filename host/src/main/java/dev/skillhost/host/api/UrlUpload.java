package dev.skillhost.host.api;

import dev.skillhost.host.net.FetchException;
import dev.skillhost.host.net.SafeFetcher;
import dev.skillhost.host.store.FileInfo;
import dev.skillhost.host.store.FileStore;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * {@code POST /v1/uploads} with {@code {"url": "https://…"}}: the host fetches the file through
 * the {@link SafeFetcher} (public addresses only, limits, sniffed: an image, a video or audio),
 * stores it and grants it to the caller; every refusal is a problem that says why.
 */
final class UrlUpload {

  private static final long MAX_JSON = 16 * 1024;
  private static final String HOW = "Send {\"url\": \"https://…\"} with Content-Type application/json.";

  private final SafeFetcher fetcher;
  private final FileStore store;
  private final long maxBytes;

  UrlUpload(SafeFetcher fetcher, FileStore store, long maxBytes) {
    this.fetcher = fetcher;
    this.store = store;
    this.maxBytes = maxBytes;
  }

  /** Reads the JSON body of {@code req}, fetches its URL and grants the stored file to {@code owner}. */
  Future<FileInfo> handle(HttpServerRequest req, String owner) {
    String length = req.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null && length.matches("\\d{1,18}") && Long.parseLong(length) > MAX_JSON) {
      return Future.failedFuture(ApiException.badRequest("The JSON body is larger than " + MAX_JSON + " bytes. " + HOW));
    }
    SafeFetcher.Limits limits = fetcher.limits().withMaxBytes(Math.min(maxBytes, fetcher.limits().maxBytes()))
        .withMediaOnly(true);
    return req.body()
        .compose(body -> {
          if (body.length() > MAX_JSON) {
            return Future.failedFuture(ApiException.badRequest("The JSON body is larger than " + MAX_JSON + " bytes. " + HOW));
          }
          Object url;
          try {
            url = new JsonObject(body).getValue("url");
          } catch (DecodeException | ClassCastException e) {
            return Future.failedFuture(ApiException.badRequest("The body is not a JSON object. " + HOW));
          }
          if (!(url instanceof String u) || u.isBlank()) {
            return Future.failedFuture(ApiException.badRequest("The JSON body has no \"url\" string. " + HOW));
          }
          return fetcher.fetch(u, Map.of(), limits);
        })
        .recover(err -> Future.failedFuture(err instanceof FetchException fe ? problem(fe) : err))
        .compose(fetched -> store.grant(fetched.file().id(), owner).map(fetched.file()));
  }

  private static ApiException problem(FetchException e) {
    JsonObject why = new JsonObject().put("reason", e.kind().name().toLowerCase(java.util.Locale.ROOT));
    String detail = "The URL was not fetched: " + e.getMessage() + ".";
    return switch (e.kind()) {
      case REFUSED -> new ApiException(422, "url-refused", "URL refused", detail, why);
      case TOO_LARGE -> new ApiException(413, "upload-too-large", "Upload too large", detail, why);
      case TIMEOUT -> new ApiException(504, "fetch-timeout", "Fetch timed out", detail, why);
      case UNSUPPORTED_TYPE -> new ApiException(415, "unsupported-media-type", "Unsupported media type", detail, why);
      case UPSTREAM_STATUS -> new ApiException(502, "fetch-failed", "Fetch failed", detail, why.put("upstream_status", e.status()));
      case UNREACHABLE, NO_SUCH_HOST -> new ApiException(502, "fetch-failed", "Fetch failed", detail, why);
    };
  }
}
