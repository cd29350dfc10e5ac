package dev.skillhost.feishu.support;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import javax.imageio.ImageIO;

/** Small real media files: an ISO-BMFF mp4 skeleton with a real {@code mvhd}, and a PNG. */
public final class TestMedia {

  private TestMedia() {}

  /**
   * {@code ftyp}, {@code mdat} with {@code payload} bytes, then {@code moov/mvhd} (version 0,
   * timescale 1000) saying {@code durationMs}: the moov-at-end layout most encoders write.
   */
  public static byte[] mp4(int durationMs, int payload) {
    ByteBuffer ftyp = box("ftyp", 16);
    ftyp.put("isom".getBytes(StandardCharsets.ISO_8859_1)).putInt(512)
        .put("isom".getBytes(StandardCharsets.ISO_8859_1)).put("mp41".getBytes(StandardCharsets.ISO_8859_1));
    ByteBuffer mdat = box("mdat", payload);
    for (int i = 0; i < payload; i++) {
      mdat.put((byte) (i * 31));
    }
    ByteBuffer mvhd = box("mvhd", 100);
    mvhd.put((byte) 0).put(new byte[3]).putInt(0).putInt(0).putInt(1000).putInt(durationMs);
    mvhd.put(new byte[100 - 20]);
    byte[] mvhdBytes = mvhd.array();
    ByteBuffer moov = box("moov", mvhdBytes.length);
    moov.put(mvhdBytes);
    ByteBuffer all = ByteBuffer.allocate(ftyp.capacity() + mdat.capacity() + moov.capacity());
    return all.put(ftyp.array()).put(mdat.array()).put(moov.array()).array();
  }

  public static byte[] png(int width, int height) throws IOException {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        img.setRGB(x, y, (x * 255 / width) << 16 | (y * 255 / height) << 8);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }

  private static ByteBuffer box(String type, int contentBytes) {
    ByteBuffer b = ByteBuffer.allocate(8 + contentBytes);
    b.putInt(8 + contentBytes).put(type.getBytes(StandardCharsets.ISO_8859_1));
    return b;
  }
}
