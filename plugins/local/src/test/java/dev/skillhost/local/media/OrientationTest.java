package dev.skillhost.local.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.local.support.TestImages;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A phone's portrait JPEG (stored sideways, EXIF orientation 6) is read standing upright. */
class OrientationTest {

  @TempDir Path dir;

  /** 60x40, red in the top-left quarter, the rest blue. */
  private static RgbImage marked() {
    RgbImage img = TestImages.solid(60, 40, 0x0000FF);
    for (int y = 0; y < 20; y++) {
      Arrays.fill(img.pixels(), y * 60, y * 60 + 30, 0xFFFF0000);
    }
    return img;
  }

  @ParameterizedTest(name = "orientation {0}: red corner at ({3}, {4})")
  @CsvSource({"1, 60, 40, 5, 5", "3, 60, 40, 55, 35", "6, 40, 60, 35, 5", "8, 40, 60, 5, 55"})
  void jpegs_are_turned_upright_by_their_exif_orientation(int orientation, int w, int h, int rx, int ry)
      throws Exception {
    Path jpeg = withOrientation(TestImages.jpeg(marked(), dir.resolve("plain.jpg")), orientation);
    assertThat(ImageFiles.probe(jpeg).width()).isEqualTo(w);
    RgbImage upright = ImageFiles.read(jpeg, Long.MAX_VALUE);
    assertThat(upright.width()).isEqualTo(w);
    assertThat(upright.height()).isEqualTo(h);
    assertThat((upright.get(rx, ry) >> 16) & 0xFF).as("red corner").isGreaterThan(200);
    assertThat((upright.get(w - 1 - rx, h - 1 - ry) >> 16) & 0xFF).as("opposite corner").isLessThan(60);
  }

  @Test
  void a_file_without_exif_is_normal() throws Exception {
    assertThat(Orientation.of(TestImages.png(marked(), dir.resolve("m.png")))).isEqualTo(Orientation.NORMAL);
  }

  /** Inserts an APP1 EXIF segment holding only the orientation tag right after the JPEG's SOI. */
  private Path withOrientation(Path jpeg, int orientation) throws Exception {
    ByteBuffer tiff = ByteBuffer.allocate(26);
    tiff.put(new byte[] {'M', 'M', 0, 42}).putInt(8).putShort((short) 1)
        .putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0)
        .putInt(0);
    byte[] body = new byte[6 + tiff.capacity()];
    System.arraycopy(new byte[] {'E', 'x', 'i', 'f', 0, 0}, 0, body, 0, 6);
    System.arraycopy(tiff.array(), 0, body, 6, tiff.capacity());
    byte[] bytes = Files.readAllBytes(jpeg);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(bytes, 0, 2);
    out.write(new byte[] {(byte) 0xFF, (byte) 0xE1, (byte) ((body.length + 2) >> 8), (byte) (body.length + 2)});
    out.write(body);
    out.write(bytes, 2, bytes.length - 2);
    return Files.write(dir.resolve("o" + orientation + ".jpg"), out.toByteArray());
  }
}
