package dev.skillhost.local.media;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A JPEG's EXIF orientation (1 to 8): how a camera says the stored pixels must be turned to stand
 * upright. Phones store portrait photos sideways with orientation 6; ImageIO ignores the tag, so
 * without this an upright photo would be animated lying on its side.
 */
public final class Orientation {

  /** Pixels stored upright. */
  public static final int NORMAL = 1;
  private static final int TAG = 0x0112;
  private static final int MAX_SEGMENTS = 64;

  private Orientation() {}

  /** The orientation of a JPEG file, or {@link #NORMAL} when it has none (or is not a JPEG). */
  public static int of(Path file) {
    try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
      if (in.readUnsignedShort() != 0xFFD8) return NORMAL;
      for (int i = 0; i < MAX_SEGMENTS; i++) {
        int marker = in.readUnsignedShort();
        if (marker == 0xFFDA || (marker & 0xFF00) != 0xFF00) return NORMAL; // image data: no more headers
        int length = in.readUnsignedShort() - 2;
        if (marker == 0xFFE1 && length > 14) {
          byte[] app1 = in.readNBytes(length);
          int o = exif(app1);
          if (o != 0) return o;
        } else {
          in.skipNBytes(length);
        }
      }
    } catch (IOException | RuntimeException e) {
      // a broken header is the decoder's to report; orientation just stays normal
    }
    return NORMAL;
  }

  /** True when the orientation turns the picture a quarter, swapping width and height. */
  public static boolean swapsSides(int orientation) {
    return orientation >= 5 && orientation <= 8;
  }

  /** The picture turned upright. */
  public static RgbImage apply(RgbImage src, int orientation) {
    if (orientation <= NORMAL || orientation > 8) return src;
    int w = src.width();
    int h = src.height();
    boolean swap = swapsSides(orientation);
    int ow = swap ? h : w;
    int oh = swap ? w : h;
    int[] out = new int[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int tx;
        int ty;
        switch (orientation) {
          case 2 -> { tx = w - 1 - x; ty = y; }
          case 3 -> { tx = w - 1 - x; ty = h - 1 - y; }
          case 4 -> { tx = x; ty = h - 1 - y; }
          case 5 -> { tx = y; ty = x; }
          case 6 -> { tx = h - 1 - y; ty = x; }
          case 7 -> { tx = h - 1 - y; ty = w - 1 - x; }
          default -> { tx = y; ty = w - 1 - x; }
        }
        out[ty * ow + tx] = src.pixels()[y * w + x];
      }
    }
    return new RgbImage(ow, oh, out, src.alpha());
  }

  /** The orientation tag in an APP1 segment's body, or 0. */
  private static int exif(byte[] app1) {
    if (!(app1[0] == 'E' && app1[1] == 'x' && app1[2] == 'i' && app1[3] == 'f' && app1[4] == 0 && app1[5] == 0)) {
      return 0;
    }
    ByteBuffer tiff = ByteBuffer.wrap(app1, 6, app1.length - 6).slice();
    tiff.order(tiff.get(0) == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
    int ifd = tiff.getInt(4);
    int entries = tiff.getShort(ifd) & 0xFFFF;
    for (int i = 0; i < entries; i++) {
      int at = ifd + 2 + i * 12;
      if ((tiff.getShort(at) & 0xFFFF) == TAG) {
        int value = tiff.getShort(at + 8) & 0xFFFF;
        return value >= 1 && value <= 8 ? value : 0;
      }
    }
    return 0;
  }
}
