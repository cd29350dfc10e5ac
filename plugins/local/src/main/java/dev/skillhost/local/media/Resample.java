package dev.skillhost.local.media;

/**
 * Resizes with a Lanczos-3 filter, widened when shrinking so that nothing aliases: the quality
 * filter behind upscale and every downscale. Separable (rows, then columns) with an 8-bit
 * intermediate, as Pillow does; alpha is premultiplied while filtering so edges do not halo.
 */
public final class Resample {

  private static final int LOBES = 3;

  private Resample() {}

  public static RgbImage resize(RgbImage src, int width, int height, Parallel par) {
    if (width <= 0 || height <= 0) throw new IllegalArgumentException("bad size " + width + "x" + height);
    if (width == src.width() && height == src.height()) return src;
    int[] mid = src.width() == width ? premultiplied(src) : horizontal(src, width, par);
    int[] out = src.height() == height ? mid : vertical(mid, width, src.height(), height, par);
    if (src.alpha()) unpremultiply(out);
    return new RgbImage(width, height, out, src.alpha());
  }

  /** Filter taps for one axis: for output i, {@code count[i]} weights starting at source {@code start[i]}. */
  record Taps(int[] start, int[] count, float[] weights, int stride) {

    static Taps of(int srcSize, int dstSize) {
      double scale = (double) srcSize / dstSize;
      double widen = Math.max(1, scale);
      double support = LOBES * widen;
      int stride = (int) Math.ceil(support) * 2 + 1;
      int[] start = new int[dstSize];
      int[] count = new int[dstSize];
      float[] weights = new float[dstSize * stride];
      for (int i = 0; i < dstSize; i++) {
        double center = (i + 0.5) * scale;
        int lo = Math.max(0, (int) Math.floor(center - support));
        int hi = Math.min(srcSize - 1, (int) Math.ceil(center + support));
        double sum = 0;
        int n = 0;
        double[] w = new double[hi - lo + 1];
        for (int j = lo; j <= hi; j++) {
          w[j - lo] = lanczos((j + 0.5 - center) / widen);
          sum += w[j - lo];
        }
        // trim zero tails so the inner loops stay short
        int first = 0;
        int last = w.length - 1;
        while (first < last && w[first] == 0) first++;
        while (last > first && w[last] == 0) last--;
        start[i] = lo + first;
        for (int k = first; k <= last && n < stride; k++) {
          weights[i * stride + n++] = (float) (w[k] / sum);
        }
        count[i] = n;
      }
      return new Taps(start, count, weights, stride);
    }

    private static double lanczos(double x) {
      if (x == 0) return 1;
      if (x <= -LOBES || x >= LOBES) return 0;
      double px = Math.PI * x;
      return LOBES * Math.sin(px) * Math.sin(px / LOBES) / (px * px);
    }
  }

  private static int[] horizontal(RgbImage src, int width, Parallel par) {
    Taps taps = Taps.of(src.width(), width);
    int[] in = src.pixels();
    int sw = src.width();
    boolean alpha = src.alpha();
    int[] out = new int[width * src.height()];
    par.range(src.height(), (from, to) -> {
      for (int y = from; y < to; y++) {
        int row = y * sw;
        for (int x = 0; x < width; x++) {
          float a = 0, r = 0, g = 0, b = 0;
          int s = taps.start[x];
          int base = x * taps.stride;
          for (int k = 0; k < taps.count[x]; k++) {
            int p = in[row + s + k];
            float w = taps.weights[base + k];
            int pa = p >>> 24;
            if (alpha) {
              float f = w * pa / 255f;
              a += w * pa;
              r += f * ((p >> 16) & 0xFF);
              g += f * ((p >> 8) & 0xFF);
              b += f * (p & 0xFF);
            } else {
              r += w * ((p >> 16) & 0xFF);
              g += w * ((p >> 8) & 0xFF);
              b += w * (p & 0xFF);
            }
          }
          out[y * width + x] = pack(alpha ? a : 255, r, g, b);
        }
      }
    });
    return out;
  }

  private static int[] vertical(int[] in, int width, int srcHeight, int height, Parallel par) {
    Taps taps = Taps.of(srcHeight, height);
    int[] out = new int[width * height];
    par.range(height, (from, to) -> {
      float[] a = new float[width];
      float[] r = new float[width];
      float[] g = new float[width];
      float[] b = new float[width];
      for (int y = from; y < to; y++) {
        java.util.Arrays.fill(a, 0);
        java.util.Arrays.fill(r, 0);
        java.util.Arrays.fill(g, 0);
        java.util.Arrays.fill(b, 0);
        int base = y * taps.stride;
        for (int k = 0; k < taps.count[y]; k++) {
          float w = taps.weights[base + k];
          int row = (taps.start[y] + k) * width;
          for (int x = 0; x < width; x++) {
            int p = in[row + x];
            a[x] += w * (p >>> 24);
            r[x] += w * ((p >> 16) & 0xFF);
            g[x] += w * ((p >> 8) & 0xFF);
            b[x] += w * (p & 0xFF);
          }
        }
        int o = y * width;
        for (int x = 0; x < width; x++) {
          out[o + x] = pack(a[x], r[x], g[x], b[x]);
        }
      }
    });
    return out;
  }

  private static int[] premultiplied(RgbImage src) {
    if (!src.alpha()) return src.pixels().clone();
    int[] px = src.pixels().clone();
    for (int i = 0; i < px.length; i++) {
      int p = px[i];
      int a = p >>> 24;
      px[i] = (a << 24) | mul(p >> 16, a) << 16 | mul(p >> 8, a) << 8 | mul(p, a);
    }
    return px;
  }

  private static void unpremultiply(int[] px) {
    for (int i = 0; i < px.length; i++) {
      int p = px[i];
      int a = p >>> 24;
      if (a == 0 || a == 255) continue;
      px[i] = (a << 24) | div(p >> 16, a) << 16 | div(p >> 8, a) << 8 | div(p, a);
    }
  }

  private static int mul(int c, int a) {
    return ((c & 0xFF) * a + 127) / 255;
  }

  private static int div(int c, int a) {
    return Math.min(255, ((c & 0xFF) * 255 + a / 2) / a);
  }

  static int pack(float a, float r, float g, float b) {
    return clamp(a) << 24 | clamp(r) << 16 | clamp(g) << 8 | clamp(b);
  }

  static int clamp(float v) {
    int i = Math.round(v);
    return i < 0 ? 0 : Math.min(i, 255);
  }
}
