package dev.skillhost.local.media;

/**
 * An 8-bit RGB picture with optional alpha, one packed {@code 0xAARRGGBB} int per pixel, rows top to
 * bottom. When {@link #alpha()} is false every pixel's alpha byte is {@code 0xFF}.
 */
public record RgbImage(int width, int height, int[] pixels, boolean alpha) {

  public RgbImage {
    if (width <= 0 || height <= 0 || pixels.length != width * height) {
      throw new IllegalArgumentException("bad image size " + width + "x" + height + " for " + pixels.length + " pixels");
    }
  }

  /** An opaque black image. */
  public static RgbImage blank(int width, int height) {
    int[] px = new int[Math.multiplyExact(width, height)];
    java.util.Arrays.fill(px, 0xFF000000);
    return new RgbImage(width, height, px, false);
  }

  public int get(int x, int y) {
    return pixels[y * width + x];
  }

  public double aspect() {
    return (double) width / height;
  }

  /** The rectangle {@code (x, y, w, h)} copied out. */
  public RgbImage crop(int x, int y, int w, int h) {
    if (x < 0 || y < 0 || w <= 0 || h <= 0 || x + w > width || y + h > height) {
      throw new IllegalArgumentException("crop " + x + "," + y + " " + w + "x" + h + " outside " + width + "x" + height);
    }
    int[] out = new int[w * h];
    for (int row = 0; row < h; row++) {
      System.arraycopy(pixels, (y + row) * width + x, out, row * w, w);
    }
    return new RgbImage(w, h, out, alpha);
  }

  /** This image composited over an opaque background colour ({@code 0xRRGGBB}). */
  public RgbImage flatten(int background) {
    if (!alpha) return this;
    int[] out = new int[pixels.length];
    int br = (background >> 16) & 0xFF;
    int bg = (background >> 8) & 0xFF;
    int bb = background & 0xFF;
    for (int i = 0; i < out.length; i++) {
      int p = pixels[i];
      int a = p >>> 24;
      int r = ((p >> 16) & 0xFF) * a + br * (255 - a);
      int g = ((p >> 8) & 0xFF) * a + bg * (255 - a);
      int b = (p & 0xFF) * a + bb * (255 - a);
      out[i] = 0xFF000000 | ((r + 127) / 255) << 16 | ((g + 127) / 255) << 8 | ((b + 127) / 255);
    }
    return new RgbImage(width, height, out, false);
  }
}
