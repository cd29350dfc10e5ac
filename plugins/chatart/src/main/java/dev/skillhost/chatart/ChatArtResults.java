package dev.skillhost.chatart;

import dev.skillhost.api.Handle;
import dev.skillhost.api.Output;
import dev.skillhost.api.Progress;
import dev.skillhost.api.ProviderContext;
import dev.skillhost.api.ProviderException;
import io.vertx.core.Future;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.codec.BodyCodec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reading a task's status: {@code 0} in progress, {@code 1} done, {@code 2} failed (any other value
 * is a reply the official client cannot read either). A done video has its URL in
 * {@code data.message.url}, a done image set in {@code data.message[].url}; each result is copied
 * into the host's store, since ChatArt's URLs are not promised to last.
 */
final class ChatArtResults {

  private final ChatArtClient client;

  ChatArtResults(ChatArtClient client) {
    this.client = client;
  }

  Future<Progress> progress(ProviderContext ctx, Handle handle, JsonObject data) {
    Object status = data.getValue("status");
    int s = status instanceof Number n ? n.intValue() : -1;
    switch (s) {
      case 0:
        return Future.succeededFuture(Progress.running(-1, null));
      case 2:
        String error = data.getString("error");
        return Future.succeededFuture(Progress.failed(new ProviderException("TASK_FAILED", 200,
            error == null || error.isBlank() ? "Task failed" : error)));
      case 1:
        return outputs(ctx, handle, data).map(Progress::succeeded);
      default:
        return Future.failedFuture(new ProviderException("unexpected_status", 0,
            "ChatArt reported status " + status + ", which is none of 0, 1, 2"));
    }
  }

  private Future<List<Output>> outputs(ProviderContext ctx, Handle handle, JsonObject data) {
    boolean image = "image".equals(handle.data().getString("family"));
    List<String> urls = new ArrayList<>();
    Object message = data.getValue("message");
    if (message instanceof JsonObject m && m.getString("url") != null) {
      urls.add(m.getString("url"));
    } else if (message instanceof JsonArray a) {
      for (Object o : a) {
        if (o instanceof JsonObject m && m.getString("url") != null) {
          urls.add(m.getString("url"));
        }
      }
    }
    if (urls.isEmpty()) {
      return Future.failedFuture(new ProviderException("TASK_FAILED", 200,
          "ChatArt reported the task done but sent no result URL"));
    }
    // the backend's cost_credit is what the task was charged: the host's "cost" (its result messages say it)
    JsonObject meta = new JsonObject().put("cost", data.getValue("cost_credit"))
        .put("model", handle.data().getString("model"));
    List<Future<Output>> all = new ArrayList<>();
    for (String url : urls) {
      all.add(copy(ctx, url, image ? "image" : "video", meta));
    }
    return Future.all(all).map(cf -> {
      List<Output> out = new ArrayList<>();
      for (int i = 0; i < cf.size(); i++) {
        out.add(cf.resultAt(i));
      }
      return out;
    });
  }

  /** Downloads one result into the host's store; a failed download fails this look, to be retried. */
  private Future<Output> copy(ProviderContext ctx, String url, String kind, JsonObject meta) {
    if (!ctx.config().getBoolean("download_results", true)) {
      return Future.succeededFuture(new Output(kind, null, url, null, meta));
    }
    Path scratch = ctx.artifacts().scratch(kind.equals("video") ? ".mp4" : ".png");
    String hint = kind.equals("video") ? "video/mp4" : "image/png";
    return ctx.vertx().fileSystem().open(scratch.toString(), new OpenOptions().setWrite(true).setCreate(true))
        .compose(file -> client.web().getAbs(url).timeout(10 * ChatArtClient.TIMEOUT_MS).as(BodyCodec.pipe(file)).send()
            .recover(ChatArtClient::network))
        .compose(res -> {
          if (res.statusCode() != 200) {
            return Future.failedFuture(new ProviderException("download_failed", res.statusCode() >= 500 ? res.statusCode() : 502,
                "the result " + url + " could not be fetched: HTTP " + res.statusCode()));
          }
          return ctx.artifacts().store(scratch, hint);
        })
        .map(stored -> new Output(kind, stored.id(), url, stored.mime(), meta.copy().put("size", stored.size())));
  }
}
