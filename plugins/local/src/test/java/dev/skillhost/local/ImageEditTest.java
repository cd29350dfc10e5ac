package dev.skillhost.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skillhost.api.Job;
import dev.skillhost.api.Output;
import dev.skillhost.local.media.ImageFiles;
import dev.skillhost.local.media.RgbImage;
import dev.skillhost.local.support.LocalTestBase;
import dev.skillhost.local.support.Rgb;
import dev.skillhost.local.support.Runs;
import dev.skillhost.local.support.TestImages;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Image edits keep the picture's content: results are compared with the source on block averages. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ImageEditTest extends LocalTestBase {

  private static final RgbImage FIELD = TestImages.field(200, 150);

  private static RgbImage edit(RgbImage source, JsonObject params, String expectMime) throws Exception {
    Job.Input in = image("edit-" + System.nanoTime(), source);
    Runs.Outcome out = run("image_edit", params, List.of(in));
    Output result = out.last() == null ? null : out.last().outputs().get(0);
    assertThat(result).as("result of " + params + ": " + out.error()).isNotNull();
    assertThat(result.mime()).isEqualTo(expectMime);
    Path file = output(out);
    RgbImage image = ImageFiles.read(file, Long.MAX_VALUE);
    assertThat(result.meta().getInteger("width")).isEqualTo(image.width());
    return image;
  }

  @ParameterizedTest(name = "upscale {0}x")
  @ValueSource(ints = {2, 4})
  void upscale_multiplies_the_size_and_keeps_the_picture(int factor) throws Exception {
    RgbImage up = edit(FIELD, new JsonObject().put("upscale", factor), "image/png");
    assertThat(up.width()).isEqualTo(200 * factor);
    assertThat(up.height()).isEqualTo(150 * factor);
    assertThat(Rgb.diff(Rgb.of(up).grid(20, 15), Rgb.of(FIELD).grid(20, 15))).isLessThan(1.5);
  }

  @Test
  void reframe_by_crop_keeps_the_subject_in_the_frame() throws Exception {
    RgbImage source = TestImages.subject(640, 360, 520, 180, 70);
    RgbImage square = edit(source, new JsonObject().put("aspect_ratio", "1:1"), "image/png");
    assertThat(square.width()).isEqualTo(360);
    assertThat(square.height()).isEqualTo(360);
    // the disc spans x 450..590: a centred crop (140..500) would cut it; the chosen crop holds all of it
    assertThat(subjectPixels(square)).isEqualTo(subjectPixels(source));
    int x0 = locate(source, square);
    assertThat(x0).isBetween(590 - 360, 450);
  }

  @Test
  void reframe_by_fit_keeps_the_whole_picture_on_a_blurred_fill() throws Exception {
    RgbImage fitted = edit(FIELD, new JsonObject().put("aspect_ratio", "9:16").put("reframe", "fit"), "image/png");
    assertThat(fitted.width()).isEqualTo(200);
    assertThat(fitted.height()).isEqualTo(356);
    int top = (356 - 150) / 2;
    RgbImage middle = fitted.crop(0, top, 200, 150);
    assertThat(Rgb.diff(Rgb.of(middle).grid(20, 15), Rgb.of(FIELD).grid(20, 15))).as("picture intact").isLessThan(0.5);
    RgbImage band = fitted.crop(0, 0, 200, top);
    assertThat(roughness(band)).as("fill is blurred").isLessThan(roughness(FIELD) / 3);
  }

  @Test
  void looks_change_colour_as_named() throws Exception {
    Rgb src = Rgb.of(FIELD);
    RgbImage gray = edit(FIELD, new JsonObject().put("look", "grayscale"), "image/png");
    for (int p : gray.pixels()) {
      assertThat((p >> 16) & 0xFF).isEqualTo(p & 0xFF);
    }
    double[] sepia = Rgb.of(edit(FIELD, new JsonObject().put("look", "sepia"), "image/png")).mean();
    assertThat(sepia[0]).isGreaterThan(sepia[1]);
    assertThat(sepia[1]).isGreaterThan(sepia[2]);
    double[] warm = Rgb.of(edit(FIELD, new JsonObject().put("look", "warm"), "image/png")).mean();
    double[] cool = Rgb.of(edit(FIELD, new JsonObject().put("look", "cool"), "image/png")).mean();
    assertThat(warm[0] - warm[2]).isGreaterThan(src.mean()[0] - src.mean()[2] + 20);
    assertThat(cool[2] - cool[0]).isGreaterThan(src.mean()[2] - src.mean()[0] + 20);
    RgbImage contrast = edit(FIELD, new JsonObject().put("look", "high_contrast"), "image/png");
    assertThat(lumaSpread(contrast)).isGreaterThan(lumaSpread(FIELD) * 1.3);
  }

  @Test
  void format_converts_png_to_jpeg() throws Exception {
    Job.Input in = image("to-jpeg", FIELD);
    Runs.Outcome out = run("image_edit", new JsonObject().put("format", "jpg"), List.of(in));
    byte[] head = Files.readAllBytes(output(out));
    assertThat(head[0] & 0xFF).isEqualTo(0xFF);
    assertThat(head[1] & 0xFF).isEqualTo(0xD8);
    RgbImage jpeg = ImageFiles.read(output(out), Long.MAX_VALUE);
    assertThat(Rgb.diff(Rgb.of(jpeg).grid(20, 15), Rgb.of(FIELD).grid(20, 15))).isLessThan(2);
  }

  @Test
  void words_ask_for_edits_in_english_and_chinese() throws Exception {
    RgbImage out = edit(FIELD, new JsonObject().put("prompt", "把它变成黑白的, 竖屏"), "image/png");
    assertThat(out.height()).isGreaterThan(out.width());
    assertThat((out.get(10, 10) >> 8) & 0xFF).isEqualTo(out.get(10, 10) & 0xFF);
  }

  private static int subjectPixels(RgbImage img) {
    int n = 0;
    for (int p : img.pixels()) {
      if (((p >> 16) & 0xFF) > 200 && (p & 0xFF) < 100) n++;
    }
    return n;
  }

  /** The x offset in {@code source} where {@code crop} matches best. */
  private static int locate(RgbImage source, RgbImage crop) {
    int best = -1;
    double bestDiff = Double.MAX_VALUE;
    for (int x = 0; x + crop.width() <= source.width(); x += 2) {
      double d = Rgb.diff(Rgb.of(source.crop(x, 0, crop.width(), crop.height())).grid(12, 12), Rgb.of(crop).grid(12, 12));
      if (d < bestDiff) {
        bestDiff = d;
        best = x;
      }
    }
    return best;
  }

  private static double roughness(RgbImage img) {
    double s = 0;
    for (int y = 0; y < img.height(); y++) {
      for (int x = 1; x < img.width(); x++) {
        s += Math.abs(((img.get(x, y) >> 8) & 0xFF) - ((img.get(x - 1, y) >> 8) & 0xFF))
            + Math.abs((img.get(x, y) & 0xFF) - (img.get(x - 1, y) & 0xFF));
      }
    }
    return s / (img.height() * (img.width() - 1));
  }

  private static double lumaSpread(RgbImage img) {
    double s = 0, s2 = 0;
    for (int p : img.pixels()) {
      double l = 0.2126 * ((p >> 16) & 0xFF) + 0.7152 * ((p >> 8) & 0xFF) + 0.0722 * (p & 0xFF);
      s += l;
      s2 += l * l;
    }
    int n = img.pixels().length;
    return Math.sqrt(s2 / n - (s / n) * (s / n));
  }
}
