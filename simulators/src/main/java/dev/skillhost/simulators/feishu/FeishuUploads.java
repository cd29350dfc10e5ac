package dev.skillhost.simulators.feishu;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The simulator's uploads: Feishu's file and image endpoints (form fields, size limits, the
 * error codes for an empty, oversized or unrecognised file) and the keys they hand out, which a
 * media message must name. The gateway's checks (token, scope, rate) come before, in
 * {@link FeishuSimulator}.
 */
final class FeishuUploads {

  private static final Set<String> FILE_TYPES = Set.of("opus", "mp4", "pdf", "doc", "xls", "ppt", "stream");

  private final Vertx vertx;
  private final Map<String, FeishuUpload> files = new ConcurrentHashMap<>();
  private final Map<String, FeishuUpload> images = new ConcurrentHashMap<>();
  private volatile long maxFileBytes = 30L * FeishuSimulator.MB;
  private volatile long maxImageBytes = 10L * FeishuSimulator.MB;

  FeishuUploads(Vertx vertx) {
    this.vertx = vertx;
  }

  void limits(long fileBytes, long imageBytes) {
    this.maxFileBytes = fileBytes;
    this.maxImageBytes = imageBytes;
  }

  FeishuUpload file(String fileKey) {
    return files.get(fileKey);
  }

  FeishuUpload image(String imageKey) {
    return images.get(imageKey);
  }

  /** The file a message names, or the error Feishu answers for a key this app did not upload. */
  FeishuUpload knownFile(String key) {
    return known(files, key, "file_key");
  }

  FeishuUpload knownImage(String key) {
    return known(images, key, "image_key");
  }

  /** {@code POST /open-apis/im/v1/files}: a file (mp4 checked as one), answered with its file_key. */
  Future<JsonObject> file(RoutingContext rc) {
    String fileType = rc.request().getFormAttribute("file_type");
    String fileName = rc.request().getFormAttribute("file_name");
    String duration = rc.request().getFormAttribute("duration");
    FileUpload part = part(rc, "file");
    if (fileType == null || !FILE_TYPES.contains(fileType)) {
      throw FeishuError.param("file_type must be one of " + FILE_TYPES);
    }
    if (fileName == null || fileName.isBlank()) {
      throw FeishuError.param("file_name is required");
    }
    if (part == null) {
      throw FeishuError.param("file is required");
    }
    Integer durationMs = null;
    if (duration != null) {
      try {
        durationMs = Integer.valueOf(duration);
      } catch (NumberFormatException e) {
        throw FeishuError.param("duration must be an integer of milliseconds");
      }
    }
    Integer ms = durationMs;
    return bytes(part, maxFileBytes).map(b -> {
      if ("mp4".equals(fileType) && !FeishuMedia.isMp4(b)) {
        throw FeishuError.param("file is not an mp4");
      }
      FeishuUpload u = new FeishuUpload("file_v3_" + FeishuSimulator.key(), fileType, fileName, ms, b.length, FeishuSimulator.sha256(b));
      files.put(u.key(), u);
      return new JsonObject().put("file_key", u.key());
    });
  }

  /**
   * {@code POST /open-apis/im/v1/images}: an image Feishu recognises (PNG, JPEG, GIF, WebP, BMP,
   * TIFF, ICO), answered with its image_key.
   */
  Future<JsonObject> image(RoutingContext rc) {
    String imageType = rc.request().getFormAttribute("image_type");
    FileUpload part = part(rc, "image");
    if (!"message".equals(imageType) && !"avatar".equals(imageType)) {
      throw FeishuError.param("image_type must be message or avatar");
    }
    if (part == null) {
      throw FeishuError.param("image is required");
    }
    return bytes(part, maxImageBytes).map(b -> {
      if (!FeishuMedia.isImage(b)) {
        throw new FeishuError(400, 234011, "Can't recognize image format.");
      }
      FeishuUpload u = new FeishuUpload("img_v3_" + FeishuSimulator.key(), "image", part.fileName(), null, b.length, FeishuSimulator.sha256(b));
      images.put(u.key(), u);
      return new JsonObject().put("image_key", u.key());
    });
  }

  private Future<byte[]> bytes(FileUpload part, long limit) {
    if (part.size() == 0) {
      return Future.failedFuture(new FeishuError(400, 234010, "File's size can't be 0."));
    }
    if (part.size() > limit) {
      return Future.failedFuture(new FeishuError(400, 234006, "The file size exceeds the limit."));
    }
    return readWhole(part, 0);
  }

  /**
   * An image whose format ends before a last "\r" loses that byte. Netty's multipart decoder was
   * seen to keep the CR of the "\r\n--boundary" delimiter when it straddles two chunks (an upload
   * of 1,465 bytes stored as 1,466, about one run in six); a PNG ends with its IEND chunk and a
   * JPEG with FF D9, so a CR after either is the delimiter's, never the file's.
   */
  static byte[] withoutStrayCr(byte[] b) {
    int n = b.length;
    if (n < 2 || b[n - 1] != '\r') {
      return b;
    }
    boolean pngEnd = n >= 9 && b[n - 9] == 'I' && b[n - 8] == 'E' && b[n - 7] == 'N' && b[n - 6] == 'D';
    boolean jpegEnd = (b[n - 3] & 0xFF) == 0xFF && (b[n - 2] & 0xFF) == 0xD9;
    return pngEnd || jpegEnd ? Arrays.copyOf(b, n - 1) : b;
  }

  /**
   * The upload's bytes once the file on disk holds all {@code part.size()} of them. Under load the
   * route handler was seen to run while the body handler's file write still lagged (a PNG read
   * whole had another digest), so a short file is read again a little later, never used.
   */
  private Future<byte[]> readWhole(FileUpload part, int attempt) {
    return vertx.fileSystem().readFile(part.uploadedFileName()).compose(buf -> {
      if (buf.length() >= part.size() || attempt >= 100) {
        return Future.succeededFuture(withoutStrayCr(buf.getBytes()));
      }
      return vertx.timer(10).compose(t -> readWhole(part, attempt + 1));
    });
  }

  private static FileUpload part(RoutingContext rc, String name) {
    return rc.fileUploads().stream().filter(f -> name.equals(f.name())).findFirst().orElse(null);
  }

  private static FeishuUpload known(Map<String, FeishuUpload> uploads, String key, String field) {
    FeishuUpload u = key == null ? null : uploads.get(key);
    if (u == null) {
      throw FeishuError.message(field + " " + key + " was not uploaded by this app");
    }
    return u;
  }
}
