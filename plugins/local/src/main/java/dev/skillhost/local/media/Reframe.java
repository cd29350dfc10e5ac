package dev.skillhost.local.media;

/** Changes a picture's aspect ratio: crop around the subject, or fit the whole picture on a blurred fill. */
public final class Reframe {

  /** How much the blurred fill is darkened, so the picture in front stands out. */
  private static final double FILL_DIM = 0.8;

  private Reframe() {}

  /** The largest crop of this aspect (width / height) that holds the most of the subject. */
  public static RgbImage crop(RgbImage src, double aspect, Interest interest) {
    int w = src.width();
    int h = (int) Math.round(w / aspect);
    if (h > src.height()) {
      h = src.height();
      w = Math.max(1, (int) Math.round(h * aspect));
    }
    int[] at = interest.bestWindow(w, h, src.width(), src.height());
    return src.crop(at[0], at[1], w, h);
  }

  /** The whole picture, unscaled, centred on a canvas of this aspect filled with a blurred, dimmed copy of it. */
  public static RgbImage fit(RgbImage src, double aspect, Parallel par) {
    int w = src.width();
    int h = src.height();
    if ((double) w / h < aspect) {
      w = (int) Math.round(h * aspect);
    } else {
      h = (int) Math.round(w / aspect);
    }
    RgbImage fill = blurredCover(src.flatten(0x000000), w, h, par);
    int[] out = fill.pixels();
    int ox = (w - src.width()) / 2;
    int oy = (h - src.height()) / 2;
    for (int y = 0; y < src.height(); y++) {
      for (int x = 0; x < src.width(); x++) {
        int p = src.get(x, y);
        int i = (oy + y) * w + ox + x;
        out[i] = src.alpha() ? over(p, out[i]) : p;
      }
    }
    return new RgbImage(w, h, out, false);
  }

  /** The picture scaled to cover {@code w x h}, blurred heavily (small copy, box blur, scale up) and dimmed. */
  static RgbImage blurredCover(RgbImage src, int w, int h, Parallel par) {
    double cover = Math.max((double) w / src.width(), (double) h / src.height());
    int sw = Math.max(1, (int) Math.round(w / cover));
    int sh = Math.max(1, (int) Math.round(h / cover));
    RgbImage region = src.crop((src.width() - sw) / 2, (src.height() - sh) / 2, sw, sh);
    int tw = Math.max(4, w / 24);
    int th = Math.max(4, h / 24);
    RgbImage tiny = Resample.resize(region, tw, th, par);
    int[] px = tiny.pixels();
    for (int pass = 0; pass < 3; pass++) {
      px = box(px, tw, th);
    }
    for (int i = 0; i < px.length; i++) {
      int p = px[i];
      px[i] = 0xFF000000 | dim(p >> 16) << 16 | dim(p >> 8) << 8 | dim(p);
    }
    return Resample.resize(new RgbImage(tw, th, px, false), w, h, par);
  }

  private static int[] box(int[] in, int w, int h) {
    int[] out = new int[in.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int r = 0, g = 0, b = 0, n = 0;
        for (int dy = -2; dy <= 2; dy++) {
          for (int dx = -2; dx <= 2; dx++) {
            int xx = Math.max(0, Math.min(w - 1, x + dx));
            int yy = Math.max(0, Math.min(h - 1, y + dy));
            int p = in[yy * w + xx];
            r += (p >> 16) & 0xFF;
            g += (p >> 8) & 0xFF;
            b += p & 0xFF;
            n++;
          }
        }
        out[y * w + x] = 0xFF000000 | (r / n) << 16 | (g / n) << 8 | (b / n);
      }
    }
    return out;
  }

  private static int dim(int c) {
    return (int) Math.round((c & 0xFF) * FILL_DIM);
  }

  private static int over(int fg, int bg) {
    int a = fg >>> 24;
    int r = (((fg >> 16) & 0xFF) * a + ((bg >> 16) & 0xFF) * (255 - a) + 127) / 255;
    int g = (((fg >> 8) & 0xFF) * a + ((bg >> 8) & 0xFF) * (255 - a) + 127) / 255;
    int b = ((fg & 0xFF) * a + (bg & 0xFF) * (255 - a) + 127) / 255;
    return 0xFF000000 | r << 16 | g << 8 | b;
  }
}
