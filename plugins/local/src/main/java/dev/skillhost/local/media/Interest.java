package dev.skillhost.local.media;

/**
 * Where the subject of a picture probably is, from a small saliency map: edges and colours that
 * stand out from the picture's average, weighted gently towards the centre (where people frame
 * subjects). Used to place crops and to aim push-ins. Cheap: works on a copy at most
 * {@value #SIDE} pixels on its long side.
 */
public final class Interest {

  static final int SIDE = 160;

  private final int width;
  private final int height;
  private final double scale;
  private final float[] map;

  private Interest(int width, int height, double scale, float[] map) {
    this.width = width;
    this.height = height;
    this.scale = scale;
    this.map = map;
  }

  public static Interest of(RgbImage image) {
    double scale = Math.min(1.0, (double) SIDE / Math.max(image.width(), image.height()));
    int w = Math.max(1, (int) Math.round(image.width() * scale));
    int h = Math.max(1, (int) Math.round(image.height() * scale));
    return new Interest(w, h, (double) w / image.width(), saliency(areaAverage(image.flatten(0x808080), w, h)));
  }

  /** The saliency-weighted centre, in the original picture's pixels. */
  public double[] center() {
    double sum = 0, sx = 0, sy = 0;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        double s = map[y * width + x];
        s *= s;
        sum += s;
        sx += s * (x + 0.5);
        sy += s * (y + 0.5);
      }
    }
    if (sum == 0) return new double[] {width / 2.0 / scale, height / 2.0 / scale};
    return new double[] {sx / sum / scale, sy / sum / scale};
  }

  /**
   * The top-left corner, in original pixels, of the {@code w x h} window (original pixels) that holds
   * the most saliency.
   */
  public int[] bestWindow(int w, int h, int imageWidth, int imageHeight) {
    int ww = Math.max(1, Math.min(width, (int) Math.round(w * scale)));
    int wh = Math.max(1, Math.min(height, (int) Math.round(h * scale)));
    double[] integral = new double[(width + 1) * (height + 1)];
    for (int y = 0; y < height; y++) {
      double row = 0;
      for (int x = 0; x < width; x++) {
        row += map[y * width + x];
        integral[(y + 1) * (width + 1) + x + 1] = integral[y * (width + 1) + x + 1] + row;
      }
    }
    double best = -1;
    int bx = (width - ww) / 2;
    int by = (height - wh) / 2;
    for (int y = 0; y + wh <= height; y++) {
      for (int x = 0; x + ww <= width; x++) {
        double s = integral[(y + wh) * (width + 1) + x + ww] - integral[y * (width + 1) + x + ww]
            - integral[(y + wh) * (width + 1) + x] + integral[y * (width + 1) + x];
        if (s > best + 1e-9) {
          best = s;
          bx = x;
          by = y;
        }
      }
    }
    int ox = (int) Math.round(bx / scale);
    int oy = (int) Math.round(by / scale);
    return new int[] {Math.max(0, Math.min(imageWidth - w, ox)), Math.max(0, Math.min(imageHeight - h, oy))};
  }

  private static float[] saliency(RgbImage img) {
    int w = img.width();
    int h = img.height();
    float[] luma = new float[w * h];
    float[] rg = new float[w * h];
    float[] yb = new float[w * h];
    double ml = 0, mrg = 0, myb = 0;
    for (int i = 0; i < luma.length; i++) {
      int p = img.pixels()[i];
      int r = (p >> 16) & 0xFF, g = (p >> 8) & 0xFF, b = p & 0xFF;
      luma[i] = 0.2126f * r + 0.7152f * g + 0.0722f * b;
      rg[i] = r - g;
      yb[i] = (r + g) / 2f - b;
      ml += luma[i];
      mrg += rg[i];
      myb += yb[i];
    }
    ml /= luma.length;
    mrg /= luma.length;
    myb /= luma.length;
    float[] edges = new float[w * h];
    float[] colour = new float[w * h];
    float maxEdge = 1e-6f, maxColour = 1e-6f;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = y * w + x;
        float gx = luma[y * w + Math.min(w - 1, x + 1)] - luma[y * w + Math.max(0, x - 1)];
        float gy = luma[Math.min(h - 1, y + 1) * w + x] - luma[Math.max(0, y - 1) * w + x];
        edges[i] = (float) Math.sqrt(gx * gx + gy * gy);
        colour[i] = (float) Math.sqrt(sq(rg[i] - mrg) + sq(yb[i] - myb) + sq(luma[i] - ml));
        maxEdge = Math.max(maxEdge, edges[i]);
        maxColour = Math.max(maxColour, colour[i]);
      }
    }
    float[] map = new float[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = y * w + x;
        double dx = (x + 0.5) / w - 0.5;
        double dy = (y + 0.5) / h - 0.5;
        double prior = 0.6 + 0.4 * Math.exp(-(dx * dx + dy * dy) / (2 * 0.3 * 0.3));
        map[i] = (float) (prior * (0.5 * edges[i] / maxEdge + 0.5 * colour[i] / maxColour));
      }
    }
    return boxBlur(boxBlur(map, w, h), w, h);
  }

  /** A small copy by averaging each cell's pixels: enough for a saliency map, and one pass. */
  private static RgbImage areaAverage(RgbImage src, int w, int h) {
    long[] sums = new long[w * h * 4];
    int sw = src.width();
    for (int y = 0; y < src.height(); y++) {
      int cy = (int) ((long) y * h / src.height());
      for (int x = 0; x < sw; x++) {
        int cell = (cy * w + (int) ((long) x * w / sw)) * 4;
        int p = src.pixels()[y * sw + x];
        sums[cell] += (p >> 16) & 0xFF;
        sums[cell + 1] += (p >> 8) & 0xFF;
        sums[cell + 2] += p & 0xFF;
        sums[cell + 3]++;
      }
    }
    int[] px = new int[w * h];
    for (int i = 0; i < px.length; i++) {
      long n = Math.max(1, sums[i * 4 + 3]);
      px[i] = 0xFF000000 | (int) (sums[i * 4] / n) << 16 | (int) (sums[i * 4 + 1] / n) << 8 | (int) (sums[i * 4 + 2] / n);
    }
    return new RgbImage(w, h, px, false);
  }

  private static float[] boxBlur(float[] in, int w, int h) {
    float[] out = new float[in.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        float s = 0;
        int n = 0;
        for (int dy = -1; dy <= 1; dy++) {
          for (int dx = -1; dx <= 1; dx++) {
            int xx = x + dx, yy = y + dy;
            if (xx >= 0 && yy >= 0 && xx < w && yy < h) {
              s += in[yy * w + xx];
              n++;
            }
          }
        }
        out[y * w + x] = s / n;
      }
    }
    return out;
  }

  private static double sq(double v) {
    return v * v;
  }
}
