package dev.skillhost.local.support;

import dev.skillhost.local.media.ImageFiles;
import dev.skillhost.local.media.RgbImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;

/** Pictures and broken files for tests, made in code so every test states what it feeds in. */
public final class TestImages {

  private TestImages() {}

  /**
   * A smooth picture that differs everywhere: red rises to the right, green downwards, blue in
   * rings from the centre. Block averages of it change with any shift or zoom.
   */
  public static RgbImage field(int w, int h) {
    int[] px = new int[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double fx = (double) x / w;
        double fy = (double) y / h;
        double d = Math.hypot(fx - 0.5, (fy - 0.5) * h / w);
        int r = (int) (30 + 200 * fx);
        int g = (int) (30 + 200 * fy);
        int b = (int) (128 + 100 * Math.cos(d * 18));
        px[y * w + x] = 0xFF000000 | r << 16 | g << 8 | b;
      }
    }
    return new RgbImage(w, h, px, false);
  }

  /** A flat grey picture with one busy, colourful disc (the subject) centred at {@code (cx, cy)}. */
  public static RgbImage subject(int w, int h, int cx, int cy, int radius) {
    int[] px = new int[w * h];
    Arrays.fill(px, 0xFF707070);
    for (int y = Math.max(0, cy - radius); y < Math.min(h, cy + radius); y++) {
      for (int x = Math.max(0, cx - radius); x < Math.min(w, cx + radius); x++) {
        if (Math.hypot(x - cx, y - cy) < radius) {
          px[y * w + x] = ((x / 4 + y / 4) % 2 == 0) ? 0xFFFF2020 : 0xFFFFE040;
        }
      }
    }
    return new RgbImage(w, h, px, false);
  }

  public static RgbImage solid(int w, int h, int rgb) {
    int[] px = new int[w * h];
    Arrays.fill(px, 0xFF000000 | rgb);
    return new RgbImage(w, h, px, false);
  }

  public static Path png(RgbImage image, Path file) {
    ImageFiles.write(image, "png", file, 1f);
    return file;
  }

  public static Path jpeg(RgbImage image, Path file) {
    ImageFiles.write(image, "jpeg", file, 0.95f);
    return file;
  }

  /** The first {@code fraction} of a file, as an interrupted upload leaves it. */
  public static Path truncated(Path source, double fraction, Path file) throws IOException {
    byte[] all = Files.readAllBytes(source);
    return Files.write(file, Arrays.copyOf(all, (int) (all.length * fraction)));
  }

  /**
   * A valid, tiny PNG whose header declares {@code w x h} pixels: a decompression bomb, to be
   * refused from its header alone.
   */
  public static Path bombPng(int w, int h, Path file) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
    ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) 2)
        .put((byte) 0).put((byte) 0).put((byte) 0);
    chunk(out, "IHDR", ihdr.array());
    chunk(out, "IDAT", new byte[] {0x78, (byte) 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
    chunk(out, "IEND", new byte[0]);
    return Files.write(file, out.toByteArray());
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
    out.write(ByteBuffer.allocate(4).putInt(data.length).array());
    byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    out.write(t);
    out.write(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }
}
