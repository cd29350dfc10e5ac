package dev.skillhost.local.media;

/**
 * Cuts one frame out of a still: the {@link View} rectangle resampled bilinearly to the frame's
 * size, straight in YUV so no colour conversion happens per frame. Sources are prepared (see
 * {@link StillSource}) so that a view is never shrunk by much more than 1.5x, where bilinear
 * filtering still holds up.
 */
public final class ViewSampler {

  private ViewSampler() {}

  public static void render(YuvPlanes src, View view, Yuv420 out) {
    double sx = view.w() / out.width;
    double sy = view.h() / out.height;
    plane(src.y(), src.width(), src.height(), out.y, out.width, out.height, view.x(), view.y(), sx, sy);
    // a chroma sample covers 2x2 luma samples: same scale, origin halved
    plane(src.u(), src.chromaWidth(), src.chromaHeight(), out.u, out.chromaWidth(), out.chromaHeight(),
        view.x() / 2, view.y() / 2, sx, sy);
    plane(src.v(), src.chromaWidth(), src.chromaHeight(), out.v, out.chromaWidth(), out.chromaHeight(),
        view.x() / 2, view.y() / 2, sx, sy);
  }

  private static void plane(byte[] src, int sw, int sh, byte[] dst, int dw, int dh,
      double ox, double oy, double sx, double sy) {
    // per output column: source column (high bits) and 8-bit weight, packed to one load
    int[] columns = new int[dw];
    for (int i = 0; i < dw; i++) {
      long split = split(ox + (i + 0.5) * sx - 0.5, sw);
      columns[i] = (int) (split >> 16) << 9 | (int) (split & 0x1FF);
    }
    // Separable: each source row is filtered horizontally once and kept while output rows use it.
    int[] upper = new int[dw];
    int[] lower = new int[dw];
    int upperRow = -1;
    int lowerRow = -1;
    int step = sw > 1 ? 1 : 0;
    for (int j = 0; j < dh; j++) {
      long split = split(oy + (j + 0.5) * sy - 0.5, sh);
      int y0 = (int) (split >> 16);
      int y1 = sh > 1 ? y0 + 1 : y0;
      int fy = (int) (split & 0xFFFF);
      if (upperRow != y0) {
        if (lowerRow == y0) {
          int[] t = upper;
          upper = lower;
          lower = t;
          upperRow = y0;
          lowerRow = -1;
        } else {
          horizontal(src, y0 * sw, step, columns, upper);
          upperRow = y0;
        }
      }
      if (fy != 0 && lowerRow != y1) {
        horizontal(src, y1 * sw, step, columns, lower);
        lowerRow = y1;
      }
      vertical(upper, lower, fy, dst, j * dw);
    }
  }

  // The two loops below are small methods on purpose: called once per row, they reach the JIT's
  // top tier within the first frame instead of after hundreds of frames.

  /** One source row resampled to the output's columns, scaled by 256. */
  private static void horizontal(byte[] src, int row, int step, int[] columns, int[] out) {
    for (int i = 0; i < out.length; i++) {
      int c = columns[i];
      int at = row + (c >> 9);
      int a = src[at] & 0xFF;
      int b = src[at + step] & 0xFF;
      out[i] = (a << 8) + (b - a) * (c & 0x1FF);
    }
  }

  /** Blends two filtered rows into an output row; {@code fy} is the lower row's weight out of 256. */
  private static void vertical(int[] upper, int[] lower, int fy, byte[] dst, int at) {
    if (fy == 0) {
      for (int i = 0; i < upper.length; i++) {
        dst[at + i] = (byte) ((upper[i] + 128) >> 8);
      }
      return;
    }
    int ify = 256 - fy;
    for (int i = 0; i < upper.length; i++) {
      dst[at + i] = (byte) ((upper[i] * ify + lower[i] * fy + 32768) >> 16);
    }
  }

  /** Integer part (high bits) and 8-bit fraction (low 16 bits) of {@code p}, clamped to {@code [0, n-1]}. */
  private static long split(double p, int n) {
    if (n == 1 || p <= 0) return 0;
    if (p >= n - 1) return ((long) (n - 2) << 16) | 256;
    int i = (int) p;
    int f = (int) Math.round((p - i) * 256);
    if (f == 256) {
      if (i + 1 >= n - 1) return ((long) (n - 2) << 16) | 256;
      i++;
      f = 0;
    }
    return ((long) i << 16) | f;
  }
}
