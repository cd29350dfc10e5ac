package dev.skillhost.nemovideo;

import dev.skillhost.api.Job;
import dev.skillhost.api.ProviderContext;
import dev.skillhost.api.ProviderException;
import io.vertx.core.Future;
import io.vertx.core.file.FileSystem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.multipart.MultipartForm;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Sessions and what goes into them. A generation gets a session of its own; an edit, an upload, a
 * state look or an export works on the session the request names ({@code session_id}) or else on
 * the last one this provider made (kept in its data directory, like the official skill keeps its
 * session for the conversation). Uploads: multipart field {@code files} (repeatable) or JSON
 * {@code {"urls":[…],"source_type":"url"}}.
 */
final class NemoSessions {

  /** A session: the backend's session id and task id. */
  record Session(String sid, String taskId) {}

  private static final String LAST = "last_session.json";

  private final NemoApi api;

  NemoSessions(NemoApi api) {
    this.api = api;
  }

  Future<Session> create(ProviderContext ctx, NemoConfig cfg, String locale) {
    String language = locale == null ? "en" : locale.split("[-_]")[0].toLowerCase(Locale.ROOT);
    return api.post(ctx, cfg, "/api/tasks/me/with-session/nemo_agent",
            new JsonObject().put("task_name", "project").put("language", language))
        .map(d -> new Session(d.getString("session_id"), d.getString("task_id")))
        .compose(s -> remember(ctx, s).map(s));
  }

  /** The session named in the params, else the last one, else (when {@code create}) a new one. */
  Future<Session> existing(ProviderContext ctx, NemoConfig cfg, Job job, boolean create) {
    String named = job.params().getString("session_id");
    if (named != null) {
      return Future.succeededFuture(new Session(named, job.params().getString("nemo_task_id")));
    }
    return last(ctx).compose(s -> {
      if (s != null) return Future.succeededFuture(s);
      if (create) return create(ctx, cfg, job.locale());
      return Future.failedFuture(ProviderException.rejected("no_session",
          "no video to work on yet: no NemoVideo session; generate one first"));
    });
  }

  Future<JsonObject> state(ProviderContext ctx, NemoConfig cfg, String sid) {
    return api.get(ctx, cfg, "/api/state/nemo_agent/me/" + sid + "/latest")
        .map(d -> d.getJsonObject("state", new JsonObject()));
  }

  /** A claim token for the browser link ({WEB}/workspace/claim?ct=…). */
  Future<String> claim(ProviderContext ctx, NemoConfig cfg, String sid, String taskId) {
    return api.post(ctx, cfg, "/api/auth/claim-token", new JsonObject().put("task_id", taskId).put("session_id", sid))
        .map(d -> d.getString("claim_token"));
  }

  /** Uploads the job's input files and its {@code urls} param; answers the backend's file records. */
  Future<JsonArray> upload(ProviderContext ctx, NemoConfig cfg, String sid, Job job) {
    JsonArray all = new JsonArray();
    Future<Void> chain = Future.succeededFuture();
    if (!job.inputs().isEmpty()) {
      chain = files(ctx, cfg, sid, job.inputs()).map(files -> {
        files.forEach(all::add);
        return null;
      });
    }
    List<String> urls = urls(job.params().getValue("urls"));
    if (!urls.isEmpty()) {
      chain = chain.compose(v -> api.post(ctx, cfg, "/api/upload-video/nemo_agent/me/" + sid,
              new JsonObject().put("urls", new JsonArray(urls)).put("source_type", "url")))
          .map(d -> {
            d.getJsonArray("files", new JsonArray()).forEach(all::add);
            return null;
          });
    }
    return chain.map(all);
  }

  private Future<JsonArray> files(ProviderContext ctx, NemoConfig cfg, String sid, List<Job.Input> inputs) {
    List<Future<java.nio.file.Path>> paths = new ArrayList<>();
    inputs.forEach(in -> paths.add(ctx.artifacts().path(in.file())));
    return Future.all(paths).compose(done -> {
      MultipartForm form = MultipartForm.create();
      for (int i = 0; i < inputs.size(); i++) {
        Job.Input in = inputs.get(i);
        String name = in.role() + "_" + (i + 1) + "." + extension(in.mime());
        form.binaryFileUpload("files", name, done.<java.nio.file.Path>resultAt(i).toString(), in.mime());
      }
      String path = "/api/upload-video/nemo_agent/me/" + sid;
      return api.call(ctx, cfg, token -> api.request(cfg, io.vertx.core.http.HttpMethod.POST, path, token)
          .sendMultipartForm(form));
    }).map(d -> d.getJsonArray("files", new JsonArray()));
  }

  private static List<String> urls(Object value) {
    List<String> out = new ArrayList<>();
    if (value instanceof JsonArray a) {
      a.forEach(u -> out.add(String.valueOf(u)));
    } else if (value instanceof String s && !s.isBlank()) {
      for (String u : s.split("[,\\s]+")) {
        if (!u.isBlank()) out.add(u);
      }
    }
    return out;
  }

  /** The name the backend sees decides the type it accepts (4001 otherwise). */
  static String extension(String mime) {
    if (mime == null) return "bin";
    return switch (mime) {
      case "image/jpeg" -> "jpg";
      case "image/png" -> "png";
      case "image/gif" -> "gif";
      case "image/webp" -> "webp";
      case "video/mp4" -> "mp4";
      case "video/quicktime" -> "mov";
      case "video/x-msvideo" -> "avi";
      case "video/webm" -> "webm";
      case "video/x-matroska" -> "mkv";
      case "audio/mpeg" -> "mp3";
      case "audio/wav", "audio/x-wav", "audio/vnd.wave" -> "wav";
      case "audio/mp4", "audio/x-m4a" -> "m4a";
      case "audio/aac" -> "aac";
      default -> mime.substring(mime.indexOf('/') + 1).replaceAll("[^a-z0-9]", "");
    };
  }

  private static Future<Void> remember(ProviderContext ctx, Session s) {
    FileSystem fs = ctx.vertx().fileSystem();
    return fs.mkdirs(ctx.dataDir().toString()).compose(v -> fs.writeFile(ctx.dataDir().resolve(LAST).toString(),
        new JsonObject().put("session_id", s.sid()).put("task_id", s.taskId()).toBuffer()));
  }

  private static Future<Session> last(ProviderContext ctx) {
    FileSystem fs = ctx.vertx().fileSystem();
    String path = ctx.dataDir().resolve(LAST).toString();
    return fs.exists(path).compose(e -> e ? fs.readFile(path).map(b -> {
      JsonObject j = new JsonObject(b);
      return new Session(j.getString("session_id"), j.getString("task_id"));
    }) : Future.succeededFuture((Session) null));
  }
}
