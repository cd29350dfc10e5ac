package dev.skillhost.local.support;

import dev.skillhost.local.media.RgbImage;

/** A decoded frame or image for comparisons: RGB bytes, with block averages and differences. */
public record Rgb(int width, int height, int[] px) {

  public static Rgb fromRgb24(int width, int height, byte[] raw) {
    if (raw.length != width * height * 3) {
      throw new AssertionError("expected " + width * height * 3 + " bytes of RGB, got " + raw.length);
    }
    int[] px = new int[width * height];
    for (int i = 0; i < px.length; i++) {
      px[i] = (raw[3 * i] & 0xFF) << 16 | (raw[3 * i + 1] & 0xFF) << 8 | (raw[3 * i + 2] & 0xFF);
    }
    return new Rgb(width, height, px);
  }

  public static Rgb of(RgbImage image) {
    int[] px = image.pixels().clone();
    for (int i = 0; i < px.length; i++) px[i] &= 0xFFFFFF;
    return new Rgb(image.width(), image.height(), px);
  }

  /**
   * The mean colour of each cell when the region {@code (x, y, w, h)} (fractions of the size) is cut
   * into {@code cols x rows} cells: {@code [cell][r, g, b]}.
   */
  public double[][] grid(double x, double y, double w, double h, int cols, int rows) {
    double[][] out = new double[cols * rows][3];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        int x0 = (int) Math.round((x + w * c / cols) * width);
        int x1 = (int) Math.round((x + w * (c + 1) / cols) * width);
        int y0 = (int) Math.round((y + h * r / rows) * height);
        int y1 = (int) Math.round((y + h * (r + 1) / rows) * height);
        double[] sum = new double[3];
        int n = 0;
        for (int yy = y0; yy < y1; yy++) {
          for (int xx = x0; xx < x1; xx++) {
            int p = px[yy * width + xx];
            sum[0] += (p >> 16) & 0xFF;
            sum[1] += (p >> 8) & 0xFF;
            sum[2] += p & 0xFF;
            n++;
          }
        }
        for (int k = 0; k < 3; k++) out[r * cols + c][k] = sum[k] / Math.max(1, n);
      }
    }
    return out;
  }

  public double[][] grid(int cols, int rows) {
    return grid(0, 0, 1, 1, cols, rows);
  }

  /** Mean absolute difference between two grids, per channel value (0..255). */
  public static double diff(double[][] a, double[][] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      for (int k = 0; k < 3; k++) s += Math.abs(a[i][k] - b[i][k]);
    }
    return s / (a.length * 3);
  }

  public double[] mean() {
    return grid(1, 1)[0];
  }
}
