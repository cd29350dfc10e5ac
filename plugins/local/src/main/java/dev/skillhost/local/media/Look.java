package dev.skillhost.local.media;

import java.util.Locale;
import java.util.Optional;

/** A named colour treatment. Alpha is kept as it is. */
public enum Look {
  GRAYSCALE, SEPIA, WARM, COOL, HIGH_CONTRAST;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Look> parse(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
    if (v.equals("greyscale") || v.equals("black_and_white") || v.equals("bw")) return Optional.of(GRAYSCALE);
    for (Look l : values()) {
      if (l.wire().equals(v)) return Optional.of(l);
    }
    return Optional.empty();
  }

  public RgbImage apply(RgbImage src, Parallel par) {
    int[] in = src.pixels();
    int[] out = new int[in.length];
    double mean = this == HIGH_CONTRAST ? meanLuma(in) : 0;
    par.range(src.height(), (from, to) -> {
      for (int i = from * src.width(); i < to * src.width(); i++) {
        out[i] = (in[i] & 0xFF000000) | rgb(in[i], mean);
      }
    });
    return new RgbImage(src.width(), src.height(), out, src.alpha());
  }

  private int rgb(int p, double mean) {
    double r = (p >> 16) & 0xFF, g = (p >> 8) & 0xFF, b = p & 0xFF;
    double luma = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    return switch (this) {
      case GRAYSCALE -> pack(luma, luma, luma);
      case SEPIA -> pack(0.393 * r + 0.769 * g + 0.189 * b, 0.349 * r + 0.686 * g + 0.168 * b,
          0.272 * r + 0.534 * g + 0.131 * b);
      case WARM -> pack(r * 1.08 + 10, g * 1.02 + 3, b * 0.86);
      case COOL -> pack(r * 0.88, g * 1.0 + 2, b * 1.08 + 12);
      case HIGH_CONTRAST -> {
        // stretch around the picture's own mean, and lift saturation a little so colours keep up
        double k = 1.45;
        double l2 = (luma - mean) * k + mean;
        double sat = 1.15;
        yield pack(l2 + (r - luma) * sat, l2 + (g - luma) * sat, l2 + (b - luma) * sat);
      }
    };
  }

  private static double meanLuma(int[] px) {
    double s = 0;
    for (int p : px) {
      s += 0.2126 * ((p >> 16) & 0xFF) + 0.7152 * ((p >> 8) & 0xFF) + 0.0722 * (p & 0xFF);
    }
    return s / px.length;
  }

  private static int pack(double r, double g, double b) {
    return Resample.clamp((float) r) << 16 | Resample.clamp((float) g) << 8 | Resample.clamp((float) b);
  }
}
