package dev.skillhost.host.api;

import dev.skillhost.host.net.SafeFetcher;
import dev.skillhost.host.store.FileInfo;
import dev.skillhost.host.store.FileStore;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerFileUpload;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.WriteStream;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code POST /v1/uploads}: one image, video or audio file as multipart/form-data (part {@code file}),
 * streamed to disk under a size limit, typed from its bytes, stored and granted to the caller.
 * Needs no BodyHandler in front of it: it reads the request itself. A JSON body
 * {@code {"url": "https://…"}} has the host fetch the file instead ({@link UrlUpload}).
 */
public final class UploadRoutes {

  /** The size limit of one upload when the config names none. */
  public static final long DEFAULT_MAX_BYTES = 200L * 1024 * 1024;
  private static final String PART = "file";
  private static final List<String> ACCEPTED = List.of("image/*", "video/*", "audio/*");
  private static final String HOW = "Send the file as multipart/form-data with a part named 'file', e.g."
      + " curl -H 'Authorization: Bearer <key>' -F file=@photo.png http://<host>/v1/uploads";
  // Room for multipart framing and small fields when judging a declared Content-Length.
  private static final long FORM_OVERHEAD = 64 * 1024;
  // After refusing a body mid-way, read and drop this much more (or for this long) before closing:
  // closing on unread bytes makes the kernel send RST, and a client that is still sending may then
  // lose the error reply (the reason Tomcat swallows 2 MB and nginx lingers).
  private static final long LINGER_BYTES = 2L * 1024 * 1024;
  private static final long LINGER_MS = 3_000;

  private final FileStore store;
  private final long maxBytes;
  private final UrlUpload byUrl;

  public UploadRoutes(FileStore store, long maxBytes) {
    this(store, maxBytes, null);
  }

  /** @param fetcher fetches {@code {"url": …}} uploads; null answers them with 415 */
  public UploadRoutes(FileStore store, long maxBytes, SafeFetcher fetcher) {
    this.store = store;
    this.maxBytes = maxBytes;
    this.byUrl = fetcher == null ? null : new UrlUpload(fetcher, store, maxBytes);
  }

  /** Adds {@code POST /v1/uploads}; mount behind auth, with no BodyHandler on this path. */
  public void mount(Router router) {
    router.post("/v1/uploads").handler(this::upload);
  }

  private void upload(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    if (req.isEnded()) {
      ctx.fail(new IllegalStateException("the upload body was read before UploadRoutes; mount it without a BodyHandler"));
      return;
    }
    String type = String.valueOf(req.getHeader(HttpHeaders.CONTENT_TYPE)).toLowerCase(Locale.ROOT);
    if (type.startsWith("application/json")) {
      if (byUrl == null) {
        refuse(ctx, new ApiException(415, "url-upload-unsupported", "Unsupported media type",
            "Fetching a file by URL is not available on this host. " + HOW));
        return;
      }
      String owner = Auth.owner(ctx);
      byUrl.handle(ctx.request(), owner).onComplete(ar -> {
        if (ar.succeeded()) {
          created(ctx, ar.result());
        } else {
          refuse(ctx, ar.cause());
        }
      });
      return;
    }
    if (!type.startsWith("multipart/form-data")) {
      refuse(ctx, invalid("This is not a multipart upload."));
      return;
    }
    if (!type.contains("boundary=")) { // else Netty quietly reads the body as a urlencoded form
      refuse(ctx, invalid("The multipart Content-Type has no boundary."));
      return;
    }
    String length = req.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null && length.matches("\\d{1,18}") && Long.parseLong(length) > maxBytes + FORM_OVERHEAD) {
      refuse(ctx, tooLarge());
      return;
    }
    try {
      req.setExpectMultipart(true);
    } catch (RuntimeException e) {
      refuse(ctx, invalid("The multipart body cannot be read (" + e.getMessage() + ")."));
      return;
    }
    if ("100-continue".equalsIgnoreCase(req.getHeader(HttpHeaders.EXPECT))) {
      ctx.response().writeContinue();
    }
    String owner = Auth.owner(ctx);
    Path scratch = store.scratch(".upload");
    receive(ctx.vertx(), req, scratch)
        .compose(size -> vet(scratch, size))
        .compose(mime -> store.put(scratch, mime))
        .compose(info -> store.grant(info.id(), owner).map(info))
        // delete before answering, so a refused file is gone by the time the client hears of it
        .recover(err -> ctx.vertx().fileSystem().delete(scratch.toString()).transform(x -> Future.failedFuture(err)))
        .onComplete(ar -> {
          if (ar.succeeded()) {
            created(ctx, ar.result());
          } else {
            refuse(ctx, ar.cause());
          }
        });
  }

  /** Streams the first {@code file} part to {@code target}; completes with its size once that part is on disk. */
  private Future<Long> receive(Vertx vertx, HttpServerRequest req, Path target) {
    Promise<Long> done = Promise.promise();
    List<String> others = new ArrayList<>();
    boolean[] claimed = {false};
    req.uploadHandler(upload -> {
      if (claimed[0] || !PART.equals(upload.name())) {
        others.add(upload.name()); // its bytes are dropped: nobody reads them
        return;
      }
      claimed[0] = true;
      copy(vertx, upload, target).onComplete(ar -> {
        if (ar.succeeded() ? !done.tryComplete(ar.result()) : !done.tryFail(ar.cause())) {
          vertx.fileSystem().delete(target.toString()); // the request had failed first
        }
      });
    });
    req.exceptionHandler(err -> done.tryFail(invalid("The multipart body cannot be read (" + err.getMessage() + ").")));
    req.endHandler(v -> {
      if (!claimed[0]) {
        done.tryFail(invalid("The form has no file part named 'file'" + (others.isEmpty() ? "" : " (it has " + others + ")") + "."));
      }
    });
    return done.future();
  }

  private Future<Long> copy(Vertx vertx, HttpServerFileUpload upload, Path target) {
    upload.pause(); // until the file is open, so no bytes are lost
    return vertx.fileSystem().open(target.toString(), new OpenOptions().setCreateNew(true).setWrite(true))
        .compose(file -> {
          Capped capped = new Capped(file);
          return upload.pipeTo(capped).map(v -> capped.written);
        })
        .onFailure(err -> upload.resume()) // drop the rest of the part
        .recover(err -> vertx.fileSystem().delete(target.toString()).transform(x -> Future.failedFuture(err)));
  }

  private Future<String> vet(Path file, long size) {
    if (size == 0) {
      return Future.failedFuture(new ApiException(400, "empty-upload", "Empty upload", "The file part is empty."));
    }
    return store.sniff(file).compose(mime -> mime.startsWith("image/") || mime.startsWith("video/") || mime.startsWith("audio/")
        ? Future.succeededFuture(mime)
        : Future.failedFuture(new ApiException(415, "unsupported-media-type", "Unsupported media type",
            "The file is " + mime + " (judged from its bytes); uploads must be an image, a video or audio ("
                + String.join(", ", ACCEPTED) + ").",
            new JsonObject().put("detected", mime).put("accepted", new JsonArray(ACCEPTED)))));
  }

  private static void created(RoutingContext ctx, FileInfo info) {
    ctx.response()
        .setStatusCode(201)
        .putHeader(HttpHeaders.LOCATION, info.url())
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(info.toJson().encode());
  }

  private static ApiException invalid(String detail) {
    return new ApiException(400, "invalid-upload", "Invalid upload", detail + " " + HOW);
  }

  private ApiException tooLarge() {
    return new ApiException(413, "upload-too-large", "Upload too large",
        "The upload is larger than the " + human(maxBytes) + " limit (" + maxBytes + " bytes).",
        new JsonObject().put("limit_bytes", maxBytes));
  }

  /** Fails the request; if its body is still coming, closes the connection once the client had a chance to read why. */
  private static void refuse(RoutingContext ctx, Throwable failure) {
    HttpServerRequest req = ctx.request();
    boolean unread = !req.isEnded() && req.version() != HttpVersion.HTTP_2;
    if (unread) {
      ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
    }
    ctx.fail(failure);
    if (unread) {
      Vertx vertx = ctx.vertx();
      HttpConnection conn = req.connection();
      long timer = vertx.setTimer(LINGER_MS, t -> conn.close());
      long[] drained = {0};
      Handler<Void> close = v -> {
        vertx.cancelTimer(timer);
        conn.close();
      };
      req.handler(chunk -> {
        if ((drained[0] += chunk.length()) > LINGER_BYTES) {
          close.handle(null);
        }
      });
      req.endHandler(close);
      req.resume();
    }
  }

  private static String human(long bytes) {
    if (bytes % (1024 * 1024) == 0) return bytes / (1024 * 1024) + " MB";
    if (bytes % 1024 == 0) return bytes / 1024 + " KB";
    return bytes + " bytes";
  }

  /**
   * The upload's file, failing the write that crosses the limit: that stops the pipe. The pipe ends
   * (closes) it on that failure while chunks already read may still come through; those are
   * dropped here rather than touching the closed file, whose checks throw on the event loop and
   * left the 413 unanswered.
   */
  private final class Capped implements WriteStream<Buffer> {
    private final AsyncFile file;
    private long written;
    private boolean over;
    private Future<Void> closed;

    Capped(AsyncFile file) {
      this.file = file;
    }

    @Override
    public Future<Void> write(Buffer data) {
      written += data.length();
      if (over || closed != null || written > maxBytes) {
        over = true;
        return Future.failedFuture(tooLarge());
      }
      return file.write(data);
    }

    @Override
    public Future<Void> end() {
      if (closed == null) {
        closed = file.close();
      }
      return closed;
    }

    @Override
    public Capped exceptionHandler(Handler<Throwable> handler) {
      file.exceptionHandler(handler);
      return this;
    }

    @Override
    public Capped setWriteQueueMaxSize(int maxSize) {
      file.setWriteQueueMaxSize(maxSize);
      return this;
    }

    @Override
    public boolean writeQueueFull() {
      return !over && closed == null && file.writeQueueFull();
    }

    @Override
    public Capped drainHandler(Handler<Void> handler) {
      file.drainHandler(handler);
      return this;
    }
  }
}
