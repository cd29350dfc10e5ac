package dev.skillhost.feishu;

import dev.skillhost.api.Delivery;
import dev.skillhost.api.Output;
import dev.skillhost.api.ProviderContext;
import dev.skillhost.api.ProviderException;
import io.vertx.core.Future;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a delivery into the messages to post, in a fixed order so a re-delivery makes the same
 * messages with the same uuids. Each output the host stored goes up as a native message: an mp4
 * as {@code media} (what LibTV's helper sends), a picture Feishu can show as {@code image},
 * anything else as {@code file}. An output the host has no file for, or one over Feishu's size
 * limit, goes as a link in one text message; so does the delivery's text when nothing else is
 * sent (a failed task) or when the task asked for a caption ({@code options.caption}).
 */
final class FeishuPlan {

  /** Formats Feishu shows inline as an image message. */
  static final Set<String> IMAGE_MIMES = Set.of("image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp",
      "image/tiff", "image/x-icon", "image/vnd.microsoft.icon");
  private static final Map<String, String> EXTENSIONS = Map.of("video/mp4", "mp4", "image/png", "png",
      "image/jpeg", "jpg", "image/gif", "gif", "image/webp", "webp", "audio/mpeg", "mp3", "video/quicktime", "mov",
      "video/webm", "webm", "application/pdf", "pdf", "text/plain", "txt");

  private FeishuPlan() {}

  /** What the blocking look at a stored file found. */
  private record Inspected(Path path, long size, boolean mp4, Integer durationMs) {}

  static Future<List<FeishuPost>> of(Delivery d, ProviderContext ctx, FeishuSettings s) {
    List<Future<Object>> steps = new ArrayList<>();
    for (int i = 0; i < d.outputs().size(); i++) {
      steps.add(step(d, i, ctx, s));
    }
    return Future.all(steps).map(all -> {
      List<FeishuPost> posts = new ArrayList<>();
      List<String> lines = new ArrayList<>();
      for (Future<Object> f : steps) {
        if (f.result() instanceof FeishuPost p) {
          posts.add(p);
        } else if (f.result() instanceof String line && !line.isBlank()) {
          lines.add(line);
        }
      }
      boolean caption = d.options().getBoolean("caption", false);
      String text = compose(d.text(), lines, posts.isEmpty() || caption);
      if (!text.isBlank()) {
        posts.add(FeishuPost.text(text));
      }
      if (posts.isEmpty()) {
        throw ProviderException.rejected("empty_delivery", "nothing to send: no outputs and no text");
      }
      return posts;
    });
  }

  /** A post for output {@code i}, or a line of text (a link) for the text message. */
  private static Future<Object> step(Delivery d, int i, ProviderContext ctx, FeishuSettings s) {
    Output o = d.outputs().get(i);
    if (o.file() == null) {
      Object text = o.meta().getValue("text");
      return Future.succeededFuture(o.url() != null ? o.url() : text instanceof String t ? t : "");
    }
    return ctx.artifacts().path(o.file())
        .recover(e -> Future.failedFuture(ProviderException.rejected("file_missing",
            "output " + o.file() + " is not in the host's store: " + e.getMessage())))
        .compose(path -> ctx.vertx().executeBlocking(() -> inspect(path, o)))
        .map(f -> post(d, i, o, f, s));
  }

  private static Object post(Delivery d, int i, Output o, Inspected f, FeishuSettings s) {
    String mime = o.mime() == null ? (f.mp4() ? "video/mp4" : "application/octet-stream") : o.mime();
    if (f.size() > s.maxFileBytes()) {
      if (o.url() != null) {
        return o.url();
      }
      throw ProviderException.rejected("file_too_large", "output " + (i + 1) + " is " + f.size()
          + " bytes, over Feishu's upload limit of " + s.maxFileBytes() + " and has no URL to link instead");
    }
    String name = d.taskId() + "-" + (i + 1) + "." + EXTENSIONS.getOrDefault(mime, f.mp4() ? "mp4" : "bin");
    if (f.mp4() && ("video".equals(o.kind()) || mime.startsWith("video/"))) {
      return FeishuPost.media(new FeishuApi.Upload(f.path().toString(), name, "video/mp4", "mp4", f.durationMs()));
    }
    if (IMAGE_MIMES.contains(mime) && f.size() <= s.maxImageBytes()) {
      return FeishuPost.image(new FeishuApi.Upload(f.path().toString(), name, mime, null, null));
    }
    return FeishuPost.file(new FeishuApi.Upload(f.path().toString(), name, mime, "stream", null));
  }

  /** Size, whether it is ISO-BMFF (a {@code ftyp} box first), and its duration if so. Blocking. */
  private static Inspected inspect(Path path, Output o) throws IOException {
    long size = Files.size(path);
    byte[] head = new byte[8];
    int n;
    try (InputStream in = Files.newInputStream(path)) {
      n = in.readNBytes(head, 0, 8);
    }
    boolean mp4 = n == 8 && head[4] == 'f' && head[5] == 't' && head[6] == 'y' && head[7] == 'p';
    Integer duration = o.meta().getValue("duration_ms") instanceof Number ms ? Integer.valueOf(ms.intValue()) : null;
    if (mp4 && duration == null) {
      duration = Mp4Duration.millis(path);
    }
    return new Inspected(path, size, mp4, duration);
  }

  /** The delivery's text (when wanted) and the links it does not already show, one per line. */
  private static String compose(String text, List<String> lines, boolean withText) {
    StringBuilder sb = new StringBuilder();
    String head = text == null ? "" : text.strip();
    if ((withText || !lines.isEmpty()) && !head.isEmpty()) {
      sb.append(head);
    }
    for (String line : lines) {
      if (!head.contains(line)) {
        sb.append(sb.length() == 0 ? "" : "\n").append(line);
      }
    }
    return sb.toString();
  }
}
