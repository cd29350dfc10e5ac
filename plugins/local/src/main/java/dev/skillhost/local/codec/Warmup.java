package dev.skillhost.local.codec;

import dev.skillhost.local.media.Motion;
import dev.skillhost.local.media.Parallel;
import dev.skillhost.local.media.RgbImage;
import dev.skillhost.local.media.StillSource;
import dev.skillhost.local.media.Yuv420;
import java.nio.file.Path;

/**
 * Loads the natives and runs a small camera move through the same code as a real task, so the
 * first real job neither pays for extracting libraries nor runs its pixel loops before the JIT has
 * compiled them, and a broken native setup shows at plugin start rather than in a user's task.
 */
public final class Warmup {

  private Warmup() {}

  /** Encodes a {@code frames}-frame zoom over a generated picture, {@code width x height} at 10 fps, to {@code out}. */
  public static Path encode(Path out, int width, int height, int frames) {
    int w = width * 3 / 2;
    int h = height * 3 / 2;
    int[] px = new int[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        px[y * w + x] = 0xFF000000 | (x * 255 / w) << 16 | (y * 255 / h) << 8 | ((x ^ y) & 0xFF);
      }
    }
    StillSource still = StillSource.prepare(new RgbImage(w, h, px, false), Motion.ZOOM_IN, 1.3, width, height,
        null, true, Parallel.inline());
    Yuv420 picture = new Yuv420(width, height);
    try (Mp4Writer writer = new Mp4Writer(out, width, height, 10, EncoderSettings.DEFAULT, Colors.BT709)) {
      for (int f = 0; f < frames; f++) {
        still.render(f, frames, picture);
        writer.write(picture);
      }
      writer.finish();
    }
    return out;
  }
}
