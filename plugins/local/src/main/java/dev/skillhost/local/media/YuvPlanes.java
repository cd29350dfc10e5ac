package dev.skillhost.local.media;

/**
 * A still converted once to the video's colour space (BT.709, limited range, 4:2:0) so that every
 * frame cut from it is only a resampling. Sides may be odd; chroma planes round up.
 */
public record YuvPlanes(int width, int height, byte[] y, int chromaWidth, int chromaHeight, byte[] u, byte[] v) {

  // BT.709 limited range, for R'G'B' in 0..255 (Rec. ITU-R BT.709-6 with 219/224 scaling)
  private static final float YR = 0.182586f, YG = 0.614231f, YB = 0.062007f;
  private static final float UR = -0.100644f, UG = -0.338572f, UB = 0.439216f;
  private static final float VR = 0.439216f, VG = -0.398942f, VB = -0.040274f;

  /** Converts an image, compositing any transparency over black. */
  public static YuvPlanes of(RgbImage image, Parallel par) {
    RgbImage src = image.flatten(0x000000);
    int w = src.width();
    int h = src.height();
    int cw = (w + 1) / 2;
    int ch = (h + 1) / 2;
    byte[] y = new byte[w * h];
    byte[] u = new byte[cw * ch];
    byte[] v = new byte[cw * ch];
    int[] px = src.pixels();
    par.range(ch, (from, to) -> {
      for (int cy = from; cy < to; cy++) {
        for (int cx = 0; cx < cw; cx++) {
          float su = 0, sv = 0;
          int n = 0;
          for (int dy = 0; dy < 2; dy++) {
            int row = cy * 2 + dy;
            if (row >= h) break;
            for (int dx = 0; dx < 2; dx++) {
              int col = cx * 2 + dx;
              if (col >= w) break;
              int p = px[row * w + col];
              int r = (p >> 16) & 0xFF;
              int g = (p >> 8) & 0xFF;
              int b = p & 0xFF;
              y[row * w + col] = (byte) Resample.clamp(16 + YR * r + YG * g + YB * b);
              su += UR * r + UG * g + UB * b;
              sv += VR * r + VG * g + VB * b;
              n++;
            }
          }
          u[cy * cw + cx] = (byte) Resample.clamp(128 + su / n);
          v[cy * cw + cx] = (byte) Resample.clamp(128 + sv / n);
        }
      }
    });
    return new YuvPlanes(w, h, y, cw, ch, u, v);
  }
}
