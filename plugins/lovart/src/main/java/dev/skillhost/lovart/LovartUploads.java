package dev.skillhost.lovart;

import dev.skillhost.api.Job;
import dev.skillhost.api.ProviderContext;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * The task's input files, sent to {@code POST /file/upload} (one multipart part {@code file}), so
 * their CDN URLs can go in the message's {@code attachments}, as the official {@code upload} then
 * {@code chat --attachments}.
 */
final class LovartUploads {

  private LovartUploads() {}

  static Future<List<String>> all(Job job, LovartClient client, ProviderContext ctx, String key) {
    List<Future<String>> urls = new ArrayList<>();
    for (int i = 0; i < job.inputs().size(); i++) {
      Job.Input in = job.inputs().get(i);
      String name = "input-" + i + extension(in.mime());
      String uploadKey = key + ":upload:" + i;
      urls.add(ctx.artifacts().path(in.file())
          .compose(path -> client.upload(path.toString(), name, in.mime(), uploadKey)));
    }
    return Future.all(urls).map(all -> urls.stream().map(Future::result).toList());
  }

  private static String extension(String mime) {
    if (mime == null) return "";
    return switch (mime) {
      case "image/png" -> ".png";
      case "image/jpeg" -> ".jpg";
      case "image/webp" -> ".webp";
      case "image/gif" -> ".gif";
      case "video/mp4" -> ".mp4";
      case "video/quicktime" -> ".mov";
      default -> "";
    };
  }
}
