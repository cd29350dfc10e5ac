package dev.skillhost.host.store;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * What a stored file is, from its own bytes: {@code mime}, {@code bytes}, and where the format
 * tells it cheaply {@code width}, {@code height} (images through their headers via ImageIO, MP4
 * and QuickTime through their boxes) and {@code duration_ms} (MP4/QuickTime). No decoder runs
 * and no external tool is needed. Keys it cannot tell are left out.
 */
public final class MediaProbe {

  private MediaProbe() {}

  /** The facts of {@code file} of type {@code mime}, as output meta keys. Blocking: run on a worker. */
  public static JsonObject probe(Path file, String mime) throws IOException {
    JsonObject facts = new JsonObject().put("mime", mime).put("bytes", Files.size(file));
    if (mime.startsWith("image/")) {
      image(file, facts);
    } else if (mime.equals("video/mp4") || mime.equals("video/quicktime") || mime.startsWith("video/3gpp")
        || mime.equals("audio/mp4")) {
      Mp4Boxes.Facts mp4 = Mp4Boxes.read(file);
      if (mp4 != null) {
        if (mp4.width() > 0) {
          facts.put("width", mp4.width()).put("height", mp4.height());
        }
        if (mp4.durationMs() >= 0) {
          facts.put("duration_ms", mp4.durationMs());
        }
      }
    }
    return facts;
  }

  private static void image(Path file, JsonObject facts) throws IOException {
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      if (in == null) {
        return;
      }
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        return; // a format ImageIO does not know (webp, avif): size unknown
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        facts.put("width", reader.getWidth(0)).put("height", reader.getHeight(0));
      } finally {
        reader.dispose();
      }
    }
  }
}
