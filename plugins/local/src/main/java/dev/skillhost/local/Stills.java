package dev.skillhost.local;

import dev.skillhost.local.codec.VideoReader;
import dev.skillhost.local.media.ImageFiles;
import dev.skillhost.local.media.MediaException;
import dev.skillhost.local.media.RgbImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Input stills: the JDK's ImageIO for PNG, JPEG, GIF, BMP and TIFF; FFmpeg for WebP, which the JDK
 * does not read. Either way the size comes from the header and is checked before decoding.
 */
final class Stills {

  /** No limit on seconds for a still: it has one frame. */
  private static final double ANY_LENGTH = Double.MAX_VALUE;

  private Stills() {}

  static ImageFiles.Probe probe(Source source, long maxPixels) {
    try {
      if (webp(source.path())) {
        try (VideoReader reader = VideoReader.open(source.path(), maxPixels, ANY_LENGTH)) {
          return new ImageFiles.Probe("webp", reader.info().width(), reader.info().height());
        }
      }
      ImageFiles.Probe probe = ImageFiles.probe(source.path());
      dev.skillhost.local.media.SizeCheck.checkPixels("the image", probe.width(), probe.height(), maxPixels);
      return probe;
    } catch (MediaException e) {
      throw Invalid.media(source.name(), e);
    }
  }

  /** Decodes a still; a file that turns out damaged fails with a message naming the input. */
  static RgbImage read(Source source, long maxPixels) {
    try {
      if (webp(source.path())) {
        try (VideoReader reader = VideoReader.open(source.path(), maxPixels, ANY_LENGTH)) {
          return reader.readStill();
        }
      }
      return ImageFiles.read(source.path(), maxPixels);
    } catch (MediaException e) {
      throw Invalid.media(source.name(), e);
    }
  }

  private static boolean webp(Path file) {
    byte[] head = new byte[12];
    try (InputStream in = Files.newInputStream(file)) {
      return in.readNBytes(head, 0, 12) == 12 && new String(head, 0, 4, java.nio.charset.StandardCharsets.ISO_8859_1)
          .equals("RIFF") && new String(head, 8, 4, java.nio.charset.StandardCharsets.ISO_8859_1).equals("WEBP");
    } catch (IOException e) {
      return false;
    }
  }
}
