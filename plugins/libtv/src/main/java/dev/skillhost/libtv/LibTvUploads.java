package dev.skillhost.libtv;

import dev.skillhost.api.Job;
import dev.skillhost.api.ProviderContext;
import dev.skillhost.api.ProviderException;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends a task's input files to LibTV, one after another, with the official client's checks
 * first: 200 MB at most, images and videos only. Uploading spends nothing.
 */
final class LibTvUploads {

  static final long MAX_BYTES = 200L * 1024 * 1024;

  private LibTvUploads() {}

  /** Every image and video input, checked before anything is sent. */
  static List<Job.Input> media(Job job) {
    List<Job.Input> media = new ArrayList<>();
    for (Job.Input in : job.inputs()) {
      String mime = in.mime() == null ? "" : in.mime();
      if (!mime.startsWith("image/") && !mime.startsWith("video/")) {
        throw ProviderException.rejected("unsupported_file_type",
            "Unsupported file type: " + (mime.isEmpty() ? "unknown" : mime) + ". Only image and video files are supported.");
      }
      if (in.size() > MAX_BYTES) {
        throw ProviderException.rejected("file_too_large",
            "File too large: " + in.size() + " bytes; the limit is 200MB.");
      }
      media.add(in);
    }
    return media;
  }

  /** Uploads {@code inputs} in order; answers each one's LibTV URL with its role. */
  static Future<List<LibTvPrompt.Reference>> upload(LibTvAdapter api, ProviderContext ctx, List<Job.Input> inputs) {
    Future<List<LibTvPrompt.Reference>> chain = Future.succeededFuture(new ArrayList<>());
    for (Job.Input in : inputs) {
      chain = chain.compose(done -> ctx.artifacts().path(in.file())
          .compose(path -> api.upload(path.toString(), filename(in), in.mime()))
          .map(url -> {
            done.add(new LibTvPrompt.Reference(in.mime().startsWith("video/") ? "video" : "image", url));
            return done;
          }));
    }
    return chain.map(List::copyOf);
  }

  /** The backend keeps the extension in its URL, so give the file one that matches its type. */
  static String filename(Job.Input in) {
    String sub = in.mime().substring(in.mime().indexOf('/') + 1).replaceAll("[^a-z0-9]", "");
    String ext = switch (sub) {
      case "jpeg" -> "jpg";
      case "quicktime" -> "mov";
      case "" -> "bin";
      default -> sub;
    };
    return in.file().substring(0, Math.min(16, in.file().length())) + "." + ext;
  }
}
