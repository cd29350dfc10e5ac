package dev.skillhost.host.tasks;

import dev.skillhost.api.Output;
import dev.skillhost.host.net.FetchException;
import dev.skillhost.host.net.SafeFetcher;
import dev.skillhost.host.store.FileStore;
import dev.skillhost.host.store.MediaProbe;
import dev.skillhost.host.store.Task;
import dev.skillhost.host.tasks.TaskLog.Draft;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the outputs a provider reports at its own URLs (which expire, often within the hour)
 * into the host's store before anyone is told the task succeeded, through the {@link SafeFetcher}
 * with the headers the backend's CDN needs ({@code meta.headers}), and probes every output for
 * its facts (mime, bytes, width, height, duration). The task keeps both: {@code file} is the
 * host's copy, {@code url} the original. A copy that fails is retried with backoff; if it still
 * fails the output keeps its original URL, is marked {@code meta.kept: false} with the reason,
 * and the task says so in a message — the URL is never silently dropped.
 *
 * <p>One download per task and URL at a time: an output seen while running and reported again
 * at success joins the download already under way.
 */
final class OutputKeeper {

  private static final Logger LOG = LoggerFactory.getLogger(OutputKeeper.class);
  /** Waits before the 2nd, 3rd, … attempt of a failed copy. */
  static final long[] BACKOFF_MS = {500, 2_000, 5_000};

  /** Outputs as the task should keep them, and the messages to add (a copy that failed). */
  record Kept(List<Output> outputs, List<Draft> drafts) {}

  private final Vertx vertx;
  private final FileStore files;
  private final SafeFetcher fetcher;
  private final Map<String, Future<Output>> inFlight = new HashMap<>();

  /** @param fetcher null keeps provider URLs as they are (outputs are still probed) */
  OutputKeeper(Vertx vertx, FileStore files, SafeFetcher fetcher) {
    this.vertx = vertx;
    this.files = files;
    this.fetcher = fetcher;
  }

  /** Whether any of {@code outputs} lives only at a provider URL. */
  boolean needsCopy(List<Output> outputs) {
    return fetcher != null && outputs.stream().anyMatch(o -> o.file() == null && o.url() != null);
  }

  /** Keeps and probes each output of {@code task}; never fails (a failed copy is said, not thrown). */
  Future<Kept> keep(Task task, List<Output> outputs) {
    List<Future<Output>> each = new ArrayList<>();
    for (Output o : outputs) {
      each.add(keepOne(task, o));
    }
    return Future.join(each).transform(ar -> {
      List<Output> kept = new ArrayList<>();
      List<Draft> drafts = new ArrayList<>();
      for (int i = 0; i < outputs.size(); i++) {
        Output out = each.get(i).succeeded() ? each.get(i).result() : notKept(outputs.get(i), each.get(i).cause());
        kept.add(out);
        if (Boolean.FALSE.equals(out.meta().getValue("kept"))) {
          drafts.add(TaskRunner.message("The result at " + out.url() + " could not be copied to the host ("
              + out.meta().getString("not_kept") + "); it is kept only as the provider's link, which may expire."));
        }
      }
      return Future.succeededFuture(new Kept(kept, drafts));
    });
  }

  /** {@code known} (a task's outputs) with each entry of the same URL replaced by its kept version. */
  static JsonArray replace(JsonArray known, List<Output> kept) {
    JsonArray next = known.copy();
    for (Output o : kept) {
      for (int i = 0; i < next.size(); i++) {
        if (o.url() != null && o.url().equals(next.getJsonObject(i).getString("url"))) {
          next.set(i, o.toJson());
        }
      }
    }
    return next;
  }

  private Future<Output> keepOne(Task task, Output o) {
    if (o.file() != null) {
      return probed(o, o.file());
    }
    if (o.url() == null || fetcher == null) {
      return Future.succeededFuture(o);
    }
    Output before = copied(task, o.url());
    if (before != null) {
      return Future.succeededFuture(before);
    }
    String key = task.id() + ' ' + o.url();
    Future<Output> running = inFlight.get(key);
    if (running == null) {
      running = download(task, o, 0).compose(id -> probed(o, id).map(p -> withMeta(p, new JsonObject().put("kept", true))))
          .recover(err -> Future.succeededFuture(notKept(o, err)));
      inFlight.put(key, running);
      running.onComplete(ar -> inFlight.remove(key));
    }
    return running;
  }

  /** An output of the same URL the task already holds a host copy of. */
  private static Output copied(Task task, String url) {
    JsonArray known = task.outputs() == null ? new JsonArray() : task.outputs();
    for (int i = 0; i < known.size(); i++) {
      JsonObject k = known.getJsonObject(i);
      if (url.equals(k.getString("url")) && k.getString("file") != null) {
        return new Output(k.getString("kind"), k.getString("file"), url, k.getString("mime"), k.getJsonObject("meta"));
      }
    }
    return null;
  }

  private Future<String> download(Task task, Output o, int attempt) {
    Map<String, String> headers = new HashMap<>();
    JsonObject h = o.meta().getJsonObject("headers", new JsonObject());
    h.forEach(e -> headers.put(e.getKey(), String.valueOf(e.getValue())));
    return fetcher.fetch(o.url(), headers)
        .compose(fetched -> files.grant(fetched.file().id(), task.owner())
            .compose(v -> files.markKept(fetched.file().id(), System.currentTimeMillis()))
            .map(fetched.file().id()))
        .recover(err -> {
          boolean again = attempt < BACKOFF_MS.length && !(err instanceof FetchException fe && !fe.transientFault());
          LOG.info("task {}: copy {} of {} failed: {}{}", task.id(), attempt + 1, o.url(), err.getMessage(),
              again ? "; trying again" : "");
          return again ? vertx.timer(BACKOFF_MS[attempt]).compose(v -> download(task, o, attempt + 1))
              : Future.failedFuture(err);
        });
  }

  private Future<Output> probed(Output o, String fileId) {
    return files.info(fileId).compose(info -> info.isEmpty() ? Future.succeededFuture(o)
        : vertx.executeBlocking(() -> MediaProbe.probe(files.path(fileId), info.get().mime()), false)
            .map(facts -> withMeta(new Output(o.kind(), fileId, o.url(), info.get().mime(), o.meta()), facts))
            .otherwise(err -> {
              LOG.warn("could not probe file {}: {}", fileId, err.toString());
              return new Output(o.kind(), fileId, o.url(), info.get().mime(), o.meta());
            }));
  }

  private static Output withMeta(Output o, JsonObject facts) {
    // facts read from the bytes win over what the provider said about them
    JsonObject meta = o.meta().copy().mergeIn(facts);
    return new Output(o.kind(), o.file(), o.url(), o.mime(), meta);
  }

  private static Output notKept(Output o, Throwable err) {
    String why = err.getMessage() == null ? err.getClass().getSimpleName() : err.getMessage();
    return withMeta(o, new JsonObject().put("kept", false).put("not_kept", why));
  }
}
