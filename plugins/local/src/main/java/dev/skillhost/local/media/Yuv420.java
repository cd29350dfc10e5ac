package dev.skillhost.local.media;

/**
 * A video frame as H.264 takes it: planar YUV 4:2:0, 8 bits, limited range, BT.709. Width and height
 * are even; the chroma planes are half as wide and half as high as the luma plane.
 */
public final class Yuv420 {

  public final int width;
  public final int height;
  public final byte[] y;
  public final byte[] u;
  public final byte[] v;

  public Yuv420(int width, int height) {
    if (width < 2 || height < 2 || width % 2 != 0 || height % 2 != 0) {
      throw new IllegalArgumentException("a 4:2:0 frame needs even sides, not " + width + "x" + height);
    }
    this.width = width;
    this.height = height;
    this.y = new byte[width * height];
    this.u = new byte[width * height / 4];
    this.v = new byte[width * height / 4];
  }

  public int chromaWidth() {
    return width / 2;
  }

  public int chromaHeight() {
    return height / 2;
  }

  /** Bytes in all three planes. */
  public int size() {
    return y.length + u.length + v.length;
  }

  /** {@code this = (1 - alpha) * a + alpha * b}, per sample; alpha in 0..1. */
  public void blend(Yuv420 a, Yuv420 b, double alpha) {
    int w = (int) Math.round(Math.max(0, Math.min(1, alpha)) * 256);
    mix(a.y, b.y, y, w);
    mix(a.u, b.u, u, w);
    mix(a.v, b.v, v, w);
  }

  public void copyFrom(Yuv420 other) {
    System.arraycopy(other.y, 0, y, 0, y.length);
    System.arraycopy(other.u, 0, u, 0, u.length);
    System.arraycopy(other.v, 0, v, 0, v.length);
  }

  private static void mix(byte[] a, byte[] b, byte[] out, int w) {
    int iw = 256 - w;
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) (((a[i] & 0xFF) * iw + (b[i] & 0xFF) * w + 128) >> 8);
    }
  }
}
